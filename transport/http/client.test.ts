import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { createHttpClientTransport, type HttpClientTransportOptions } from './client.ts';
import { createCollector, createFakeFetch, jsonResponse, sseWriter, type FakeCall, type SseWriter } from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const initialize = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const initResult = (id: number) => ({ jsonrpc: '2.0', id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } } });
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const progress = (token: number, p: number) => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: p } });

async function started(handler: (c: FakeCall) => Response | Promise<Response>, extra: Partial<HttpClientTransportOptions> = {}) {
  const fake = createFakeFetch(handler);
  const collector = createCollector();
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, ...extra });
  await transport.start(collector.handlers);
  return { transport, collector, calls: fake.calls };
}

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const json = suite('POST answered with JSON');

json('sends the headers the spec asks for and hands the reply up', async () => {
  const { transport, collector, calls } = await started((c) => jsonResponse(initResult((c.body as { id: number }).id)));
  await transport.send(initialize(1));
  assert.is(calls.length, 1);
  assert.is(calls[0]!.method, 'POST');
  assert.is(calls[0]!.headers.accept, 'application/json, text/event-stream');
  assert.is(calls[0]!.headers['content-type'], 'application/json');
  assert.is(calls[0]!.headers['mcp-session-id'], undefined);
  assert.is(calls[0]!.headers['mcp-protocol-version'], undefined);
  assert.equal(calls[0]!.body, initialize(1));
  assert.equal(collector.messages, [{ payload: initResult(1), relatedRequestId: 1 }]);
  await transport.close();
});

json('captures the session id of initialize and sends it, with the version, afterwards', async () => {
  const { transport, calls } = await started((c) => {
    const body = c.body as { id?: number; method: string };
    if (body.method === 'initialize') return jsonResponse(initResult(1), { headers: { 'MCP-Session-Id': 'abc-123' } });
    if (body.id === undefined) return new Response(null, { status: 202 });
    return jsonResponse({ jsonrpc: '2.0', id: body.id, result: {} }, { headers: { 'mcp-session-id': 'other' } });
  }, { openStandaloneStream: false, headers: { Authorization: 'Bearer t', 'MCP-Session-Id': 'user-value' } });
  await transport.send(initialize(1));
  assert.is(transport.sessionId, 'abc-123');
  transport.setProtocolVersion!('2025-06-18');
  await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await transport.send(call(2));
  assert.is(transport.sessionId, 'abc-123', 'only the initialize response sets the id');
  for (const c of calls.slice(1)) {
    assert.is(c.headers['mcp-session-id'], 'abc-123');
    assert.is(c.headers['mcp-protocol-version'], '2025-06-18');
    assert.is(c.headers.authorization, 'Bearer t');
  }
  await transport.close();
});

json('refuses a session id that is not visible ASCII', async () => {
  for (const bad of ['has space', 'tab\there', 'é']) {
    const { transport } = await started(() => jsonResponse(initResult(1), { headers: { 'mcp-session-id': bad } }));
    const error = await rejects(transport.send(initialize(1)));
    assert.instance(error, McpError);
    assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL');
    assert.is(transport.sessionId, undefined);
    await transport.close();
  }
});

json('hands unparsable JSON up as such (the call it should answer fails at once) and refuses an oversize body', async () => {
  const { transport, collector } = await started(() => new Response('{nope', { headers: { 'content-type': 'application/json' } }));
  assert.is((await rejects(transport.send(call(1))) as McpError).code, 'MCP_ERR_PROTOCOL');
  assert.is((collector.messages[0]!.payload as object).constructor.name, 'UnparsablePayload');
  await transport.close();
  const big = await started(() => jsonResponse({ jsonrpc: '2.0', id: 1, result: { pad: 'x'.repeat(2_000) } }), { maxEventBytes: 1_000 });
  const error = await rejects(big.transport.send(call(1)));
  assert.is((error as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  await big.transport.close();
});

json.run();

const sse = suite('POST answered with an SSE stream');

sse('resolves on the headers, then delivers progress and the response with relatedRequestId', async () => {
  let writer!: SseWriter;
  const { transport, collector } = await started(() => (writer = sseWriter()).response);
  const tokens: string[] = [];
  await transport.send(call(7), { onResumptionToken: (t) => tokens.push(t) });
  assert.is(collector.messages.length, 0, 'send resolved before any event');
  writer.event({ id: 'e0' }); // priming: an id and empty data
  writer.write(': keep-alive\n\n');
  writer.event({ id: 'e1', data: progress(7, 1) });
  writer.event({ id: 'e2', event: 'other', data: 'not json-rpc' });
  writer.event({ id: 'e3', data: { jsonrpc: '2.0', id: 7, result: { content: [] } } });
  await collector.until(() => collector.messages.length === 2, 'two messages');
  await writer.cancelled; // the response ends the stream: the client lets go of the body
  assert.equal(collector.messages, [
    { payload: progress(7, 1), relatedRequestId: 7 },
    { payload: { jsonrpc: '2.0', id: 7, result: { content: [] } }, relatedRequestId: 7 },
  ]);
  assert.equal(tokens, ['e0', 'e1', 'e2', 'e3']);
  assert.equal(collector.errors, []);
  await transport.close();
});

sse('a server request on the stream carries the related request id', async () => {
  let writer!: SseWriter;
  const { transport, collector } = await started(() => (writer = sseWriter()).response);
  await transport.send(call(3));
  writer.event({ id: '1', data: { jsonrpc: '2.0', id: 'srv-1', method: 'elicitation/create', params: {} } });
  await collector.until(() => collector.messages.length === 1, 'elicitation');
  assert.is(collector.messages[0]!.relatedRequestId, 3);
  await transport.close();
  await writer.cancelled;
});

sse('an event over maxEventBytes is dropped and reported; the stream goes on', async () => {
  let writer!: SseWriter;
  const { transport, collector } = await started(() => (writer = sseWriter()).response, { maxEventBytes: 200 });
  await transport.send(call(4));
  writer.event({ id: 'a', data: { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'x'.repeat(500) } } });
  writer.event({ id: 'b', data: { jsonrpc: '2.0', id: 4, result: {} } });
  await collector.until(() => collector.messages.length === 1, 'the response');
  assert.equal(collector.messages[0]!.payload, { jsonrpc: '2.0', id: 4, result: {} });
  assert.is(collector.errors.length, 1);
  assert.is((collector.errors[0] as McpError).code, 'MCP_ERR_MESSAGE_TOO_LARGE');
  await transport.close();
});

sse.run();

const accepted = suite('202 and bodies nobody asked for');

accepted('a notification gets 202; a body sent with it is read and ignored', async () => {
  let pulls = 0;
  const { transport, collector } = await started(() => new Response(new ReadableStream({
    pull(c) {
      pulls++;
      if (pulls <= 3) c.enqueue(new TextEncoder().encode(`{"jsonrpc":"2.0","id":${pulls},"result":{}}`));
      else c.close();
    },
  }), { status: 202, headers: { 'content-type': 'application/json' } }));
  await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await transport.send({ jsonrpc: '2.0', id: 'srv-1', result: {} });
  await transport.close();
  assert.ok(pulls >= 4, 'the body was drained');
  assert.equal(collector.messages, []);
  assert.equal(collector.errors, []);
});

accepted.run();

const errors = suite('error statuses');

errors('404 on a session: the id is forgotten, onSessionExpired is told, send rejects with HttpError', async () => {
  const expired: string[] = [];
  const { transport, calls } = await started((c) => {
    if (c.headers['mcp-session-id'] === 'old') return jsonResponse({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' } }, { status: 404 });
    return jsonResponse({ jsonrpc: '2.0', id: (c.body as { id: number }).id, result: {} });
  }, { sessionId: 'old', protocolVersion: '2025-11-25', openStandaloneStream: false, onSessionExpired: (id) => expired.push(id) });
  const [a, b] = await Promise.all([rejects(transport.send(call(1))), rejects(transport.send(call(2)))]);
  for (const error of [a, b]) {
    assert.instance(error, HttpError);
    assert.is((error as HttpError).status, 404);
    assert.match((error as HttpError).message, /expired.*re-initialized/);
  }
  assert.equal(expired, ['old'], 'told once');
  assert.is(transport.sessionId, undefined);
  await transport.send(call(3));
  assert.is(calls[2]!.headers['mcp-session-id'], undefined);
  await transport.close();
  assert.is(calls.length, 3, 'no DELETE without a session');
});

errors('404 without a session is an ordinary HttpError', async () => {
  const expired: string[] = [];
  const { transport } = await started(() => new Response('no such endpoint', { status: 404 }), { onSessionExpired: (id) => expired.push(id) });
  const error = await rejects(transport.send(call(1)));
  assert.is((error as HttpError).status, 404);
  assert.not.match((error as HttpError).message, /expired/);
  assert.equal(expired, []);
  await transport.close();
});

errors('4xx/5xx carry the status and the JSON-RPC error of the body', async () => {
  const { transport } = await started((c) => (c.body as { id: number }).id === 1
    ? jsonResponse({ jsonrpc: '2.0', error: { code: -32600, message: 'Bad Request: missing session' } }, { status: 400 })
    : new Response('upstream down', { status: 503 }));
  const bad = (await rejects(transport.send(call(1)))) as HttpError;
  assert.instance(bad, HttpError);
  assert.is(bad.status, 400);
  assert.equal(bad.rpcError, { code: -32600, message: 'Bad Request: missing session' });
  assert.match(bad.message, /400.*missing session/);
  const down = (await rejects(transport.send(call(2)))) as HttpError;
  assert.is(down.status, 503);
  assert.is(down.rpcError, undefined);
  assert.match(down.message, /upstream down/);
  await transport.close();
});

errors('a network failure and an unknown content type reject send', async () => {
  const cause = new TypeError('connect ECONNREFUSED');
  const { transport } = await started((c) => {
    if ((c.body as { id: number }).id === 1) throw cause;
    return new Response('<html>', { headers: { 'content-type': 'text/html' } });
  });
  const net = (await rejects(transport.send(call(1)))) as McpError;
  assert.is(net.code, 'MCP_ERR_HTTP');
  assert.is(net.cause, cause);
  const html = (await rejects(transport.send(call(2)))) as McpError;
  assert.is(html.code, 'MCP_ERR_PROTOCOL');
  assert.match(html.message, /text\/html/);
  await transport.close();
});

errors.run();

const closing = suite('close and terminateSession');

closing('close aborts open streams, DELETEs the session once, and calls onClose once', async () => {
  let writer!: SseWriter;
  const { transport, collector, calls } = await started((c) => {
    if (c.method === 'DELETE') return new Response(null, { status: 200 });
    return (writer = sseWriter()).response;
  }, { sessionId: 'sid', openStandaloneStream: false });
  await transport.send(call(1));
  await Promise.all([transport.close(), transport.close()]);
  await writer.cancelled;
  const deletes = calls.filter((c) => c.method === 'DELETE');
  assert.is(deletes.length, 1);
  assert.is(deletes[0]!.headers['mcp-session-id'], 'sid');
  assert.is(collector.closes, 1);
  assert.equal(collector.errors, []);
  const error = (await rejects(transport.send(call(2)))) as McpError;
  assert.is(error.code, 'MCP_ERR_CLOSED');
});

closing('a 405 to DELETE is fine; a network error is reported, and close still succeeds', async () => {
  const refused = await started(() => new Response(null, { status: 405 }), { sessionId: 'sid', openStandaloneStream: false });
  await refused.transport.close();
  assert.equal(refused.collector.errors, []);
  assert.is(refused.collector.closes, 1);
  const down = await started(() => { throw new TypeError('socket hang up'); }, { sessionId: 'sid', openStandaloneStream: false });
  await down.transport.close();
  assert.is(down.collector.errors.length, 1);
  assert.match(down.collector.errors[0]!.message, /DELETE.*socket hang up/);
  assert.is(down.collector.closes, 1);
});

closing('terminateSession deletes the session and keeps the transport open', async () => {
  const { transport, calls } = await started((c) => c.method === 'DELETE'
    ? new Response(null, { status: 204 })
    : jsonResponse({ jsonrpc: '2.0', id: 1, result: {} }), { sessionId: 'sid', openStandaloneStream: false });
  assert.is(await transport.terminateSession(), true);
  assert.is(transport.sessionId, undefined);
  await transport.send(call(1));
  assert.is(calls[1]!.headers['mcp-session-id'], undefined);
  await transport.close();
  assert.is(calls.filter((c) => c.method === 'DELETE').length, 1);
});

closing('terminateSession answers false on 405 and keeps the id', async () => {
  const { transport } = await started(() => new Response(null, { status: 405 }), { sessionId: 'sid', openStandaloneStream: false });
  assert.is(await transport.terminateSession(), false);
  assert.is(transport.sessionId, 'sid');
  await transport.close();
});

closing.run();
