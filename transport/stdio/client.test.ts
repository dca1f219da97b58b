import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, McpError, type JsonRpcMessage, type TransportHandlers } from '../../protocol/index.ts';
import { createStdioClientTransport, type StdioClientTransportOptions } from './client.ts';

const echoServer = fileURLToPath(new URL('./fixtures/echo-server.mjs', import.meta.url));
const stubbornServer = fileURLToPath(new URL('./fixtures/stubborn-server.mjs', import.meta.url));
const transportServer = fileURLToPath(new URL('./fixtures/transport-echo-server.mjs', import.meta.url));

interface Recorder extends TransportHandlers {
  messages: unknown[];
  closes: (Error | undefined)[];
  errors: Error[];
  /** Resolves with the next message. */
  next(): Promise<unknown>;
  closed: Promise<Error | undefined>;
}

function recorder(): Recorder {
  const waiters: ((m: unknown) => void)[] = [];
  let markClosed!: (e: Error | undefined) => void;
  const r: Recorder = {
    messages: [], closes: [], errors: [],
    closed: new Promise((resolve) => (markClosed = resolve)),
    next: () => new Promise((resolve) => waiters.push(resolve)),
    onMessage(m) {
      r.messages.push(m);
      waiters.shift()?.(m);
    },
    onClose(e) {
      r.closes.push(e);
      markClosed(e);
    },
    onError: (e) => r.errors.push(e),
  };
  return r;
}

function node(script: string, extra: Partial<StdioClientTransportOptions> = {}) {
  return createStdioClientTransport({ command: process.execPath, args: [script], closeGraceMs: 200, ...extra });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const client = suite('stdio client transport');

client('spawns the server, writes to its stdin and reads its stdout lines', async () => {
  const t = node(echoServer);
  const r = recorder();
  assert.is(t.pid, undefined);
  await t.start(r);
  assert.type(t.pid, 'number');
  const message: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'ping', params: { text: 'é 😀 line\nbreak' } };
  const reply = r.next();
  await t.send(message);
  assert.equal(await reply, message);
  await t.close();
  assert.equal(r.closes, [undefined]);
  assert.ok(!isAlive(t.pid!));
});

client('ownProcessGroup: the server leads a process group of its own, so a terminal\'s Ctrl+C reaches only its parent', async () => {
  if (process.platform !== 'linux') return; // reads /proc
  const { readFileSync } = await import('node:fs');
  // Field 5 of /proc/PID/stat is the process group (after the parenthesised command name).
  const pgid = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]);
  const own = node(echoServer, { ownProcessGroup: true });
  const shared = node(echoServer);
  await own.start(recorder());
  await shared.start(recorder());
  try {
    assert.is(pgid(own.pid!), own.pid, 'its own group');
    assert.is(pgid(shared.pid!), pgid(process.pid), 'by default, ours');
  } finally {
    await own.close();
    await shared.close();
  }
});

client('many messages keep their order', async () => {
  const t = node(echoServer);
  const r = recorder();
  await t.start(r);
  const n = 500;
  await Promise.all(Array.from({ length: n }, (_, i) => t.send({ jsonrpc: '2.0', method: 'n', params: { i, pad: 'x'.repeat(1000) } })));
  while (r.messages.length < n) await r.next();
  assert.equal(r.messages.map((m) => (m as { params: { i: number } }).params.i), Array.from({ length: n }, (_, i) => i));
  await t.close();
});

client('env is set over the safe inherited variables; cwd is honoured', async () => {
  const cwd = realpathSync(tmpdir());
  const t = node(echoServer, { env: { MCPWIRE_TEST_VAR: 'set-by-test' }, cwd });
  const r = recorder();
  await t.start(r);
  let reply = r.next();
  await t.send({ jsonrpc: '2.0', id: 1, method: 'fixture/env', params: { name: 'MCPWIRE_TEST_VAR' } });
  assert.equal(await reply, { id: 1, env: 'set-by-test', cwd });
  reply = r.next();
  await t.send({ jsonrpc: '2.0', id: 2, method: 'fixture/env', params: { name: 'PATH' } });
  assert.is((await reply as { env: string }).env, process.env.PATH ?? null);
  await t.close();
});

client('stderr can be handed to a function', async () => {
  let text = '';
  const t = node(echoServer, { stderr: (chunk) => (text += chunk) });
  const r = recorder();
  await t.start(r);
  await t.send({ jsonrpc: '2.0', method: 'fixture/stderr', params: { text: 'a log line\n' } });
  const reply = r.next();
  await t.send({ jsonrpc: '2.0', method: 'sync' });
  await reply;
  await t.close();
  assert.is(text, 'a log line\n');
});

client('an unexpected exit closes the transport with an error naming the code', async () => {
  const t = node(echoServer, { stderr: 'ignore' });
  const r = recorder();
  await t.start(r);
  await t.send({ jsonrpc: '2.0', method: 'fixture/exit', params: { code: 3 } });
  const error = await r.closed;
  assert.instance(error, McpError);
  assert.match(String(error?.message), /exited with code 3/);
  try {
    await t.send({ jsonrpc: '2.0', method: 'x' });
    assert.unreachable('send after exit must reject');
  } catch (e) {
    assert.is((e as McpError).code, LocalErrorCode.Closed);
  }
  await t.close();
  assert.is(r.closes.length, 1);
});

client('a kill by a signal is described', async () => {
  const t = node(echoServer);
  const r = recorder();
  await t.start(r);
  process.kill(t.pid!, 'SIGKILL');
  const error = await r.closed;
  assert.match(String(error?.message), /SIGKILL/);
});

client('a command that does not exist makes start() reject clearly', async () => {
  const t = createStdioClientTransport({ command: 'mcpwire-no-such-command-xyz' });
  const r = recorder();
  try {
    await t.start(r);
    assert.unreachable('start must reject');
  } catch (e) {
    assert.instance(e, McpError);
    assert.match((e as Error).message, /mcpwire-no-such-command-xyz/);
    assert.match((e as Error).message, /ENOENT|not found/);
  }
  await t.close();
  assert.equal(r.closes, []);
});

client('close() ends stdin and a well-behaved server exits without any signal', async () => {
  const t = node(echoServer, { closeGraceMs: 5_000 });
  const r = recorder();
  await t.start(r);
  const started = Date.now();
  await t.close();
  assert.ok(Date.now() - started < 2_000, 'no need to wait for the grace period');
  assert.equal(r.closes, [undefined]);
});

client('a server that ignores EOF is stopped with SIGTERM', async () => {
  const t = node(stubbornServer, { args: [stubbornServer, '--obey-sigterm'] });
  const r = recorder();
  await t.start(r);
  await r.next();
  const started = Date.now();
  await t.close();
  const took = Date.now() - started;
  assert.ok(took >= 180 && took < 5_000, `took ${took} ms`);
  assert.ok(!isAlive(t.pid!));
  assert.equal(r.closes, [undefined]);
});

client('a server that ignores EOF and SIGTERM is killed with SIGKILL', async () => {
  const t = node(stubbornServer);
  const r = recorder();
  await t.start(r);
  await r.next(); // its SIGTERM handler is in place
  const started = Date.now();
  const closing = t.close();
  await t.close(); // a second close shares the first
  await closing;
  const took = Date.now() - started;
  assert.ok(took >= 380 && took < 8_000, `took ${took} ms`);
  assert.ok(!isAlive(t.pid!));
  assert.equal(r.closes, [undefined]);
});

client('an oversize line from the server is dropped and reported; the next is delivered', async () => {
  const t = node(echoServer, { maxLineBytes: 100 });
  const r = recorder();
  await t.start(r);
  const reply = r.next();
  await t.send({ jsonrpc: '2.0', method: 'big', params: { s: 'x'.repeat(500) } });
  await t.send({ jsonrpc: '2.0', method: 'small' });
  assert.equal(await reply, { jsonrpc: '2.0', method: 'small' });
  assert.is(r.errors.length, 1);
  assert.is((r.errors[0] as McpError).code, LocalErrorCode.MessageTooLarge);
  await t.close();
});

client('send before start rejects; garbage from the server is reported, not handed up (nor answered)', async () => {
  const t = node(echoServer);
  try {
    await t.send({ jsonrpc: '2.0', method: 'x' });
    assert.unreachable('must reject');
  } catch (e) {
    assert.is((e as McpError).code, LocalErrorCode.NotConnected);
  }
  const r = recorder();
  await t.start(r);
  await t.send({ jsonrpc: '2.0', method: 'fixture/garbage' });
  // Lines arrive in order: once the batch is back, the garbage line before it was read.
  const batch = r.next();
  await t.send([{ jsonrpc: '2.0', method: 'a' }]);
  assert.equal(await batch, [{ jsonrpc: '2.0', method: 'a' }]);
  await t.close();
  assert.equal(r.messages, [[{ jsonrpc: '2.0', method: 'a' }]]);
  assert.is(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /not JSON, ignored and not answered: "this is not json"/);
});

client('end to end with the stdio server transport on real stdio: the server exits on EOF', async () => {
  let stderr = '';
  const t = createStdioClientTransport({
    command: process.execPath,
    args: ['--conditions=mcpwire-source', '--import', 'tsx', transportServer],
    stderr: (chunk) => (stderr += chunk),
    closeGraceMs: 5_000,
  });
  const r = recorder();
  await t.start(r);
  const reply = r.next();
  const message: JsonRpcMessage = { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { text: '😀'.repeat(10_000) } };
  await t.send(message);
  assert.equal(await reply, message);
  const started = Date.now();
  await t.close();
  assert.ok(Date.now() - started < 4_000, 'the server exited on EOF, no signal needed');
  assert.match(stderr, /(^|\n)closed\n$/);
  assert.equal(r.closes, [undefined]);
});

client.run();
