// The host's documented argument forms and its roots, through real processes: `name:='<json>'`
// reaches the tool as JSON, and a server asking for roots (2025-11-25 client/roots) is told the
// working directory, or each --root DIR, as file:// URIs instead of getting -32601.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: { path: string; remove(): Promise<void> };
let server: Server;

const forms = suite('host: name:=<json> arguments and roots');

forms.before(async () => {
  dir = await tempDir('mcpwire-host-roots-');
  server = await startServer({ agents: false });
  const config = { mcpServers: { probe: { command: process.execPath, args: ['--conditions=mcpwire-source', '--import', 'tsx', join(root, 'test/stdio-probe-server.ts')], cwd: root } } };
  await writeFile(join(dir.path, 'probe.json'), JSON.stringify(config));
  await mkdir(join(dir.path, 'docs'));
  await mkdir(join(dir.path, 'code'));
});
forms.after(async () => {
  await killAll();
  await dir.remove();
});

async function exec(args: string[], options: { cwd?: string } = {}) {
  const p = spawnHost([...args, '--state', join(dir.path, 'host')], {}, options.cwd);
  p.end();
  const code = await p.exited(30_000);
  return { code, out: p.out(), err: p.err() };
}

forms('name:=\'"two words"\' and name:=<json> without quotes both reach the tool as JSON', async () => {
  const quoted = await exec(['--url', server.url, '--exec', `echo text:='"two words"'`]);
  assert.is(quoted.code, 0, quoted.err);
  assert.match(quoted.out, /two words/);
  assert.not.match(quoted.out, /'/);
  const bare = await exec(['--url', server.url, '--exec', 'echo text:="x"']);
  assert.is(bare.code, 0, bare.err);
  assert.match(bare.out, /\bx\b/);
});

forms('bad JSON after := says what is wrong without recommending the same form', async () => {
  const r = await exec(['--url', server.url, '--exec', `echo text:='{oops'`]);
  assert.is(r.code, 2);
  assert.match(r.err, /text:= needs a JSON value; \{oops is not JSON/);
});

forms('a server asking for roots gets the working directory by default', async () => {
  const r = await exec(['--config', join(dir.path, 'probe.json'), '--exec', 'show_roots'], { cwd: join(dir.path, 'docs') });
  assert.is(r.code, 0, r.err);
  assert.ok(r.out.includes(`docs ${pathToFileURL(join(dir.path, 'docs')).href}`), r.out);
});

forms('each --root DIR is offered, as a file:// URI; a missing one is a usage error', async () => {
  const r = await exec(['--config', join(dir.path, 'probe.json'), '--root', join(dir.path, 'docs'), '--root', join(dir.path, 'code'), '--exec', 'show_roots']);
  assert.is(r.code, 0, r.err);
  assert.ok(r.out.includes(`docs ${pathToFileURL(join(dir.path, 'docs')).href}`), r.out);
  assert.ok(r.out.includes(`code ${pathToFileURL(join(dir.path, 'code')).href}`), r.out);
  const missing = await exec(['--config', join(dir.path, 'probe.json'), '--root', join(dir.path, 'nope'), '--exec', 'show_roots']);
  assert.is(missing.code, 2);
  assert.match(missing.err, /--root .*nope: no such directory/);
});

forms.run();
