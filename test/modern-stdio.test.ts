// Over a byte stream (stdio) the first message decides the era: a 2026-07-28 request gets
// the stateless dispatcher (MRTR, notifications/cancelled), `initialize` a 2025 connection.
// In process over the memory pair, and once through `mcpwire serve --stdio` (run
// `npm run build` first).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { JsonRpcMessage, Transport } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { PassThrough } from 'node:stream';
import { createStdioServerTransport } from '../transport/stdio/server.ts';
import { createMessageValidator } from '../conformance/index.ts';
import { serveEras } from '../server/index.ts';
import { envelope, testServer } from './modern-kit.ts';

/** The client end: send messages, await the next one received. */
function clientEnd(transport: Transport) {
  const inbox: any[] = [];
  const waiters: Array<(m: any) => void> = [];
  void transport.start({
    onMessage: (m) => { const w = waiters.shift(); if (w) w(m); else inbox.push(m); },
    onClose: () => {},
    onError: () => {},
  });
  return {
    send: (m: unknown) => transport.send(m as JsonRpcMessage),
    next: () => new Promise<any>((resolve) => { const m = inbox.shift(); if (m) resolve(m); else waiters.push(resolve); }),
  };
}

const memory = suite('the first message decides the era (memory pair)');

memory('a 2026-07-28 first request is served statelessly, MRTR included, and every message validates', async () => {
  const server = testServer();
  server.tool({ name: 'ask', description: 'Asks a name.' }, async (_a, ctx) => {
    const r = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, { key: 'who' });
    return `hi ${String(r.content?.name)}`;
  });
  const [c, s] = createMemoryPair();
  const era = serveEras(server, s);
  const client = clientEnd(c);
  const v = createMessageValidator('2026-07-28');
  const exchange = async (m: Record<string, unknown>) => {
    assert.equal(v.validate(m, 'client-to-server'), []);
    await client.send(m);
    const answer = await client.next();
    assert.equal(v.validate(answer, 'server-to-client'), []);
    return answer;
  };
  const discover = await exchange({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: envelope() } });
  assert.is(await era, 'modern');
  assert.ok(discover.result.supportedVersions.includes('2026-07-28'));
  const first = await exchange({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', _meta: envelope({ elicitation: {} }) } });
  assert.is(first.result.resultType, 'input_required');
  const done = await exchange({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ask', inputResponses: { who: { action: 'accept', content: { name: 'Ada' } } }, requestState: first.result.requestState, _meta: envelope({ elicitation: {} }) } });
  assert.equal(done.result.content, [{ type: 'text', text: 'hi Ada' }]);
  assert.is(server.connections.size, 0, 'no 2025 connection was made');
  await c.close();
});

memory('notifications/cancelled stops a modern handler and no response follows', async () => {
  const server = testServer();
  let aborted!: () => void;
  const sawAbort = new Promise<void>((resolve) => { aborted = resolve; });
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  server.tool({ name: 'slow', description: 'Waits until cancelled.' }, async (_a, ctx) => {
    started();
    if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    aborted();
    return 'late';
  });
  const [c, s] = createMemoryPair();
  void serveEras(server, s);
  const client = clientEnd(c);
  await client.send({ jsonrpc: '2.0', id: 'slow-1', method: 'tools/call', params: { name: 'slow', _meta: envelope() } });
  await running;
  await client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow-1' } });
  await sawAbort;
  await client.send({ jsonrpc: '2.0', id: 'after', method: 'tools/list', params: { _meta: envelope() } });
  const next = await client.next();
  assert.is(next.id, 'after', 'the cancelled request got no response');
  await c.close();
});

memory('initialize first makes a 2025 connection on the same transport', async () => {
  const server = testServer();
  const [c, s] = createMemoryPair();
  const era = serveEras(server, s);
  const client = clientEnd(c);
  await client.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } } });
  const init = await client.next();
  assert.is(init.result.protocolVersion, '2025-11-25');
  assert.is(await era, 'legacy');
  await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await client.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
  assert.equal((await client.next()).result, {});
  assert.is(server.connections.size, 1);
  await c.close();
});

const lines = suite('over the stdio transport, a suspended call is counted by its line');

lines('a large _meta counts against maxContinuationBytes: the oldest suspended call is dropped, its retry re-runs it', async () => {
  // A suspended handler keeps its request's _meta; counted by its params and state only, two
  // 600 KB envelopes passed a 1 MB budget unseen (faults7's leftover).
  const server = testServer();
  let starts = 0;
  server.tool({ name: 'ask', description: 'Asks a name.' }, async (_a, ctx) => {
    starts++;
    const r = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, { key: 'who' });
    return `hi ${String(r.content?.name)}`;
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  void serveEras(server, createStdioServerTransport({ stdin, stdout }), { modern: { inputRounds: { maxContinuationBytes: 1_000_000 } } });
  const out = createInterface({ input: stdout });
  const answers: any[] = [];
  const waiters: Array<(m: any) => void> = [];
  out.on('line', (line) => { const m = JSON.parse(line); const w = waiters.shift(); if (w) w(m); else answers.push(m); });
  const exchange = (m: unknown) => {
    stdin.write(`${JSON.stringify(m)}\n`);
    return new Promise<any>((resolve) => { const a = answers.shift(); if (a) resolve(a); else waiters.push(resolve); });
  };
  const meta = envelope({ elicitation: {} }, { 'example.com/pad': 'x'.repeat(600_000) });
  const a = await exchange({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask', _meta: meta } });
  const b = await exchange({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', _meta: meta } });
  assert.is(a.result.resultType, 'input_required');
  assert.is(b.result.resultType, 'input_required');
  const answer = (id: number, state: string, name: string) => ({
    jsonrpc: '2.0', id, method: 'tools/call',
    params: { name: 'ask', inputResponses: { who: { action: 'accept', content: { name } } }, requestState: state, _meta: envelope({ elicitation: {} }) },
  });
  assert.equal((await exchange(answer(3, a.result.requestState, 'Ada'))).result.content, [{ type: 'text', text: 'hi Ada' }]);
  assert.is(starts, 3, 'two first rounds, then a re-run of the dropped one');
  assert.equal((await exchange(answer(4, b.result.requestState, 'Bo'))).result.content, [{ type: 'text', text: 'hi Bo' }]);
  assert.is(starts, 3, 'the kept one resumed');
  stdin.end();
});

const cli = suite('mcpwire serve --stdio speaks 2026-07-28 when the first message does');

cli('server/discover, then a fixture tool call, over a child process', async () => {
  const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', '--stdio', '--fixtures'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const received: any[] = [];
  const waiters: Array<(m: any) => void> = [];
  lines.on('line', (line) => { const m = JSON.parse(line); const w = waiters.shift(); if (w) w(m); else received.push(m); });
  const next = () => new Promise<any>((resolve, reject) => {
    const m = received.shift();
    if (m) return resolve(m);
    const timer = setTimeout(() => reject(new Error('no answer from mcpwire serve --stdio within 10 s')), 10_000);
    waiters.push((x) => { clearTimeout(timer); resolve(x); });
  });
  const send = (m: unknown) => child.stdin!.write(`${JSON.stringify(m)}\n`);
  try {
    send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: envelope() } });
    assert.equal((await next()).result.supportedVersions[0], '2026-07-28');
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_input_required_result_elicitation', _meta: envelope({ elicitation: {} }) } });
    const first = await next();
    assert.equal(Object.keys(first.result.inputRequests), ['user_name']);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin!.end();
    await exited;
  }
});

memory.run();
lines.run();
cli.run();
