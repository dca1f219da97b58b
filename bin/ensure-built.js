#!/usr/bin/env node
// Before `npm start`, `npm run agents` and `npm run host` in a checkout: build dist/ when it is
// missing or older than a source file the build compiles, so `npm install && npm start` works on
// a fresh clone (the package has no install-time script: installing it must run nothing).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples', 'bin'];
/** What the build leaves out (tests, fixtures): a change there needs no rebuild. */
const SKIPPED_SUFFIXES = ['.test.ts', '.test-d.ts'];
const skippedPaths = (() => {
  // tsconfig.build.json's excludes that name a folder or file (no wildcard), relative to the root.
  try {
    const { exclude } = JSON.parse(readFileSync(`${root}tsconfig.build.json`, 'utf8'));
    return new Set((Array.isArray(exclude) ? exclude : []).filter((p) => typeof p === 'string' && !p.includes('*')));
  } catch {
    return new Set();
  }
})();

/** The newest modification time (ms) of the TypeScript files the build compiles under `dir`, 0 when none. */
function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(`${root}${dir}`, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (skippedPaths.has(path)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith('.ts') && !SKIPPED_SUFFIXES.some((s) => entry.name.endsWith(s))) newest = Math.max(newest, statSync(`${root}${path}`).mtimeMs);
  }
  return newest;
}

let built = 0;
try {
  built = statSync(`${root}dist/bin/cli.js`).mtimeMs;
} catch {
  // not built yet
}
const stale = built === 0 || SOURCES.some((dir) => newestTs(dir) > built);
if (stale) {
  process.stderr.write(built === 0 ? 'mcpwire: building dist/ (first run)...\n' : 'mcpwire: sources changed since the last build; rebuilding dist/...\n');
  const started = Date.now();
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    // tsc writes its output even when it reports errors: without this the next start would
    // take that dist/ as built and run it without a word.
    rmSync(`${root}dist/bin/cli.js`, { force: true });
    const why = typeof error?.status === 'number' ? `exit code ${error.status}` : error?.signal ? `stopped by ${error.signal}` : String(error?.message ?? error);
    process.stderr.write(`mcpwire: the build failed (${why}); its errors are above. Fix them (or run "npm run build" to see them again), then start again.\n`);
    process.exit(typeof error?.status === 'number' && error.status !== 0 ? error.status : 1);
  }
  process.stderr.write(`mcpwire: built dist/ in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
