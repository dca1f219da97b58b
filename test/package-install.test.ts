// The package as a user installs it: `npm pack`, unpacked into node_modules of an app in a
// temporary folder outside the repository, its dependencies linked from ours. The app imports
// every entry, plain and under `node --conditions=source` (a monorepo habit). The export
// condition the repository runs its TypeScript sources by used to be named `source`: under that
// flag an installed package resolved `mcpwire/client` to `client/index.ts`, which it does not
// ship (ERR_MODULE_NOT_FOUND). It is now `mcpwire-source`, a name no one else sets. The tarball
// carries the Apache-2.0 licence text its package.json names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; exports: Record<string, unknown>; license: string; scripts: Record<string, string>;
};
const hasDist = existsSync(join(root, 'dist', 'server', 'index.js'));

/** The app's main module: every entry imported, and one call from a client to a server. */
const MAIN = `
const entries = ${JSON.stringify(Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => `mcpwire${k.slice(1)}`))};
const loaded = [];
for (const entry of entries) { await import(entry); loaded.push(entry); }
const { createServer } = await import('mcpwire/server');
const { createClient } = await import('mcpwire/client');
const { createMemoryPair } = await import('mcpwire/transport');
const server = createServer({ name: 's', version: '1' });
server.tool({ name: 'add', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } }, ({ a, b }) => String(a + b));
const [c, s] = createMemoryPair();
await server.connect(s);
const client = createClient({ name: 'c', version: '1' });
await client.connect(c);
const result = await client.callTool('add', { a: 2, b: 3 });
await client.close();
process.stdout.write(JSON.stringify({ loaded: loaded.length, text: result.content[0].text, from: import.meta.resolve('mcpwire/client') }));
`;

let app = '';
let work = '';

const install = suite('npm pack, installed in an app outside the repository');

install.before(async () => {
  if (!hasDist) return;
  work = mkdtempSync(join(tmpdir(), 'mcpwire-install-'));
  const { stdout } = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const { filename } = (JSON.parse(stdout) as Array<{ filename: string }>)[0]!;
  app = join(work, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(modules, { recursive: true });
  await run('tar', ['-xzf', join(work, filename), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'mcpwire'));
  for (const dep of [...Object.keys(pkg.dependencies), 'tsx']) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(join(app, 'main.js'), MAIN);
});

install.after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function runApp(flags: string[]): Promise<{ loaded: number; text: string; from: string }> {
  const { stdout } = await run(process.execPath, [...flags, 'main.js'], { cwd: app, timeout: 60_000 });
  return JSON.parse(stdout) as { loaded: number; text: string; from: string };
}

const entryCount = Object.keys(pkg.exports).length - 1;

install('plain node: every entry loads from dist/ and a call goes through', async () => {
  if (!hasDist) return console.log('  (skipped: run `npm run build` first)');
  const out = await runApp([]);
  assert.equal([out.loaded, out.text], [entryCount, '5']);
  assert.ok(out.from.endsWith('/node_modules/mcpwire/dist/client/index.js'), out.from);
});

install('node --conditions=source --import tsx (a monorepo that runs its TypeScript): the same, from dist/', async () => {
  if (!hasDist) return;
  // tsx runs the TypeScript that dependencies with a `source` condition of their own point at (eventsource-parser's src/).
  const out = await runApp(['--conditions=source', '--import', 'tsx']);
  assert.equal([out.loaded, out.text], [entryCount, '5']);
  assert.ok(out.from.endsWith('/node_modules/mcpwire/dist/client/index.js'), out.from);
});

install('node --conditions=source: every entry resolves to a shipped file', async () => {
  if (!hasDist) return;
  const { stdout } = await run(process.execPath, ['--conditions=source', '--input-type=module', '-e', `
    const { existsSync } = await import('node:fs');
    const entries = ${JSON.stringify(Object.keys(pkg.exports).map((k) => `mcpwire${k.slice(1)}`))};
    process.stdout.write(JSON.stringify(entries.map((e) => { const url = import.meta.resolve(e); return [e, url.slice(url.indexOf('/node_modules/mcpwire/')), existsSync(new URL(url))]; })));
  `], { cwd: app, timeout: 60_000 });
  for (const [entry, path, exists] of JSON.parse(stdout) as Array<[string, string, boolean]>) assert.ok(exists, `${entry} -> ${path}, not shipped`);
});

install('the tarball holds the Apache-2.0 licence text package.json names', () => {
  if (!hasDist) return;
  assert.is(pkg.license, 'Apache-2.0');
  const text = readFileSync(join(app, 'node_modules', 'mcpwire', 'LICENSE'), 'utf8');
  assert.match(text, /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
  assert.match(text, /END OF TERMS AND CONDITIONS/);
});

install('no install-time script: installing runs nothing (npm warns of one not in allowScripts); npm pack builds dist/', () => {
  // npm runs these on install (prepare too, for a git dependency); `prepare: npm run build` made
  // npm 11 warn an installer of the tarball, although it ran nothing there.
  for (const name of ['preinstall', 'install', 'postinstall', 'prepare']) assert.is(pkg.scripts[name], undefined, `scripts.${name}`);
  assert.is(pkg.scripts.prepack, 'npm run build');
});

install.run();
