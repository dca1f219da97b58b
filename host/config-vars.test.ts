// Variables in a config file's strings (config-vars.ts): they reached the server as written
// before (`${env:API_KEY}` as a literal header), and VS Code's "inputs" were not read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, parseConfig } from './config.ts';
import { terminalAsk } from './config-prompt.ts';
import { TtyInput, ttyOutput } from '../test/tty-fakes.ts';
import { inputEnvName, type ConfigInput, type ConfigVars } from './config-vars.ts';

const vars = (env: Record<string, string>, workspace = '/ws'): ConfigVars => ({ env, home: '/users/u', workspace, inputs: new Map() });
const vs = suite('config variables');

vs('${env:NAME}, ${NAME}, ${NAME:-default} and the folders are expanded in every string mcpwire reads', () => {
  const [http, stdio] = parseConfig({
    mcpServers: {
      h: { url: 'http://127.0.0.1:${PORT}/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Mode': '${MODE:-fast}', 'X-Empty': '${EMPTY:-none}' } },
      s: { command: '${userHome}${/}bin${pathSeparator}srv', args: ['--root', '${workspaceFolder}', '${workspaceFolderBasename}'], env: { KEY: '${env:TOKEN}', PLAIN: 'a $ {b} $TOKEN' }, cwd: '${workspaceFolder}/sub' },
      off: { url: 'http://127.0.0.1/${NOT_SET}', disabled: true },
    },
  }, '/base', vars({ PORT: '3000', TOKEN: 't0k', EMPTY: '' }, '/srv/proj'));
  assert.equal(http, { name: 'h', kind: 'http', url: 'http://127.0.0.1:3000/mcp', headers: { Authorization: 'Bearer t0k', 'X-Mode': 'fast', 'X-Empty': 'none' } });
  assert.equal(stdio, {
    name: 's', kind: 'stdio', command: `/users/u${sep}bin${sep}srv`, args: ['--root', '/srv/proj', 'proj'],
    env: { KEY: 't0k', PLAIN: 'a $ {b} $TOKEN' }, cwd: '/srv/proj/sub',
  });
});

vs('a variable without a value is refused naming where it is and what to do', () => {
  const one = (entry: unknown, env: Record<string, string> = {}) => () => parseConfig({ mcpServers: { a: entry } }, '/', vars(env));
  assert.throws(one({ command: 'x', env: { KEY: '${env:API_KEY}' } }), /^mcpServers\.a\.env\.KEY: \$\{env:API_KEY\} needs API_KEY set in the environment$/);
  assert.throws(one({ url: 'http://h/${PATH_PART}' }), /^mcpServers\.a\.url: \$\{PATH_PART\} needs PATH_PART set in the environment \(or a default: \$\{PATH_PART:-value\}\)$/);
  assert.throws(one({ command: 'x', args: ['ok', '${command:pick}'] }), /^mcpServers\.a\.args\[1\]: \$\{command:pick\} is not a variable mcpwire host knows/);
  assert.throws(one({ command: 'x', args: ['${input:key}'] }), /^mcpServers\.a\.args\[0\]: \$\{input:key\} names an input/);
  // The default process environment is read when no variables are given.
  process.env.MCPWIRE_CONFIG_VARS_TEST = 'from-env';
  try {
    const [spec] = parseConfig({ mcpServers: { a: { command: '${MCPWIRE_CONFIG_VARS_TEST}' } } }, '/');
    assert.is((spec as { command: string }).command, 'from-env');
  } finally {
    delete process.env.MCPWIRE_CONFIG_VARS_TEST;
  }
});

vs('${workspaceFolder} of a file in .vscode/ is the folder holding .vscode; ${userHome} is the home', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-config-vars-'));
  try {
    await mkdir(join(dir, '.vscode'));
    await writeFile(join(dir, '.vscode', 'mcp.json'), JSON.stringify({ servers: { s: { type: 'stdio', command: 'node', args: ['${workspaceFolder}', '${userHome}'] } } }));
    const [spec] = await loadConfig(join(dir, '.vscode', 'mcp.json'));
    assert.equal((spec as { args: string[] }).args, [dir, homedir()]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

vs('VS Code inputs: asked once each in order of use, from MCPWIRE_INPUT_ID without asking, else the default; a disabled entry asks nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-config-vars-'));
  const file = join(dir, 'mcp.json');
  const inputs = [
    { type: 'promptString', id: 'api-key', description: 'API key', password: true },
    { type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'eu' },
    { type: 'promptString', id: 'unused', description: 'never used' },
    { type: 'command', id: 'cmd', command: 'ext.pick' },
  ];
  const servers = {
    a: { type: 'http', url: 'https://${input:region}.example.com/mcp', headers: { Authorization: 'Bearer ${input:api-key}' } },
    b: { type: 'stdio', command: 'node', env: { KEY: '${input:api-key}' } },
    off: { type: 'stdio', command: 'node', args: ['${input:cmd}'], disabled: true },
  };
  try {
    await writeFile(file, JSON.stringify({ inputs, servers }));
    const asked: string[] = [];
    const specs = await loadConfig(file, { env: {}, ask: async (i: ConfigInput) => (asked.push(i.id), i.id === 'api-key' ? 'sekret' : 'us') });
    assert.equal(asked, ['region', 'api-key'], 'once each, in order of first use; unused and disabled ones not asked');
    assert.equal(specs[0], { name: 'a', kind: 'http', url: 'https://us.example.com/mcp', headers: { Authorization: 'Bearer sekret' } });
    assert.is((specs[1] as { env: Record<string, string> }).env.KEY, 'sekret');
    // Piped (no ask): the environment, else the default; nothing to answer with is refused.
    assert.is(inputEnvName('api-key'), 'MCPWIRE_INPUT_API_KEY');
    const piped = await loadConfig(file, { env: { MCPWIRE_INPUT_API_KEY: 'from-env' } });
    assert.equal(piped[0], { name: 'a', kind: 'http', url: 'https://eu.example.com/mcp', headers: { Authorization: 'Bearer from-env' } });
    await loadConfig(file, { env: {} }).then(() => assert.unreachable(), (e: Error) =>
      assert.match(e.message, /\$\{input:api-key\} \("API key"\) needs an answer: run in a terminal to be asked, or set MCPWIRE_INPUT_API_KEY$/));
    await loadConfig(file, { env: { MCPWIRE_INPUT_API_KEY: 'k', MCPWIRE_INPUT_REGION: 'mars' } }).then(() => assert.unreachable(), (e: Error) =>
      assert.match(e.message, /\$\{input:region\} \("Region"\) must be one of "eu", "us", got "mars"/));
    await writeFile(file, JSON.stringify({ inputs, servers: { c: { command: 'x', args: ['${input:cmd}'] } } }));
    await loadConfig(file, { env: {} }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /inputs\[3\] \("cmd"\) is of type "command", which only VS Code can answer/));
    await writeFile(file, JSON.stringify({ servers: { c: { command: 'x', args: ['${input:nope}'] } } }));
    await loadConfig(file, { env: {} }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /mcp\.json: \$\{input:nope\} is used but the file's "inputs" do not define "nope"/));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A terminal stand-in: what the user types, and what is written back. */
function term() {
  const input = new PassThrough();
  let shown = '';
  const output = new PassThrough();
  output.on('data', (d) => (shown += d));
  return { input, output, shown: () => shown };
}

vs('on the terminal: a password is not echoed, a pick by number or name, an empty answer takes the default, Ctrl+C refuses', async () => {
  const password: ConfigInput = { id: 'api-key', type: 'promptString', description: 'API key', password: true, default: undefined, options: undefined };
  const t1 = term();
  const p1 = terminalAsk(t1.input, t1.output)(password);
  t1.input.write('hunter2\r');
  assert.is(await p1, 'hunter2');
  assert.match(t1.shown(), /API key: /);
  assert.not.match(t1.shown(), /hunter2/, 'typed password not echoed');

  const pick: ConfigInput = { id: 'region', type: 'pickString', description: 'Region', password: false, default: 'eu', options: ['eu', 'us'] };
  for (const [typed, want] of [['2', 'us'], ['eu', 'eu'], ['', 'eu']] as const) {
    const t = term();
    const p = terminalAsk(t.input, t.output)(pick);
    t.input.write(`${typed}\r`);
    assert.is(await p, want, `typed "${typed}"`);
    assert.match(t.shown(), /1\. eu \(default\)\n {2}2\. us\nRegion \[eu\]: /);
  }

  const t3 = term();
  const p3 = terminalAsk(t3.input, t3.output)(password);
  t3.input.write('\x03');
  await p3.then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /\$\{input:api-key\} \("API key"\) was not answered \(Ctrl\+C\); set MCPWIRE_INPUT_API_KEY/));
  const t4 = term();
  const p4 = terminalAsk(t4.input, t4.output)(password);
  t4.input.end();
  await p4.then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /not answered \(end of input\)/));
});

vs('a terminal that hangs up while an input is asked refuses it, naming the input (it crashed the host)', async () => {
  const input = new TtyInput();
  const output = ttyOutput();
  const asked: ConfigInput = { id: 'api-key', type: 'promptString', description: 'API key', password: true, default: undefined, options: undefined };
  const answer = terminalAsk(input, output)(asked);
  input.hungUp = true;
  input.end();
  await answer.then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^\$\{input:api-key\} \("API key"\) was not answered \((end of input|the terminal failed: setRawMode EIO)\); set MCPWIRE_INPUT_API_KEY/));
});

vs.run();
