// `await using` on what the library makes: the client, the server, the HTTP handler, listen()'s
// result and the transports close through [Symbol.asyncDispose] when the block ends. Without it
// `await using` threw "TypeError: Symbol(Symbol.asyncDispose) is not a function" at the declaration.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { createClient, createHttpClientTransport, createStdioClientTransport } from '../client/index.ts';
import { createMcpHttpHandler, createServer, serveEras } from '../server/index.ts';
import { createMemoryPair, createStdioServerTransport, listen } from '../transport/index.ts';
import { LocalErrorCode, McpError } from '../protocol/index.ts';

const test = suite('await using: client, server, handler, listen and transports');

const closedError = (e: unknown) => e instanceof McpError && e.code === LocalErrorCode.Closed;

test('server and client over a memory pair', async () => {
  let client!: ReturnType<typeof createClient>;
  let closedServerSide = false;
  {
    await using server = createServer({ name: 's', version: '1' });
    server.tool({ name: 'echo' }, () => 'hi');
    const [a, b] = createMemoryPair();
    await server.connect(b, { onClose: () => { closedServerSide = true; } });
    await using c = createClient({ name: 'c', version: '1' });
    client = c;
    await client.connect(a);
    assert.is((await client.callTool('echo', {})).content[0]?.type, 'text');
  }
  assert.ok(closedServerSide, 'the server closed its connection');
  const error = await client.callTool('echo', {}).then(() => undefined, (e: unknown) => e);
  assert.ok(closedError(error), String(error));
});

test('memory and stdio server transports', async () => {
  const [a, b] = createMemoryPair();
  {
    await using _a = a;
    await using _b = b;
  }
  assert.ok(closedError(await a.send({ jsonrpc: '2.0', method: 'x' }).catch((e: unknown) => e)));
  let ended = false;
  {
    await using t = createStdioServerTransport({ stdin: new PassThrough(), stdout: new PassThrough(), guardStdout: false });
    await t.start({ onMessage: () => {}, onError: () => {}, onClose: () => { ended = true; } });
  }
  assert.ok(ended, 'the stdio server transport closed');
});

test('HTTP: the handler, listen() and the HTTP client transport', async () => {
  const server = createServer({ name: 's', version: '1' });
  let url = '';
  let handlerRef!: ReturnType<typeof createMcpHttpHandler>;
  {
    await using handler = createMcpHttpHandler(server, { disableHostChecks: true });
    handlerRef = handler;
    await using listening = await listen(handler, { port: 0 });
    url = `http://127.0.0.1:${listening.port}/mcp`;
    const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
    await using transport = createHttpClientTransport({ url });
    await client.connect(transport);
    assert.is(handler.sessionCount, 1);
  }
  assert.is(handlerRef.sessionCount, 0, 'the HTTP client transport ended its session, the handler closed');
  const refused = await fetch(url, { method: 'POST' }).then(() => undefined, (e: unknown) => e);
  assert.ok(refused instanceof Error, 'nothing listens any more');
});

test('stdio client transport: the server process is gone after the block', async () => {
  let pid: number | undefined;
  {
    await using t = createStdioClientTransport({ command: process.execPath, args: ['-e', 'process.stdin.resume()'], stderr: 'ignore' });
    await t.start({ onMessage: () => {}, onError: () => {}, onClose: () => {} });
    pid = t.pid;
  }
  assert.type(pid, 'number');
  assert.throws(() => process.kill(pid!, 0), 'the child is gone');
});

/** A modern client over a memory pair, and a promise for the first notifications/cancelled it sends. */
async function modernClient() {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'echo' }, () => 'hi');
  const [a, b] = createMemoryPair();
  void serveEras(server, b);
  let cancelled!: (id: unknown) => void;
  // Bounded: a listen that is never ended fails the case instead of hanging the file.
  const cancel = new Promise<unknown>((resolve, reject) => {
    cancelled = resolve;
    setTimeout(() => reject(new Error('no notifications/cancelled within 10 s: the listen was not ended')), 10_000).unref();
  });
  cancel.catch(() => {}); // a case that failed before awaiting it

  const send = a.send.bind(a);
  a.send = (m, o) => {
    if (!Array.isArray(m) && 'method' in m && m.method === 'notifications/cancelled') cancelled(m.params?.requestId);
    return send(m, o);
  };
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern' });
  await client.connect(a);
  return { client, server, cancel };
}

test('client.listen: await using ends the listen (2026-07-28: notifications/cancelled naming it)', async () => {
  const { client, server, cancel } = await modernClient();
  let id: unknown;
  {
    await using listening = client.listen({ toolsListChanged: true });
    await listening.acknowledged;
    id = listening.subscriptionId;
  }
  assert.is(await cancel, id);
  await client.close();
  await server.close();
});

test('client.listen: an aborted signal ends the listen', async () => {
  const { client, server, cancel } = await modernClient();
  const stop = new AbortController();
  const listening = client.listen({ toolsListChanged: true }, {}, { signal: stop.signal });
  await listening.acknowledged;
  stop.abort();
  assert.is(await cancel, listening.subscriptionId);
  await client.close();
  await server.close();
});

test.run();
