import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport, type HttpClientTransportOptions } from './client.ts';
import {
  createAutoTimers, createCollector, createFakeFetch, createSteppedTimers, createReplayServer, sseWriter, type ReplayServerOptions,
} from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow' } });
const progress = (token: number, p: number) => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: p } });
const result = (id: number) => ({ jsonrpc: '2.0', id, result: { content: [] } });

/** What a full, uncut stream of request `id` delivers, in order. */
function expected(id: number, progressCount: number, from = 1): unknown[] {
  const out: unknown[] = [];
  for (let p = from; p <= progressCount; p++) out.push(progress(id, p));
  out.push(result(id));
  return out;
}

async function setup(server: ReplayServerOptions, extra: Partial<HttpClientTransportOptions> = {}) {
  const fake = createReplayServer(server);
  const collector = createCollector();
  const timers = createAutoTimers();
  const transport = createHttpClientTransport({
    url: URL_, fetch: fake.fetch, timers, sessionId: fake.sessionId, protocolVersion: '2025-11-25', openStandaloneStream: false, ...extra,
  });
  await transport.start(collector.handlers);
  return { fake, collector, timers, transport };
}

const gotAll = (collector: ReturnType<typeof createCollector>, n: number) => () =>
  collector.messages.length >= n || collector.failed.length > 0;

const cuts = suite('a cut POST stream is resumed from the latest event id');

for (const cut of ['end', 'error', 'mid-event'] as const) {
  cuts(`cut (${cut}) after k = 0..5 events: every message once, in order`, async () => {
    for (let k = 0; k <= 5; k++) {
      const { fake, collector, timers, transport } = await setup({ plan: [k, Infinity], cut, progressCount: 5 });
      const tokens: string[] = [];
      await transport.send(call(1), { onResumptionToken: (t) => tokens.push(t) });
      await collector.until(gotAll(collector, 6), `k=${k}: all messages`);
      assert.equal(collector.failed, [], `k=${k}`);
      assert.equal(collector.messages.map((m) => m.payload), expected(1, 5), `k=${k}: messages`);
      assert.ok(collector.messages.every((m) => m.relatedRequestId === 1));
      assert.equal(fake.resumes, [`s0.${k}`], `k=${k}: resumed from the last id seen`);
      assert.equal(tokens, ['s0.0', 's0.1', 's0.2', 's0.3', 's0.4', 's0.5', 's0.6'], `k=${k}: tokens`);
      // 0 ms: the grace for the stream's own end after its response (not a reconnection delay).
      assert.equal(timers.delays.filter((ms) => ms > 0), [1_000], `k=${k}: the default initial delay`);
      assert.equal(collector.errors, []);
      await transport.close();
    }
  });
}

cuts('an uncut stream is never resumed', async () => {
  const { fake, collector, transport } = await setup({ plan: [Infinity] });
  await transport.send(call(4));
  await collector.until(gotAll(collector, 6), 'all messages');
  assert.equal(fake.resumes, []);
  await transport.close();
});

cuts.run();

const again = suite('a resumed stream that drops again resumes with the newer id');

again('three drops, each resumed from the id before it', async () => {
  const { fake, collector, transport } = await setup({ plan: [1, 2, 1, Infinity], cut: 'error', progressCount: 5 });
  await transport.send(call(9));
  await collector.until(gotAll(collector, 6), 'all messages');
  assert.equal(collector.messages.map((m) => m.payload), expected(9, 5));
  assert.equal(fake.resumes, ['s0.1', 's0.3', 's0.4']);
  const gets = fake.calls.filter((c) => c.method === 'GET');
  assert.equal(gets.map((c) => c.headers['last-event-id']), ['s0.1', 's0.3', 's0.4']);
  for (const get of gets) {
    assert.is(get.headers.accept, 'text/event-stream');
    assert.is(get.headers['mcp-session-id'], fake.sessionId);
    assert.is(get.headers['mcp-protocol-version'], '2025-11-25');
  }
  await transport.close();
});

again('each connection bringing one event resets the attempt count', async () => {
  const { collector, transport } = await setup({ plan: [1, 1], cut: 'end', progressCount: 5 }, { reconnect: { maxAttempts: 1 } });
  await transport.send(call(2));
  await collector.until(gotAll(collector, 6), 'all messages');
  assert.equal(collector.failed, []);
  assert.equal(collector.messages.map((m) => m.payload), expected(2, 5));
  await transport.close();
});

again.run();

const retry = suite('the server\'s retry is honoured');

retry('waits exactly retry ms before reconnecting, and nothing happens before', async () => {
  const timers = createSteppedTimers();
  const { fake, collector, transport } = await setup({ plan: [2, Infinity], retry: 3_000 }, { timers });
  await transport.send(call(1));
  assert.is(await timers.next(), 3_000);
  await collector.until(() => collector.messages.length === 2, 'two progress');
  assert.is(fake.calls.filter((c) => c.method === 'GET').length, 0, 'no GET before the delay');
  timers.fire();
  await collector.until(gotAll(collector, 6), 'all messages');
  assert.equal(collector.messages.map((m) => m.payload), expected(1, 5));
  await transport.close();
});

retry('failing reconnections back off from the retry floor, capped, then give up', async () => {
  for (const [serverRetry, delays] of [[undefined, [100, 200, 400, 500, 500]], [300, [300, 300, 400, 500, 500]]] as const) {
    const fake = createReplayServer({ plan: [1], ...(serverRetry !== undefined ? { retry: serverRetry } : {}) });
    const collector = createCollector();
    const timers = createAutoTimers();
    const transport = createHttpClientTransport({
      url: URL_, timers, sessionId: 's', openStandaloneStream: false,
      reconnect: { initialDelayMs: 100, factor: 2, maxDelayMs: 500, maxAttempts: 5 },
      fetch: (url, init) => init.method === 'GET' ? Promise.resolve(new Response('busy', { status: 503 })) : fake.fetch(url, init),
    });
    await transport.start(collector.handlers);
    await transport.send(call(5));
    await collector.until(() => collector.failed.length === 1, 'give-up');
    assert.equal(timers.delays, delays);
    const { id, error } = collector.failed[0]!;
    assert.is(id, 5);
    assert.is((error as McpError).code, 'MCP_ERR_RESUME');
    assert.instance(error.cause, HttpError);
    assert.is(collector.errors.length, 1, 'and one onError');
    await transport.close();
  }
});

retry.run();

const giveUp = suite('giving up and streams that cannot be resumed');

giveUp('after maxAttempts reconnections that bring nothing, the request fails', async () => {
  const { fake, collector, transport } = await setup({ plan: [2, 0], cut: 'end' }, { reconnect: { maxAttempts: 3 } });
  await transport.send(call(3));
  await collector.until(() => collector.failed.length === 1, 'give-up');
  assert.is(fake.resumes.length, 3);
  assert.equal(fake.resumes, ['s0.2', 's0.2', 's0.2']);
  assert.is(collector.failed[0]!.id, 3);
  assert.is((collector.failed[0]!.error as McpError).code, 'MCP_ERR_RESUME');
  assert.match(collector.failed[0]!.error.message, /gave up.*3 reconnection attempts.*s0\.2/);
  assert.is(collector.errors.length, 1);
  await transport.close();
});

giveUp('a stream with no event id fails its request at once, without a GET', async () => {
  const fake = createFakeFetch(() => {
    const writer = sseWriter();
    writer.event({ data: progress(1, 1) });
    writer.end();
    return writer.response;
  });
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, timers: createAutoTimers() });
  await transport.start(collector.handlers);
  await transport.send(call(1));
  await collector.until(() => collector.failed.length === 1, 'failure');
  assert.match(collector.failed[0]!.error.message, /no event id.*cannot be resumed/);
  assert.is(fake.calls.length, 1);
  assert.is(collector.messages.length, 1);
  await transport.close();
});

giveUp('a cancelled request is not resumed', async () => {
  const timers = createSteppedTimers();
  const { fake, collector, transport } = await setup({ plan: [1, Infinity] }, { timers });
  await transport.send(call(6));
  await timers.next();
  await transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 6 } });
  assert.is(timers.pending.length, 0, 'the reconnection wait was dropped');
  assert.is(fake.calls.filter((c) => c.method === 'GET').length, 0);
  assert.equal(collector.failed, []);
  await transport.close();
});

giveUp.run();

const resume = suite('resume() from a stored token in a new transport');

resume('a new instance replays the rest of the stream, resuming again when it drops', async () => {
  const fake = createReplayServer({ plan: [2, 1, Infinity], cut: 'error', progressCount: 5 });
  const first = createCollector();
  const tokens: string[] = [];
  const old = createHttpClientTransport({ url: URL_, fetch: fake.fetch, timers: createAutoTimers(), reconnect: { maxAttempts: 0 }, openStandaloneStream: false });
  await old.start(first.handlers);
  await old.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
  old.setProtocolVersion!('2025-11-25');
  await old.send(call(2), { onResumptionToken: (t) => tokens.push(t) });
  await first.until(() => first.failed.length === 1, 'the old process loses the stream');
  const stored = { sessionId: old.sessionId!, token: tokens.at(-1)! };
  assert.is(stored.token, 's0.2');
  assert.is(first.messages.length, 3); // initialize result, progress 1 and 2

  const collector = createCollector();
  const newTokens: string[] = [];
  const fresh = createHttpClientTransport({
    url: URL_, fetch: fake.fetch, timers: createAutoTimers(), sessionId: stored.sessionId, protocolVersion: '2025-11-25', openStandaloneStream: false,
  });
  await fresh.start(collector.handlers);
  await fresh.resume(stored.token, { requestIds: [2], onResumptionToken: (t) => newTokens.push(t) });
  await collector.until(gotAll(collector, 4), 'the rest');
  assert.equal(collector.messages.map((m) => m.payload), expected(2, 5, 3));
  assert.ok(collector.messages.every((m) => m.relatedRequestId === 2));
  assert.equal(fake.resumes, ['s0.2', 's0.3']);
  assert.equal(newTokens, ['s0.3', 's0.4', 's0.5', 's0.6']);
  const get = fake.calls.find((c) => c.method === 'GET')!;
  assert.is(get.headers['mcp-session-id'], stored.sessionId);
  assert.is(get.headers['mcp-protocol-version'], '2025-11-25');
  await fresh.close();
  await old.close();
});

resume('rejects with HttpError when the server refuses the token or forgot the session', async () => {
  const fake = createReplayServer();
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, sessionId: 'sid', openStandaloneStream: false });
  await transport.start(collector.handlers);
  try {
    await transport.resume('nope.3', { requestIds: [1] });
    assert.unreachable('should reject');
  } catch (error) {
    assert.instance(error, HttpError);
    assert.is((error as HttpError).status, 400);
    assert.equal((error as HttpError).rpcError, { code: -32000, message: 'unknown event id' });
  }
  const gone = createHttpClientTransport({ url: URL_, sessionId: 'sid', fetch: async () => new Response(null, { status: 404 }) });
  await gone.start(createCollector().handlers);
  try {
    await gone.resume('s0.1');
    assert.unreachable('should reject');
  } catch (error) {
    assert.is((error as HttpError).status, 404);
  }
  await gone.close();
  await transport.close();
});

resume.run();
