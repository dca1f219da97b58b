#!/usr/bin/env node
// Runs every *.test.ts file in its own Node process (uvu suites run on import), two at a
// time by default, and ends with one plain line: "N passed, M failed".
// Usage: node test/run.js [--typecheck] [filter...]   (filters match file paths as substrings)
// --typecheck: `tsc -p tsconfig.json --noEmit` runs as one of the jobs, beside the first test
// files rather than before them all (a minute on one core while the other waited); its errors
// count as one failure.
// Env: TEST_JOBS (parallel files, default 2), TEST_FILE_TIMEOUT_MS (default 240000),
//      TEST_BUNDLE=0 (run every file under tsx; by default each is bundled by esbuild and run
//      without tsx's loader, about a quarter less CPU: bundle-test-file.js. A file whose text
//      has a line `// test-runner: tsx` always runs under tsx, with the reason on that line),
//      TEST_RUNNER_FILES (comma-separated paths: run exactly these, e.g. the runner's own fixtures).
//      MCP_SCHEMA_DIR (the spec schemas; without them the files that need them are skipped).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipDirs = new Set(['node_modules', 'dist', '.git', '.cache']);
const typecheck = process.argv.includes('--typecheck');
const filters = process.argv.slice(2).filter((a) => a !== '--typecheck');
const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? 2));
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 240_000);

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const listed = process.env.TEST_RUNNER_FILES?.split(',').filter(Boolean);
const files = (listed ?? findTests(root, [])).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();

/**
 * Why the spec schemas cannot be used, or undefined when they can. Same places as
 * resolveSchemaDir in conformance/schema.ts: MCP_SCHEMA_DIR, else ../shared/spec beside the root.
 */
function schemasMissing() {
  const fromEnv = process.env.MCP_SCHEMA_DIR;
  const dir = fromEnv ? resolve(fromEnv) : resolve(root, '..', 'shared', 'spec');
  let versions = [];
  try {
    versions = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'schema.json')));
  } catch (error) {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
  }
  if (versions.length > 0) return undefined;
  return `no MCP spec schemas (no <version>/schema.json in ${fromEnv ? `MCP_SCHEMA_DIR=${fromEnv}` : dir}); ` +
    "set MCP_SCHEMA_DIR to the spec repository's schema/ folder to run them";
}

/** The schema loader: a test file whose imports reach it needs the spec schemas. */
const SCHEMA_MODULE = join(root, 'conformance', 'schema.ts');
const IMPORTS = /^\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
const reaches = new Map();

/** True when `file` (absolute, a .ts source) imports the schema loader, directly or not. */
function needsSchemas(file) {
  if (file === SCHEMA_MODULE) return true;
  if (reaches.has(file)) return reaches.get(file);
  reaches.set(file, false); // an import cycle ends here
  let found = false;
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORTS)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const target = spec.startsWith('.') ? resolve(dirname(file), spec)
      : spec.startsWith('mcpwire/') ? join(root, spec.slice('mcpwire/'.length), 'index.ts') : undefined;
    if (target?.endsWith('.ts') && existsSync(target) && needsSchemas(target)) {
      found = true;
      break;
    }
  }
  reaches.set(file, found);
  return found;
}

const noSchemas = schemasMissing();
const needing = noSchemas === undefined ? [] : files.filter((f) => needsSchemas(join(root, f)));
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function count(text, label) {
  const m = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Test files still running: each leads its own process group. */
const running = new Set();

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // ESRCH: the group is gone already
  }
}

// Killing the runner (Ctrl+C, a CI timeout) takes every test file and its children along.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of running) killGroup(child);
    process.exit(130);
  });
}

/**
 * On Linux, a test file runs under `setpriv --pdeathsig KILL` (exec'd under the same pid), so
 * it dies with the runner even when the runner is killed with SIGKILL and cannot kill the
 * groups; the servers it starts are tied to it the same way (test/support/tied-child.ts).
 */
const setpriv = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;

async function runFile(file) {
  const started = Date.now();
  let bundle;
  if (bundling && !tsxOnly(file)) {
    try {
      bundle = await bundling(root, file);
    } catch (error) {
      process.stdout.write(`tsx  ${file} (${String(error.message).split('\n')[0]})\n`);
    }
  }
  return new Promise((resolve) => {
    const args = bundle ? [bundle] : ['--conditions=mcpwire-source', '--import', 'tsx', file];
    const [command, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', process.execPath, ...args]] : [process.execPath, args];
    const child = spawn(command, argv, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the servers a test file starts die with it (see killGroup).
      detached: true,
    });
    running.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n[runner] ${file} exceeded ${fileTimeoutMs} ms and was killed\n`;
      killGroup(child);
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      killGroup(child); // whatever the file left running (a server it forgot to stop)
      const total = count(out, 'Total');
      const ok = count(out, 'Passed');
      const skip = count(out, 'Skipped');
      const bad = Math.max(total - ok - skip, code === 0 ? 0 : 1);
      passed += ok;
      skipped += skip;
      failed += bad;
      const ms = Date.now() - started;
      const status = bad > 0 ? 'FAIL' : 'ok  ';
      process.stdout.write(`${status} ${file} (${ok}/${total}${skip ? `, ${skip} skipped` : ''}, ${ms} ms)\n`);
      if (bad > 0) failures.push({ file, out });
      resolve();
    });
  });
}

for (const file of needing) process.stdout.write(`skip ${file} (needs the spec schemas)\n`);
/** The project's type check as a job: no count of its own unless it fails. */
function runTypecheck() {
  return new Promise((resolve) => {
    const started = Date.now();
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '-p', 'tsconfig.json', '--noEmit'];
    // Dies with the runner, as the test files do (see setpriv above).
    const [command, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', process.execPath, ...args]] : [process.execPath, args];
    const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (error) => (out += `\ncould not start tsc: ${error.message}\n`));
    child.on('close', (code) => {
      const ok = code === 0;
      if (!ok) {
        failed += 1;
        failures.push({ file: 'typecheck (tsc -p tsconfig.json --noEmit)', out });
      }
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} typecheck (tsc -p tsconfig.json --noEmit, ${Date.now() - started} ms)\n`);
      resolve();
    });
  });
}

const queue = files.filter((f) => !needing.includes(f));
const bundling = process.env.TEST_BUNDLE === '0' ? undefined : (await import('./bundle-test-file.js')).bundleTestFile;
/** A file that must run under tsx says so on a line of its own (see the header). */
const tsxOnly = (file) => /^\/\/ test-runner: tsx\b/m.test(readFileSync(join(root, file), 'utf8'));
const runStarted = Date.now();
const jobsList = [...(typecheck ? [runTypecheck] : []), ...queue.map((f) => () => runFile(f))];
await Promise.all(
  Array.from({ length: Math.min(jobs, jobsList.length) }, async () => {
    while (jobsList.length > 0) await jobsList.shift()();
  }),
);
for (const f of failures) process.stdout.write(`\n----- ${f.file} -----\n${f.out}\n`);
if (bundling && failures.length > 0) process.stdout.write('\n(test files ran bundled: TEST_BUNDLE=0 gives stack lines in the sources)\n');
if (files.length === 0) failed += 1;
const fileCount = `${needing.length} file${needing.length === 1 ? '' : 's'} skipped`;
if (needing.length > 0) process.stdout.write(`\n${fileCount}: ${noSchemas}\n`);
const skippedFiles = needing.length > 0 ? `, ${fileCount}` : '';
process.stdout.write(`\n${files.length - needing.length} files in ${Math.round((Date.now() - runStarted) / 1000)} s, ${jobs} at a time\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${skippedFiles}\n`);
process.exit(failed > 0 ? 1 : 0);
