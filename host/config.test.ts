import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig, serverKey, specFromUrl } from './config.ts';
import { defaultStateDir, stateDirFrom, tokensDir } from './paths.ts';

const config = suite('config: the mcpServers format');

config('url entries are HTTP, command entries stdio; disabled ones are skipped', () => {
  const specs = parseConfig({
    mcpServers: {
      agents: { url: 'http://127.0.0.1:3000/mcp', headers: { Authorization: 'Bearer t' } },
      typed: { type: 'streamable-http', url: 'https://example.com/mcp' },
      local: { command: 'node', args: ['server.js', '--stdio'], env: { DEBUG: '1' }, cwd: 'sub' },
      off: { url: 'http://127.0.0.1:1/mcp', disabled: true },
    },
  }, '/base');
  assert.equal(specs, [
    { name: 'agents', kind: 'http', url: 'http://127.0.0.1:3000/mcp', headers: { Authorization: 'Bearer t' } },
    { name: 'typed', kind: 'http', url: 'https://example.com/mcp', headers: {} },
    { name: 'local', kind: 'stdio', command: 'node', args: ['server.js', '--stdio'], env: { DEBUG: '1' }, cwd: join('/base', 'sub') },
  ]);
});

config('VS Code\'s mcp.json ("servers", with "type") is read the same way; it was refused', () => {
  const specs = parseConfig({
    inputs: [],
    servers: { agents: { type: 'http', url: 'http://127.0.0.1:3000/mcp' }, local: { type: 'stdio', command: 'node', args: ['s.js'] } },
  }, '/base');
  assert.equal(specs.map((s) => [s.name, s.kind]), [['agents', 'http'], ['local', 'stdio']]);
  assert.throws(() => parseConfig({ servers: { a: { type: 'http', url: 'ftp://x' } } }, '/'), /^servers\.a\.url must be http/);
  // Both: mcpServers is the one read.
  assert.is(parseConfig({ mcpServers: { m: { url: 'http://x/mcp' } }, servers: { s: { url: 'http://y/mcp' } } }, '/')[0]!.name, 'm');
});

config('mistakes are named with their place', () => {
  assert.throws(() => parseConfig({}, '/'), /"mcpServers" object/);
  assert.throws(() => parseConfig({ mcpServers: { a: { url: 'ftp://x' } } }, '/'), /mcpServers\.a\.url must be http/);
  assert.throws(() => parseConfig({ mcpServers: { a: { command: 'x', args: [1] } } }, '/'), /mcpServers\.a\.args/);
  assert.throws(() => parseConfig({ mcpServers: { a: { type: 'sse', url: 'http://x/sse' } } }, '/'), /not supported/);
  assert.throws(() => parseConfig({ mcpServers: { a: {} } }, '/'), /needs a "url".*or a "command"/);
  assert.throws(() => parseConfig({ mcpServers: { 'a b': { url: 'http://x' } } }, '/'), /may only use/);
});

config('a key one typo from a known one is refused naming it; both url and command is refused; other hosts\' keys pass', () => {
  assert.throws(() => parseConfig({ mcpServers: { a: { command: 'node', evn: { A: '1' } } } }, '/'), /mcpServers\.a: unknown key "evn" \(did you mean "env"\?\)/);
  assert.throws(() => parseConfig({ mcpServers: { a: { comand: 'node' } } }, '/'), /unknown key "comand" \(did you mean "command"\?\)/);
  assert.throws(() => parseConfig({ mcpServers: { a: { url: 'http://x/mcp', header: {} } } }, '/'), /unknown key "header" \(did you mean "headers"\?\)/);
  assert.throws(() => parseConfig({ mcpServers: { a: { url: 'http://x/mcp', command: 'node' } } }, '/'), /mcpServers\.a has both a "url" and a "command"/);
  assert.throws(() => parseConfig({ mcpServers: { a: { command: 'node', env: { 'A=B': '1' } } } }, '/'), /mcpServers\.a\.env: "A=B" cannot be a variable name/);
  const [spec] = parseConfig({ mcpServers: { a: { command: 'node', autoApprove: ['x'], timeout: 5, description: 'd' } } }, '/');
  assert.is(spec!.kind, 'stdio');
  const [typed] = parseConfig({ mcpServers: { a: { type: 'stdio', url: 'http://x/mcp', command: 'node' } } }, '/');
  assert.is(typed!.kind, 'stdio', '"type" says which');
});

config('a file is read and its errors name it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-config-'));
  try {
    await writeFile(join(dir, 'ok.json'), JSON.stringify({ mcpServers: { s: { command: 'node' } } }));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    assert.is((await loadConfig(join(dir, 'ok.json')))[0]!.name, 's');
    await loadConfig(join(dir, 'bad.json')).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /bad\.json is not JSON/));
    await loadConfig(join(dir, 'none.json')).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /cannot read the config .*none\.json: no such file$/));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

config('--url servers are named by host:port; tokens are keyed by URL unless a key is given', () => {
  const spec = specFromUrl('http://127.0.0.1:3000/mcp');
  assert.is(spec.name, '127.0.0.1:3000');
  assert.is(serverKey(spec), 'http http://127.0.0.1:3000/mcp');
  assert.is(serverKey({ ...spec, key: 'demo agents' }), 'demo agents');
});

const paths = suite('paths: the user state directory');

paths('XDG_STATE_HOME when absolute, else ~/.local/state; --state wins', () => {
  assert.is(defaultStateDir({ XDG_STATE_HOME: '/x/state' }, '/home/u'), join('/x/state', 'mcpwire'));
  assert.is(defaultStateDir({ XDG_STATE_HOME: 'relative' }, '/home/u'), join('/home/u', '.local', 'state', 'mcpwire'));
  assert.is(defaultStateDir({}, '/home/u'), join('/home/u', '.local', 'state', 'mcpwire'));
  assert.is(stateDirFrom('/given', {}), '/given');
  assert.is(tokensDir('/s'), join('/s', 'tokens'));
});

config.run();
paths.run();
