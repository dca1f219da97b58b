// The packed tarball as a TypeScript user gets it: `npm pack` into a temporary folder outside
// the repository, installed into a fresh app by `npm install --offline` (its dependencies come
// from npm's cache, nothing from the network; if npm cannot do that, the reason is printed and
// they are linked from ours instead). The app then type-checks under `strict`, with
// `skipLibCheck: false` for the package's own .d.ts, once with `moduleResolution` node16 and
// once with bundler: a typed consumer (test/fixtures/package-consumer.ts) and every README
// ```ts snippet. The consumer and the snippets that can run offline then run, compiled by the
// node16 pass; the others print why not. Checked by hand in session 28 only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { preludeFor, snippets, type Snippet } from './support/readme-snippets.ts';
import { RUNS, SKIPPED, STDIO_RUN } from './support/readme-runs.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const hasDist = existsSync(join(root, 'dist', 'server', 'index.js'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What the consumer and the snippets import besides mcpwire: linked from the repository's node_modules. */
const TOOLS = ['@types/node', 'zod', 'valibot', '@valibot/to-json-schema', 'arktype', 'express', '@types/express', 'fastify', 'hono', '@hono/node-server', 'koa', '@types/koa'];

let work = '';
let app = '';
const has = (line: string) => (s: Snippet) => s.code.split('\n').some((l) => l.trim() === line || l.startsWith(line));

/** Installs the tarball in `app`: npm offline, or (npm cannot) unpacked with our dependencies linked. */
async function install(tarball: string): Promise<void> {
  try {
    await run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball], { cwd: app, timeout: 120_000 });
    return;
  } catch (error) {
    const why = ((error as { stderr?: string }).stderr ?? String(error)).split('\n').find((l) => /ERR|error/.test(l)) ?? String(error);
    console.log(`  (npm cannot install offline here, so mcpwire's dependencies are linked from the repository: ${why.trim()})`);
  }
  const modules = join(app, 'node_modules');
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'mcpwire'));
  for (const dep of Object.keys(pkg.dependencies)) link(dep);
}

function link(name: string): void {
  const at = join(app, 'node_modules', name);
  if (existsSync(at)) return;
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(join(root, 'node_modules', name), at, 'dir');
}

/** The app's sources: the consumer, each snippet (with a runnable prelude where it has one), the stdio driver. */
function writeSources(all: Snippet[]): string[] {
  const src = join(app, 'src');
  mkdirSync(src, { recursive: true });
  const files = new Map<string, string>([['typed.ts', readFileSync(join(root, 'test', 'fixtures', 'package-consumer.ts'), 'utf8')]]);
  for (const snippet of all) {
    const runnable = RUNS.find((r) => has(r.marker)(snippet));
    const text = runnable ? `${runnable.prelude}\n${snippet.code}\n${runnable.epilogue}\n` : `${preludeFor(snippet)}\n${snippet.code}\nexport {};\n`;
    files.set(`readme-${snippet.line}.ts`, text);
    if (has(STDIO_RUN.marker)(snippet)) {
      const child = JSON.stringify(join(app, 'out', `readme-${snippet.line}.js`));
      files.set('drive-stdio.ts', `const SNIPPET = ${child};\n${STDIO_RUN.driver}\n`);
    }
  }
  for (const [name, text] of files) writeFileSync(join(src, name), text);
  return [...files.keys()].map((name) => join(src, name));
}

/** Compiles the app in one resolution mode; returns its errors (the app's files and mcpwire's .d.ts). */
function typeCheck(files: string[], mode: 'node16' | 'bundler'): string[] {
  const options: ts.CompilerOptions = {
    strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'], types: ['node'], skipLibCheck: false,
    ...(mode === 'node16'
      ? { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, outDir: join(app, 'out'), rootDir: join(app, 'src') }
      : { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true }),
  };
  const program = ts.createProgram(files, options, ts.createCompilerHost(options));
  // Other packages' .d.ts are not ours to check (@types/koa has an error of its own); mcpwire's
  // are, in the node16 pass: what node16 resolves in them bundler resolves too, not the reverse.
  const mine = (name: string) => !name.includes('/node_modules/') || (mode === 'node16' && name.includes('/node_modules/mcpwire/'));
  const ours = program.getSourceFiles().filter((f) => mine(f.fileName));
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])];
  const problems = diagnostics.map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(app.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '(options)';
    return `${mode} ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  if (problems.length === 0 && mode === 'node16') {
    const emitted = program.emit();
    if (emitted.emitSkipped) problems.push('node16: emit skipped');
  }
  return problems;
}

async function runApp(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [join(app, 'out', file)], { cwd: app, timeout: 60_000 });
  return JSON.parse(stdout) as unknown;
}

const types = suite('the packed tarball installed offline: strict types in node16 and bundler, then run');
const readme = snippets(readFileSync(join(root, 'README.md'), 'utf8'));
let files: string[] = [];

types.before(async () => {
  if (!hasDist) return;
  work = mkdtempSync(join(tmpdir(), 'mcpwire-types-'));
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const { filename } = (JSON.parse(stdout) as Array<{ filename: string }>)[0]!;
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await install(join(work, filename));
  // Linked only now: npm, run in this app, would prune what its package.json does not name.
  for (const tool of TOOLS) link(tool);
  files = writeSources(readme);
});

types.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

types('every README snippet is run here or says why not', () => {
  const decided = [...RUNS.map((r) => r.marker), STDIO_RUN.marker, ...SKIPPED.map((s) => s.marker)];
  const undecided = readme.filter((s) => !decided.some((m) => has(m)(s))).map((s) => `README line ${s.line}`);
  assert.equal(undecided, []);
  for (const marker of decided) assert.ok(readme.some(has(marker)), `no README snippet has the line ${marker}`);
});

types('bundler resolution: the consumer and the README snippets type-check', () => {
  if (!hasDist) return console.log('  (skipped: run `npm run build` first)');
  const problems = typeCheck(files, 'bundler');
  assert.equal(problems, [], problems.join('\n'));
});

types('node16 resolution: the same and mcpwire\'s own .d.ts, emitted for the runs below', () => {
  if (!hasDist) return;
  const problems = typeCheck(files, 'node16');
  assert.equal(problems, [], problems.join('\n'));
});

types('the typed consumer runs in both eras', async () => {
  if (!hasDist) return;
  const out = await runApp('typed.js') as Record<string, Record<string, unknown>>;
  for (const era of ['legacy', 'modern']) {
    const seen = out[era]!;
    assert.equal([seen.high, seen.total], [21, 8], era);
    assert.equal(seen.find, { isError: true, text: 'Invalid arguments for tool find: /city: Invalid length: Expected >=2 but received 1' }, era);
    assert.equal(seen.thrown, { isError: true, text: 'the oven is off' }, era);
    assert.equal(seen.rpc, { name: 'RpcError', message: 'quota spent', rpc: true, mcp: false, tool: false, code: -32000, data: { retryAfter: 5 } }, era);
    assert.equal(seen.broken, {
      name: 'ToolResultError', rpc: false, mcp: true, tool: true, code: 'MCP_ERR_VALIDATION',
      message: 'tool forecast returned structuredContent that does not match its outputSchema: /low: Invalid input: expected number, received undefined',
    }, era);
    assert.equal(seen.aborted, { name: 'McpError', message: 'tools/call aborted before it was sent', rpc: false, mcp: true, tool: false, code: 'MCP_ERR_ABORTED' }, era);
  }
});

types('the README snippets run as written', async () => {
  if (!hasDist) return;
  const lines = RUNS.map(({ marker }) => readme.find(has(marker))!.line);
  const [stdio, ...outs] = await Promise.all([runApp('drive-stdio.js'), ...lines.map((line) => runApp(`readme-${line}.js`))]);
  RUNS.forEach(({ expect }, i) => assert.equal(outs[i], expect, `README line ${lines[i]}`));
  assert.equal(stdio, STDIO_RUN.expect, 'the stdio server snippet');
  for (const { marker, reason } of SKIPPED) console.log(`  (README line ${readme.find(has(marker))!.line} is type-checked, not run: it ${reason})`);
});

types.run();
