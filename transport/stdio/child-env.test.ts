// A stdio server child gets the variables a process needs plus the configured ones, not the
// host's whole environment (which may hold its secrets); inheritEnv restores the old way.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { childEnvironment } from './child-env.ts';
import { createStdioClientTransport } from './client.ts';

const echoServer = fileURLToPath(new URL('./fixtures/echo-server.mjs', import.meta.url));

const env = suite('childEnvironment');

const parent = { PATH: '/bin', HOME: '/home/a', LANG: 'C.UTF-8', AWS_SECRET_ACCESS_KEY: 'k', OPENAI_API_KEY: 'o', BASH_FUNC_x: '() { evil; }', TERM: '() { x; }' };

env('on POSIX: the safe variables only, plus the configured ones', () => {
  assert.equal(childEnvironment({ env: { DEBUG: '1' } }, parent, 'linux'), { PATH: '/bin', HOME: '/home/a', LANG: 'C.UTF-8', DEBUG: '1' });
});

env('a configured variable set to undefined is removed; configured values win', () => {
  assert.equal(childEnvironment({ env: { HOME: undefined, PATH: '/opt/bin' } }, parent, 'linux'), { PATH: '/opt/bin', LANG: 'C.UTF-8' });
});

env('inheritEnv passes everything (shell functions too, as the parent has them)', () => {
  const all = childEnvironment({ inheritEnv: true, env: { DEBUG: '1' } }, parent, 'linux');
  assert.is(all.OPENAI_API_KEY, 'o');
  assert.is(all.DEBUG, '1');
});

env('on Windows names match whatever their case', () => {
  assert.equal(childEnvironment({}, { Path: 'C:\\bin', SystemRoot: 'C:\\Windows', GITHUB_TOKEN: 't' }, 'win32'), { Path: 'C:\\bin', SystemRoot: 'C:\\Windows' });
});

const child = suite('stdio client transport: the child\'s environment');

async function childSees(name: string, options: { inheritEnv?: boolean } = {}): Promise<unknown> {
  const t = createStdioClientTransport({ command: process.execPath, args: [echoServer], ...options });
  let resolve!: (m: JsonRpcMessage) => void;
  const reply = new Promise<JsonRpcMessage>((r) => { resolve = r; });
  await t.start({ onMessage: resolve, onError: () => {}, onClose: () => {} });
  try {
    await t.send({ jsonrpc: '2.0', id: 1, method: 'fixture/env', params: { name } });
    return ((await reply) as unknown as { env: unknown }).env;
  } finally {
    await t.close();
  }
}

child('a host secret does not reach the child by default; PATH does; inheritEnv passes the secret', async () => {
  process.env.MCPWIRE_TEST_SECRET = 'host-only';
  try {
    assert.is(await childSees('MCPWIRE_TEST_SECRET'), null);
    assert.is(await childSees('PATH'), process.env.PATH ?? null);
    assert.is(await childSees('MCPWIRE_TEST_SECRET', { inheritEnv: true }), 'host-only');
  } finally {
    delete process.env.MCPWIRE_TEST_SECRET;
  }
});

env.run();
child.run();
