import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from './manual-timers.ts';
import { createPeer, type Peer } from './peer.ts';
import type { SideMaps, MethodSpec } from './methods.ts';
import type { Transport, TransportHandlers } from './transport.ts';
import type { JsonRpcMessage } from './jsonrpc.ts';
import type { Timers } from './correlation.ts';
import { McpError, RpcError } from './errors.ts';

// A self-contained linked pair (protocol/ tests do not import transport/).
function pair(): { a: Transport; b: Transport; sentByA: JsonRpcMessage[]; sentByB: JsonRpcMessage[]; deliverRaw(to: 'a' | 'b', value: unknown): void } {
  const handlers: { a?: TransportHandlers; b?: TransportHandlers } = {};
  const sent = { a: [] as JsonRpcMessage[], b: [] as JsonRpcMessage[] };
  let closed = false;
  const make = (self: 'a' | 'b', other: 'a' | 'b'): Transport => ({
    async start(h) { handlers[self] = h; },
    async send(message) {
      if (closed) throw new Error('closed');
      sent[self].push(...(Array.isArray(message) ? message : [message]));
      const copy = JSON.parse(JSON.stringify(message));
      queueMicrotask(() => handlers[other]?.onMessage(copy));
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.a?.onClose();
      handlers.b?.onClose();
    },
  });
  return {
    a: make('a', 'b'), b: make('b', 'a'), sentByA: sent.a, sentByB: sent.b,
    deliverRaw: (to, value) => handlers[to]?.onMessage(value),
  };
}

interface TestSide extends SideMaps {
  outRequests: { add: MethodSpec<{ x: number; y: number }, { sum: number }>; slow: MethodSpec<{ ms?: number }, { ok: boolean }>; fail: MethodSpec<{ kind: string }, object>; nope: MethodSpec<undefined, object>; ask: MethodSpec<undefined, { answer: string }> };
  inRequests: TestSide['outRequests'];
  outNotifications: { 'notifications/hello': { n: number } };
  inNotifications: { 'notifications/hello': { n: number } };
}

const flush = () => new Promise((r) => setImmediate(r));

async function connected(opts: { clock?: Timers; errors?: Error[]; allowBatch?: boolean } = {}) {
  const p = pair();
  const errors = opts.errors ?? [];
  const common = { onError: (e: Error) => errors.push(e), ...(opts.clock ? { timers: opts.clock } : {}) };
  const client: Peer<TestSide> = createPeer<TestSide>(common);
  const server: Peer<TestSide> = createPeer<TestSide>({ ...common, allowBatch: () => opts.allowBatch ?? false });
  server.onRequest('add', ({ x, y }) => ({ sum: x + y }));
  server.onRequest('fail', ({ kind }) => {
    if (kind === 'rpc') throw new RpcError(-32602, 'bad x', { field: 'x' });
    throw new Error('exploded');
  });
  await client.connect(p.a);
  await server.connect(p.b);
  return { client, server, p, errors };
}

const rr = suite('peer: requests and responses');

rr('a request resolves with the typed result; ids are fresh integers', async () => {
  const { client, p } = await connected();
  assert.equal(await client.request('add', { x: 2, y: 3 }), { sum: 5 });
  assert.equal(await client.request('add', { x: 1, y: 1 }), { sum: 2 });
  const ids = p.sentByA.filter((m) => 'method' in m).map((m) => (m as { id: number }).id);
  assert.equal(ids, [1, 2]);
});

rr('an unknown method gets -32601', async () => {
  const { client } = await connected();
  const err = await client.request('nope', undefined).catch((e) => e);
  assert.instance(err, RpcError);
  assert.is(err.code, -32601);
});

rr('a handler RpcError keeps its code and data; any other throw is -32603', async () => {
  const { client } = await connected();
  const rpc = await client.request('fail', { kind: 'rpc' }).catch((e) => e);
  assert.is(rpc.code, -32602);
  assert.equal(rpc.data, { field: 'x' });
  const other = await client.request('fail', { kind: 'plain' }).catch((e) => e);
  assert.is(other.code, -32603);
  assert.is(other.message, 'exploded');
});

rr('ping is answered by default', async () => {
  const { client } = await connected();
  assert.equal(await (client as unknown as Peer<{ outRequests: { ping: MethodSpec<undefined, object> }; inRequests: object; outNotifications: object; inNotifications: object }>).request('ping', undefined), {});
});

rr('a response to an unknown id is reported through onError and nothing breaks', async () => {
  const { client, p, errors } = await connected();
  p.deliverRaw('a', { jsonrpc: '2.0', id: 999, result: {} });
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /unknown request id 999/);
  assert.equal(await client.request('add', { x: 1, y: 2 }), { sum: 3 });
});

rr('an invalid message is answered with -32600 and its id', async () => {
  const { p, errors } = await connected();
  p.deliverRaw('b', { jsonrpc: '1.0', id: 5, method: 'add' });
  await flush();
  const reply = p.sentByB.at(-1) as { id: number; error: { code: number } };
  assert.is(reply.id, 5);
  assert.is(reply.error.code, -32600);
  assert.ok(errors.length >= 1);
});

rr('a request id already in flight is refused', async () => {
  const { server, p } = await connected();
  let release!: () => void;
  server.onRequest('slow', () => new Promise((r) => { release = () => r({ ok: true }); }));
  p.deliverRaw('b', { jsonrpc: '2.0', id: 'dup', method: 'slow', params: {} });
  p.deliverRaw('b', { jsonrpc: '2.0', id: 'dup', method: 'slow', params: {} });
  await flush();
  const errorReply = p.sentByB.find((m) => 'error' in m) as { error: { code: number; message: string } };
  assert.is(errorReply.error.code, -32600);
  assert.match(errorReply.error.message, /already in flight/);
  release();
  await flush();
  assert.ok(p.sentByB.some((m) => 'result' in m));
});

const timing = suite('peer: timeouts, cancellation, progress');

timing('a timeout rejects with MCP_ERR_TIMEOUT, sends notifications/cancelled, and the late response is ignored', async () => {
  const clock = createManualTimers();
  const { client, server, p, errors } = await connected({ clock });
  let finish!: () => void;
  let handlerSignal!: AbortSignal;
  server.onRequest('slow', (_params, ctx) => new Promise((r) => { handlerSignal = ctx.signal; finish = () => r({ ok: true }); }));
  const pending = client.request('slow', {}, { timeoutMs: 1000 });
  await flush();
  clock.advance(999);
  await flush();
  clock.advance(1);
  const err = await pending.catch((e) => e);
  assert.instance(err, McpError);
  assert.is(err.code, 'MCP_ERR_TIMEOUT');
  await flush();
  const cancel = p.sentByA.find((m) => 'method' in m && m.method === 'notifications/cancelled') as unknown as { params: { requestId: number } };
  assert.is(cancel.params.requestId, 1);
  assert.ok(handlerSignal.aborted, 'the server handler saw the cancellation');
  finish();
  await flush();
  assert.not.ok(p.sentByB.some((m) => 'result' in m), 'a cancelled request gets no response');
  // a late response to the abandoned id is ignored quietly
  p.deliverRaw('a', { jsonrpc: '2.0', id: 1, result: {} });
  assert.equal(errors, []);
});

timing('aborting the signal rejects with MCP_ERR_ABORTED and cancels on the wire', async () => {
  const { client, server, p } = await connected();
  server.onRequest('slow', (_p, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
  const controller = new AbortController();
  const pending = client.request('slow', {}, { signal: controller.signal });
  await flush();
  controller.abort();
  const err = await pending.catch((e) => e);
  assert.is(err.code, 'MCP_ERR_ABORTED');
  await flush();
  assert.ok(p.sentByA.some((m) => 'method' in m && m.method === 'notifications/cancelled'));
  assert.not.ok(p.sentByB.some((m) => 'error' in m || 'result' in m), 'no response after cancellation');
});

timing('initialize is never cancelled on the wire: neither its timeout nor an abort sends notifications/cancelled', async () => {
  // 2025-11-25 basic/utilities/cancellation: "The initialize request MUST NOT be cancelled by clients".
  const clock = createManualTimers();
  const { client, server, p } = await connected({ clock });
  (server.onRequest as unknown as (m: string, h: () => Promise<never>) => void).call(server, 'initialize', () => new Promise<never>(() => {}));
  const ask = (method: string, params: unknown, options: object) => (client.request as unknown as (m: string, p: unknown, o: object) => Promise<unknown>).call(client, method, params, options);
  const timedOut = ask('initialize', {}, { timeoutMs: 1000 });
  const controller = new AbortController();
  const aborted = ask('initialize', {}, { signal: controller.signal });
  await flush();
  clock.advance(1000);
  controller.abort();
  assert.is((await timedOut.catch((e: McpError) => e) as McpError).code, 'MCP_ERR_TIMEOUT');
  assert.is((await aborted.catch((e: McpError) => e) as McpError).code, 'MCP_ERR_ABORTED');
  await flush();
  assert.equal(p.sentByA.map((m) => ('method' in m ? m.method : 'response')), ['initialize', 'initialize']);
});

timing('progress reaches the caller in order, resets the idle timeout, and non-increasing values are dropped', async () => {
  const clock = createManualTimers();
  const { client, server, errors } = await connected({ clock });
  let step!: (n: number) => Promise<void>;
  let done!: () => void;
  server.onRequest('slow', (_p, ctx) => new Promise((r) => { step = (n) => ctx.progress(n, 10); done = () => r({ ok: true }); }));
  const seen: number[] = [];
  const pending = client.request('slow', {}, { timeoutMs: 100, onProgress: (p) => seen.push(p.progress) });
  await flush();
  for (const n of [1, 2, 3]) {
    clock.advance(90);
    await step(n);
    await flush();
  }
  await step(3).catch((e) => errors.push(e)); // the emitter refuses a repeat before it reaches the wire
  clock.advance(90);
  done();
  assert.equal(await pending, { ok: true });
  assert.equal(seen, [1, 2, 3]);
  assert.ok(errors.some((e) => /must increase/.test(e.message)));
});

timing('the peer progress that does not increase is dropped and reported', async () => {
  const { client, server, p, errors } = await connected();
  server.onRequest('slow', () => new Promise(() => {}));
  const seen: number[] = [];
  const pending = client.request('slow', {}, { onProgress: (x) => seen.push(x.progress) });
  await flush();
  const token = (p.sentByA[0] as unknown as { params: { _meta: { progressToken: number } } }).params._meta.progressToken;
  for (const progress of [1, 5, 5, 4, 6]) p.deliverRaw('a', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress } });
  p.deliverRaw('a', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'other', progress: 1 } });
  assert.equal(seen, [1, 5, 6]);
  assert.is(errors.filter((e) => /progress/.test(e.message)).length, 3);
  p.deliverRaw('a', { jsonrpc: '2.0', id: 1, result: { ok: true } });
  assert.equal(await pending, { ok: true });
});

timing('the total timeout fires even when progress keeps arriving', async () => {
  const clock = createManualTimers();
  const { client, server } = await connected({ clock });
  let step!: (n: number) => Promise<void>;
  server.onRequest('slow', (_p, ctx) => new Promise(() => { step = (n) => ctx.progress(n); }));
  const pending = client.request('slow', {}, { timeoutMs: 100, maxTotalTimeoutMs: 250, onProgress: () => {} }).catch((e) => e);
  await flush();
  for (let n = 1; n <= 3; n++) { clock.advance(90); await step(n); await flush(); }
  const err = await pending;
  assert.is(err.code, 'MCP_ERR_TIMEOUT');
  assert.match(err.message, /total/);
});

timing('our request does not time out while we handle the peer request made on its behalf', async () => {
  const clock = createManualTimers();
  const { client, server } = await connected({ clock });
  let answer!: (s: string) => void;
  client.onRequest('ask', () => new Promise((r) => { answer = (s) => r({ answer: s }); }));
  server.onRequest('slow', async (_p, ctx) => ({ ok: (await ctx.request('ask', undefined, { timeoutMs: 1e9 })).answer === 'yes' }));
  const pending = client.request('slow', {}, { timeoutMs: 100, maxTotalTimeoutMs: 200 });
  await flush();
  clock.advance(10_000); // a human takes their time
  await flush();
  answer('yes');
  assert.equal(await pending, { ok: true });
});

timing('closing rejects everything pending with MCP_ERR_CLOSED and aborts handlers', async () => {
  const { client, server } = await connected();
  let handlerSignal!: AbortSignal;
  server.onRequest('slow', (_p, ctx) => new Promise(() => { handlerSignal = ctx.signal; }));
  const pending = client.request('slow', {});
  await flush();
  await client.close();
  const err = await pending.catch((e) => e);
  assert.is(err.code, 'MCP_ERR_CLOSED');
  assert.ok(handlerSignal.aborted);
  const after = await client.request('add', { x: 1, y: 1 }).catch((e) => e);
  assert.is(after.code, 'MCP_ERR_CLOSED');
});

timing('maxPendingRequests bounds outbound requests', async () => {
  const p = pair();
  const s = createPeer<TestSide>({ limits: { maxPendingRequests: 2 } });
  await s.connect(p.a);
  void s.request('slow', {}).catch(() => {});
  void s.request('slow', {}).catch(() => {});
  const err = await s.request('slow', {}).catch((e) => e);
  assert.is(err.code, 'MCP_ERR_TOO_MANY_PENDING');
  await s.close();
});

timing('a cancelled handler that never read its signal gets its response withheld; a signal read later is already aborted', async () => {
  const { client, server, p } = await connected();
  let finish!: () => void;
  let ctxOf!: { readonly signal: AbortSignal };
  server.onRequest('slow', (_p, ctx) => new Promise((r) => { ctxOf = ctx; finish = () => r({ ok: true }); }));
  const controller = new AbortController();
  const pending = client.request('slow', {}, { signal: controller.signal }).catch((e) => e);
  await flush();
  controller.abort();
  await pending;
  await flush();
  const signal = ctxOf.signal;
  assert.ok(signal.aborted);
  assert.is((signal.reason as Error).name, 'CancelledByPeer');
  finish();
  await flush();
  assert.not.ok(p.sentByB.some((m) => 'result' in m || 'error' in m), 'no response after cancellation');
});

timing('the request context can be destructured', async () => {
  const { client, server } = await connected();
  server.onRequest('slow', async (_p, { progress, request, requestId, signal }) => {
    await progress(1);
    const answer = await request('ask', undefined);
    return { ok: answer.answer === 'yes' && requestId === 1 && !signal.aborted };
  });
  client.onRequest('ask', () => ({ answer: 'yes' }));
  const seen: number[] = [];
  assert.equal(await client.request('slow', {}, { onProgress: (x) => seen.push(x.progress) }), { ok: true });
  assert.equal(seen, [1]);
});

const batch = suite('peer: batches (2025-03-26 only)');

batch('a batch is refused with -32600 unless the session allows it', async () => {
  const { p } = await connected();
  p.deliverRaw('b', [{ jsonrpc: '2.0', id: 1, method: 'add', params: { x: 1, y: 2 } }]);
  await flush();
  const reply = p.sentByB.at(-1) as { error: { code: number }; id?: unknown };
  assert.is(reply.error.code, -32600);
  assert.is(reply.id, undefined);
});

batch('an allowed batch is answered with one array holding each request response', async () => {
  const { p } = await connected({ allowBatch: true });
  const received: unknown[] = [];
  const origSend = p.b.send.bind(p.b);
  p.b.send = async (m, o) => { received.push(m); return origSend(m, o); };
  p.deliverRaw('b', [
    { jsonrpc: '2.0', id: 1, method: 'add', params: { x: 1, y: 2 } },
    { jsonrpc: '2.0', method: 'notifications/hello', params: { n: 1 } },
    { jsonrpc: '2.0', id: 2, method: 'nope' },
    { jsonrpc: '2.0', id: 3, method: 'add', params: { x: 5, y: 5 } },
  ]);
  await flush();
  await flush();
  const arr = received.find(Array.isArray) as Array<{ id: number; result?: { sum: number }; error?: { code: number } }>;
  assert.ok(arr, 'one array response');
  assert.is(arr.length, 3);
  const byId = new Map(arr.map((r) => [r.id, r]));
  assert.is(byId.get(1)?.result?.sum, 3);
  assert.is(byId.get(2)?.error?.code, -32601);
  assert.is(byId.get(3)?.result?.sum, 10);
});

rr.run();
timing.run();
batch.run();

const unsent = suite('a response the transport cannot send');

unsent('is reported naming its request, or saying it had no id, never "undefined"', async () => {
  const errors: Error[] = [];
  let handlers: TransportHandlers | undefined;
  const failing: Transport = {
    async start(h) { handlers = h; },
    async send() { throw new Error('pipe closed'); },
    async close() { handlers?.onClose(); },
  };
  const server: Peer<TestSide> = createPeer<TestSide>({ onError: (e) => errors.push(e) });
  server.onRequest('add', ({ x, y }) => ({ sum: x + y }));
  await server.connect(failing);
  handlers!.onMessage({ jsonrpc: '2.0', id: 'q-7', method: 'add', params: { x: 1, y: 2 } });
  handlers!.onMessage([{ jsonrpc: '2.0', id: 8, method: 'add', params: { x: 1, y: 2 } }]);
  for (let i = 0; i < 10 && errors.length < 2; i++) await flush();
  const texts = errors.map((e) => e.message);
  assert.ok(texts.includes('could not send the response to request "q-7"'), texts.join(' | '));
  assert.ok(texts.some((t) => t.startsWith('could not send an error response without a request id')), texts.join(' | '));
  assert.not.ok(texts.some((t) => /undefined|response null/.test(t)), texts.join(' | '));
});

unsent.run();
