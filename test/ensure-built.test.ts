// `npm install && npm start` on a fresh clone: the package has no install-time script (installing
// it must run nothing), so `npm start`, `npm run agents` and `npm run host` build dist/ first
// through `bin/ensure-built.js` when it is missing or older than a source file. Checked on a
// copy of the script in a temporary checkout whose `build` script only records that it ran.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const test = suite('ensure-built');

/**
 * A checkout with one source file per source folder and a `build` that writes dist/bin/cli.js and
 * counts its runs; `fails`: it then exits 2 with an error on stderr, as tsc does with type errors.
 */
function fakeCheckout(options: { fails?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-ensure-built-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(root, 'bin', 'ensure-built.js'), join(dir, 'bin', 'ensure-built.js'));
  for (const folder of ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples', 'bin']) {
    mkdirSync(join(dir, folder, 'deep'), { recursive: true });
    writeFileSync(join(dir, folder, 'deep', 'a.ts'), 'export {};\n');
  }
  const build = "const fs=require('node:fs');fs.mkdirSync('dist/bin',{recursive:true});fs.writeFileSync('dist/bin/cli.js','');fs.appendFileSync('builds','x')"
    + (options.fails ? ";console.error('host/wrap.ts(1,1): error TS2322: not assignable');process.exit(2)" : '');
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ exclude: ['node_modules', '**/*.test.ts', 'examples/recipes'] }));
  mkdirSync(join(dir, 'examples', 'recipes'));
  writeFileSync(join(dir, 'examples', 'recipes', 'r.ts'), 'export {};\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fake', type: 'module', scripts: { build: `node -e "${build}"` } }));
  return dir;
}

const builds = (dir: string): number => (existsSync(join(dir, 'builds')) ? readFileSync(join(dir, 'builds'), 'utf8').length : 0);
const ensure = (dir: string) => run(process.execPath, [join(dir, 'bin', 'ensure-built.js')], { cwd: dir, timeout: 60_000 });

test('the repository runs it before start, agents and host', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['start', 'agents', 'host']) assert.is(scripts[`pre${name}`], 'node bin/ensure-built.js', `scripts.pre${name}`);
});

test('builds when dist/ is missing, not again when it is current, again when a source is newer', async () => {
  const dir = fakeCheckout();
  try {
    const first = await ensure(dir);
    assert.is(builds(dir), 1, 'a missing dist/ is built');
    assert.match(first.stderr, /first run/);
    const past = new Date(Date.now() - 60_000);
    for (const folder of ['protocol', 'host', 'bin']) utimesSync(join(dir, folder, 'deep', 'a.ts'), past, past);
    const second = await ensure(dir);
    assert.is(builds(dir), 1, 'a current dist/ is not rebuilt');
    assert.is(second.stderr, '');
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'host', 'deep', 'a.ts'), future, future);
    const third = await ensure(dir);
    assert.is(builds(dir), 2, 'a source newer than dist/ rebuilds it');
    assert.match(third.stderr, /sources changed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a change to a file the build leaves out (a test, an excluded folder) rebuilds nothing', async () => {
  const dir = fakeCheckout();
  try {
    await ensure(dir);
    const past = new Date(Date.now() - 60_000);
    for (const folder of ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples', 'bin']) utimesSync(join(dir, folder, 'deep', 'a.ts'), past, past);
    const future = new Date(Date.now() + 60_000);
    writeFileSync(join(dir, 'host', 'deep', 'a.test.ts'), 'export {};\n');
    utimesSync(join(dir, 'host', 'deep', 'a.test.ts'), future, future);
    utimesSync(join(dir, 'examples', 'recipes', 'r.ts'), future, future);
    const again = await ensure(dir);
    assert.is(builds(dir), 1, 'not rebuilt for a test file or an excluded folder');
    assert.is(again.stderr, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed build says so in one line, exits with its code, and the next start builds again', async () => {
  const dir = fakeCheckout({ fails: true });
  try {
    const failed = await ensure(dir).then(() => undefined, (error: { code: number; stderr: string }) => error);
    assert.ok(failed, 'it fails');
    assert.is(failed!.code, 2, "the build's exit code");
    assert.match(failed!.stderr, /error TS2322/, "the build's own errors are shown");
    assert.match(failed!.stderr, /mcpwire: the build failed \(exit code 2\); its errors are above/);
    assert.not.match(failed!.stderr, /Command failed|\n\s+at /, 'no stack trace');
    await ensure(dir).catch(() => undefined);
    assert.is(builds(dir), 2, 'the output of a failed build is not taken as built');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
