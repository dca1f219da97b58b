import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport, type HttpClientTransportOptions } from './client.ts';
import {
  createAutoTimers, createCollector, createFakeFetch, createSteppedTimers, jsonResponse, sseWriter, type FakeCall, type SseWriter,
} from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const initialized: JsonRpcMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
const note = (n: number) => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } });

/** A server whose POSTs succeed (initialize issues `sid`) and whose GETs `onGet` answers. */
async function setup(onGet: (call: FakeCall, index: number) => Response | Promise<Response>, extra: Partial<HttpClientTransportOptions> = {}) {
  let gets = 0;
  const collector = createCollector();
  const fake = createFakeFetch((call) => {
    if (call.method === 'GET') {
      queueMicrotask(collector.poke);
      return onGet(call, gets++);
    }
    if (call.method === 'DELETE') return new Response(null, { status: 200 });
    const body = call.body as { id?: number; method?: string };
    if (body.method === 'initialize') return jsonResponse({ jsonrpc: '2.0', id: body.id, result: {} }, { headers: { 'mcp-session-id': 'sid' } });
    if (body.id === undefined) return new Response(null, { status: 202 });
    return jsonResponse({ jsonrpc: '2.0', id: body.id, result: {} });
  });
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, timers: createAutoTimers(), ...extra });
  await transport.start(collector.handlers);
  const handshake = async (): Promise<void> => {
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    transport.setProtocolVersion!('2025-11-25');
    await transport.send(initialized);
  };
  const getCalls = () => fake.calls.filter((c) => c.method === 'GET');
  return { transport, collector, calls: fake.calls, getCalls, handshake };
}

const opening = suite('the standalone GET stream opens after initialization');

opening('GET with the SSE Accept, session and version headers; messages have no related request', async () => {
  let writer!: SseWriter;
  const { transport, collector, getCalls, calls } = await setup(() => (writer = sseWriter()).response);
  await transport.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
  transport.setProtocolVersion!('2025-11-25');
  assert.is(getCalls().length, 0, 'not before notifications/initialized went through');
  await transport.send(initialized);
  await collector.until(() => getCalls().length === 1, 'the GET');
  const get = getCalls()[0]!;
  assert.is(get.headers.accept, 'text/event-stream');
  assert.is(get.headers['mcp-session-id'], 'sid');
  assert.is(get.headers['mcp-protocol-version'], '2025-11-25');
  assert.is(get.headers['last-event-id'], undefined);
  assert.is(calls.indexOf(get), 2, 'after the initialized notification');
  writer.event({ id: 'g1', data: note(1) });
  await collector.until(() => collector.messages.length === 2, 'the notification');
  assert.equal(collector.messages[1], { payload: note(1), relatedRequestId: undefined });
  transport.setProtocolVersion!('2025-11-25');
  assert.is(getCalls().length, 1, 'never two standalone streams');
  await transport.close();
  await writer.cancelled;
});

opening('openStandaloneStream: false never opens it; a rejoined session opens it on start', async () => {
  const off = await setup(() => sseWriter().response, { openStandaloneStream: false });
  await off.handshake();
  assert.is(off.getCalls().length, 0);
  await off.transport.close();
  let writer!: SseWriter;
  const rejoined = await setup(() => (writer = sseWriter()).response, { sessionId: 'stored', protocolVersion: '2025-06-18' });
  await rejoined.collector.until(() => rejoined.getCalls().length === 1, 'the GET');
  assert.is(rejoined.getCalls()[0]!.headers['mcp-session-id'], 'stored');
  await rejoined.transport.close();
  await writer.cancelled;
});

opening.run();

const refusals = suite('a refused standalone stream is not fatal');

refusals('405: the server offers none; no error, no retry', async () => {
  const { transport, collector, getCalls, handshake } = await setup(() => new Response(null, { status: 405 }));
  await handshake();
  await transport.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  await collector.until(() => collector.messages.length === 2, 'tools/list answer');
  await transport.close();
  assert.is(getCalls().length, 1);
  assert.equal(collector.errors, []);
});

refusals('404 and 400: reported once through onError, not retried, the session goes on', async () => {
  for (const status of [404, 400]) {
    const { transport, collector, getCalls, handshake } = await setup(() => jsonResponse({ jsonrpc: '2.0', error: { code: -32000, message: 'no GET here' } }, { status }));
    await handshake();
    await collector.until(() => collector.errors.length === 1, 'the report');
    const error = collector.errors[0] as HttpError;
    assert.instance(error, HttpError);
    assert.is(error.status, status);
    assert.match(error.message, /standalone.*no GET here/);
    await transport.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    assert.is(transport.sessionId, 'sid');
    await transport.close();
    assert.is(getCalls().length, 1);
    assert.is(collector.errors.length, 1);
    assert.is(collector.closes, 1);
  }
});

refusals.run();

const reconnect = suite('a dropped standalone stream reconnects, bounded');

reconnect('reconnects with the last event id after the server\'s retry', async () => {
  const timers = createSteppedTimers();
  const writers: SseWriter[] = [];
  const { transport, collector, getCalls, handshake } = await setup(() => {
    const w = sseWriter();
    writers.push(w);
    return w.response;
  }, { timers });
  await handshake();
  await collector.until(() => writers.length === 1, 'first GET');
  writers[0]!.event({ id: 'g1', retry: 2_500, data: note(1) });
  writers[0]!.event({ id: 'g2', data: note(2) });
  // error() drops what is still queued, as a lost connection does: let the client read first.
  await collector.until(() => collector.messages.length === 3, 'two notifications');
  writers[0]!.fail();
  assert.is(await timers.next(), 2_500);
  assert.is(getCalls().length, 1);
  timers.fire();
  await collector.until(() => writers.length === 2, 'second GET');
  assert.is(getCalls()[1]!.headers['last-event-id'], 'g2');
  writers[1]!.event({ id: 'g3', data: note(3) });
  await collector.until(() => collector.messages.length === 4, 'three notifications');
  assert.equal(collector.messages.slice(1).map((m) => m.payload), [note(1), note(2), note(3)]);
  assert.equal(collector.errors, []);
  await transport.close();
});

reconnect('a stream that never had an id reconnects without Last-Event-ID', async () => {
  const writers: SseWriter[] = [];
  const { transport, collector, getCalls, handshake } = await setup(() => {
    const w = sseWriter();
    writers.push(w);
    return w.response;
  });
  await handshake();
  await collector.until(() => writers.length === 1, 'first GET');
  writers[0]!.event({ data: note(1) });
  writers[0]!.end();
  await collector.until(() => writers.length === 2, 'second GET');
  assert.is(getCalls()[1]!.headers['last-event-id'], undefined);
  await transport.close();
});

reconnect('gives up after maxAttempts failed reconnections, with one onError', async () => {
  const timers = createAutoTimers();
  const { transport, collector, getCalls, handshake } = await setup((_call, index) => {
    if (index > 0) return new Response('down', { status: 502 });
    const w = sseWriter();
    w.event({ id: 'g1', data: note(1) });
    w.end();
    return w.response;
  }, { timers, reconnect: { maxAttempts: 4, initialDelayMs: 10, maxDelayMs: 40 } });
  await handshake();
  await collector.until(() => collector.errors.length === 1, 'the give-up report');
  assert.is(getCalls().length, 5);
  assert.ok(getCalls().slice(1).every((c) => c.headers['last-event-id'] === 'g1'));
  assert.equal(timers.delays, [10, 20, 40, 40]);
  assert.match(collector.errors[0]!.message, /gave up on the standalone SSE stream after 4/);
  assert.is((collector.errors[0] as { code?: string }).code, 'MCP_ERR_RESUME');
  await transport.close();
  assert.is(collector.errors.length, 1);
});

reconnect('a session that expired stops the standalone stream', async () => {
  let writer!: SseWriter;
  const expired: string[] = [];
  let gone = false;
  const fake = createFakeFetch((call) => {
    if (call.method === 'GET') return (writer = sseWriter()).response;
    if (gone) return new Response(null, { status: 404 });
    return new Response(null, { status: 202 });
  });
  const collector = createCollector();
  const transport = createHttpClientTransport({
    url: URL_, fetch: fake.fetch, sessionId: 'sid', protocolVersion: '2025-11-25', onSessionExpired: (id) => expired.push(id),
  });
  await transport.start(collector.handlers);
  await collector.until(() => writer !== undefined, 'the GET');
  gone = true;
  try {
    await transport.send(initialized);
    assert.unreachable('should reject');
  } catch (error) {
    assert.is((error as HttpError).status, 404);
  }
  await writer.cancelled;
  assert.equal(expired, ['sid']);
  await transport.close();
  assert.equal(collector.errors, []);
});

reconnect.run();
