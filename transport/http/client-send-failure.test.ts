// The Transport contract's `failure` argument on the HTTP client transport (protocol/transport.ts
// SendFailure): a session's POST of a request is SENT at once and a later failure is told to
// `failure.sendFailed`, in a later job, with the same error the promise rejected with before;
// without `failure`, and for initialize, the promise settles with the exchange as it did. The
// peer engine passes its pending entry, so a call over HTTP fails as before without a promise.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, LocalErrorCode, McpError, createPeer, type JsonRpcMessage, type SendFailure } from '../../protocol/index.ts';
import { SENT } from '../../protocol/transport.ts';
import type { MethodSpec, SideMaps } from '../../protocol/methods.ts';
import { createHttpClientTransport } from './client.ts';
import { createCollector, createFakeFetch, jsonResponse, type FakeCall } from './client-fake-server.ts';

const URL_ = 'http://127.0.0.1:1/mcp';
const call = (id: number): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
const initialize: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

/** A transport on a 2025-11-25 session whose POSTs `handler` answers, not started. */
function unstarted(handler: (c: FakeCall) => Response | Promise<Response>) {
  const fake = createFakeFetch(handler);
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, sessionId: 's', protocolVersion: '2025-11-25', openStandaloneStream: false });
  return { transport, calls: fake.calls };
}

/** {@link unstarted}, started with a collector of what it hands up. */
async function session(handler: (c: FakeCall) => Response | Promise<Response>) {
  const { transport, calls } = unstarted(handler);
  const collector = createCollector();
  await transport.start(collector.handlers);
  return { transport, collector, calls };
}

/** A {@link SendFailure} that records what it is told; `told` resolves with the first error. */
function recording() {
  const errors: unknown[] = [];
  let tell: (error: unknown) => void = () => {};
  const told = new Promise<unknown>((resolve) => { tell = resolve; });
  const failure: SendFailure = { sendFailed(error) { errors.push(error); tell(error); } };
  return { failure, errors, told };
}

/** The one method the peer tests send. */
interface CallSide extends SideMaps {
  outRequests: { 'tools/call': MethodSpec<{ name: string }, { content: unknown[]; isError?: boolean }> };
  inRequests: object;
  outNotifications: object;
  inNotifications: object;
}

const contract = suite('HTTP client transport: a send failure told to `failure`');

contract('a refused POST: SENT at once, the HttpError told later, once, with its status', async () => {
  const { transport, calls } = await session(() => new Response('busy', { status: 500 }));
  const { failure, errors, told } = recording();
  const sent = transport.send(call(2), undefined, failure);
  assert.is(sent, SENT);
  assert.is(errors.length, 0, 'not told inside send');
  const error = await told;
  assert.instance(error, HttpError);
  assert.is((error as HttpError).status, 500);
  assert.is(calls.length, 1);
  await transport.close();
  assert.is(errors.length, 1);
});

contract('a POST that never got a reply: the network failure told, as an MCP_ERR_HTTP error', async () => {
  const { transport } = await session(() => Promise.reject(new TypeError('connection refused')));
  const { failure, told } = recording();
  assert.is(transport.send(call(2), undefined, failure), SENT);
  const error = await told;
  assert.instance(error, McpError);
  assert.is((error as McpError).code, LocalErrorCode.Http);
  assert.match((error as Error).message, /connection refused/);
  await transport.close();
});

contract('an answered POST: SENT, the response handed up, nothing told', async () => {
  const { transport, collector } = await session((c) => jsonResponse({ jsonrpc: '2.0', id: (c.body as { id: number }).id, result: { content: [] } }));
  const { failure, errors } = recording();
  assert.is(transport.send(call(3), undefined, failure), SENT);
  await collector.until(() => collector.messages.length === 1, 'the response');
  assert.equal(collector.messages[0]!.payload, { jsonrpc: '2.0', id: 3, result: { content: [] } });
  await transport.close();
  assert.is(errors.length, 0);
});

contract('without `failure` the promise rejects with the error, as before', async () => {
  const { transport } = await session(() => new Response('busy', { status: 500 }));
  let error: unknown;
  await transport.send(call(2)).catch((e: unknown) => { error = e; });
  assert.instance(error, HttpError);
  assert.is((error as HttpError).status, 500);
  await transport.close();
});

contract('a failure before send returns (closed transport) rejects, even with `failure`', async () => {
  const { transport } = await session(() => new Response(null, { status: 202 }));
  await transport.close();
  const { failure, errors } = recording();
  const sent = transport.send(call(2), undefined, failure);
  assert.is.not(sent, SENT);
  let error: unknown;
  await sent.catch((e: unknown) => { error = e; });
  assert.is((error as McpError).code, LocalErrorCode.Closed);
  assert.is(errors.length, 0);
});

contract('initialize keeps its promise (the HTTP+SSE fallback reads its failure)', async () => {
  const fake = createFakeFetch(() => new Response('no', { status: 500 }));
  const transport = createHttpClientTransport({ url: URL_, fetch: fake.fetch, legacySse: 'off', transportCache: false });
  await transport.start(createCollector().handlers);
  const { failure, errors } = recording();
  const sent = transport.send(initialize, undefined, failure);
  assert.is.not(sent, SENT);
  let error: unknown;
  await sent.catch((e: unknown) => { error = e; });
  assert.instance(error, HttpError);
  assert.is(errors.length, 0);
  await transport.close();
});

contract.run();

const peer = suite('peer over the HTTP client transport: a failed POST fails its call');

peer('the call rejects with the POST\'s HttpError (status kept), no cancel sent, nothing left pending', async () => {
  const { transport, calls } = unstarted(() => new Response('gone', { status: 404 }));
  const engine = createPeer<CallSide>();
  await engine.connect(transport);
  let error: unknown;
  await engine.request('tools/call', { name: 'x' }).catch((e: unknown) => { error = e; });
  assert.instance(error, HttpError);
  assert.is((error as HttpError).status, 404);
  assert.match((error as Error).message, /session expired/);
  // One POST: the call's; a call that failed to send is not cancelled (it never arrived).
  assert.is(calls.length, 1);
  await engine.close();
});

peer('the call still resolves with its result', async () => {
  const { transport } = unstarted((c) => jsonResponse({ jsonrpc: '2.0', id: (c.body as { id: number }).id, result: { content: [], isError: false } }));
  const engine = createPeer<CallSide>();
  await engine.connect(transport);
  assert.equal(await engine.request('tools/call', { name: 'x' }), { content: [], isError: false });
  await engine.close();
});

peer.run();
