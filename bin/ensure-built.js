#!/usr/bin/env node
// Before `npm start`, `npm run agents` and `npm run host` in a checkout: build dist/ when it is
// missing or older than a source file, so `npm install && npm start` works on a fresh clone
// (the package has no install-time script: installing it must run nothing).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples', 'bin'];

/** The newest modification time (ms) of the TypeScript files under `dir`, 0 when none. */
function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let built = 0;
try {
  built = statSync(`${root}dist/bin/cli.js`).mtimeMs;
} catch {
  // not built yet
}
const stale = built === 0 || SOURCES.some((dir) => newestTs(`${root}${dir}`) > built);
if (stale) {
  process.stderr.write(built === 0 ? 'mcpwire: building dist/ (first run)...\n' : 'mcpwire: sources changed since the last build; rebuilding dist/...\n');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
