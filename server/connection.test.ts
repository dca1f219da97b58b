import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, ErrorCode, type ClientSide, type Peer } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import type { ServerConnection } from './connection.ts';
import { DeclarationCache } from './declarations.ts';
import { createServer, type ConnectOptions, type McpServer } from './server.ts';

const CLIENT_CAPS = { elicitation: { form: {} }, sampling: {} };

/** A bare client session on a memory pair, so the tests send exactly what they mean to. */
async function open(server: McpServer, options?: ConnectOptions): Promise<{ peer: Peer<ClientSide>; conn: ServerConnection }> {
  const [clientEnd, serverEnd] = createMemoryPair();
  const peer = createPeer<ClientSide>();
  const conn = await server.connect(serverEnd, options);
  await peer.connect(clientEnd);
  return { peer, conn };
}

async function initialize(peer: Peer<ClientSide>, capabilities: object = CLIENT_CAPS, name = 'app'): Promise<void> {
  await peer.request('initialize', { protocolVersion: '2025-11-25', capabilities, clientInfo: { name, version: '1.0.0' } });
  await peer.notify('notifications/initialized', undefined);
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

const shared = suite('connections share what does not differ between them');

shared('connections made under one declaration share its capabilities; a change gives later ones a new object', async () => {
  const server = createServer({ name: 's', version: '1' });
  const a = await open(server);
  const b = await open(server);
  assert.is(a.conn.capabilities, b.conn.capabilities);
  assert.is(a.conn.capabilities.resources, undefined);
  server.resource({ uri: 'file:///a.txt', name: 'a' }, () => 'text');
  const c = await open(server);
  assert.is.not(c.conn.capabilities, a.conn.capabilities);
  assert.equal(c.conn.capabilities.resources, { subscribe: true, listChanged: true });
  // The earlier connection keeps what it declared (2025-11-25 basic/lifecycle).
  assert.is(a.conn.capabilities.resources, undefined);
  await server.close();
});

shared('clients declaring the same capabilities and clientInfo share one object; others get their own', async () => {
  const server = createServer({ name: 's', version: '1' });
  const a = await open(server);
  const b = await open(server);
  const c = await open(server);
  await initialize(a.peer);
  await initialize(b.peer, { elicitation: { form: {} }, sampling: {} });
  await initialize(c.peer, { sampling: {} }, 'other');
  assert.is(a.conn.clientCapabilities, b.conn.clientCapabilities);
  assert.is(a.conn.clientInfo, b.conn.clientInfo);
  assert.equal(a.conn.clientCapabilities, CLIENT_CAPS);
  assert.equal(c.conn.clientCapabilities, { sampling: {} });
  assert.equal(c.conn.clientInfo, { name: 'other', version: '1.0.0' });
  assert.is.not(a.conn.clientInfo, c.conn.clientInfo);
  await server.close();
});

shared('the declaration cache is bounded: large values are not kept, and a full cache starts over', () => {
  const cache = new DeclarationCache(2);
  const first = { x: 1 };
  assert.is(cache.share(first), first);
  assert.is(cache.share({ x: 1 }), first);
  const big = { text: 'x'.repeat(5_000) };
  assert.is.not(cache.share({ text: 'x'.repeat(5_000) }), big);
  assert.is(cache.share(big), big);
  cache.share({ y: 1 });
  cache.share({ z: 1 }); // full: starts over
  const again = { x: 1 };
  assert.is(cache.share(again), again);
});

const gating = suite('methods of a feature the connection did not declare');

gating('are refused as before: -32600 before initialize, -32601 naming the capability after', async () => {
  const server = createServer({ name: 's', version: '1' });
  const { peer } = await open(server);
  const early = await errorOf(peer.request('resources/list', undefined));
  assert.is(early.code, ErrorCode.InvalidRequest);
  assert.match(early.message, /before initialize/);
  await initialize(peer);
  const cases: Array<[string, RegExp]> = [
    ['resources/list', /does not offer resources/],
    ['resources/templates/list', /does not offer resources/],
    ['resources/read', /does not offer resources/],
    ['resources/subscribe', /does not offer resources\.subscribe/],
    ['resources/unsubscribe', /does not offer resources\.subscribe/],
    ['prompts/list', /does not offer prompts/],
    ['prompts/get', /does not offer prompts/],
    ['completion/complete', /does not offer completions/],
  ];
  for (const [method, message] of cases) {
    const error = await errorOf(peer.request(method as 'resources/read', { uri: 'file:///a.txt' } as never));
    assert.is(error.code, ErrorCode.MethodNotFound, method);
    assert.match(error.message, message);
  }
  await server.close();
});

gating('are served on connections made once the feature is declared', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.resource({ uri: 'file:///a.txt', name: 'a' }, () => 'text');
  server.prompt({ name: 'p', complete: {} }, () => 'hello');
  const { peer } = await open(server);
  await initialize(peer);
  const list = await peer.request('resources/list', undefined);
  assert.equal(list.resources.map((r) => r.uri), ['file:///a.txt']);
  const read = await peer.request('resources/read', { uri: 'file:///a.txt' });
  assert.equal(read.contents[0], { uri: 'file:///a.txt', text: 'text' });
  assert.equal(await peer.request('resources/subscribe', { uri: 'file:///a.txt' }), {});
  const prompts = await peer.request('prompts/list', undefined);
  assert.equal(prompts.prompts.map((p) => p.name), ['p']);
  const got = await peer.request('prompts/get', { name: 'p' });
  assert.equal(got.messages[0]?.content, { type: 'text', text: 'hello' });
  await server.close();
});

const lifecycle = suite('the connection lifecycle and its hooks');

lifecycle('hooks run in order; a closed connection leaves server.connections', async () => {
  const server = createServer({ name: 's', version: '1' }, { instructions: 'be brief' });
  const calls: string[] = [];
  const { peer, conn } = await open(server, {
    onInitialize: (c) => calls.push(`init ${c.protocolVersion}`),
    onLogLevel: (c) => calls.push(`level ${c.logLevel}`),
    onClose: (c) => calls.push(`close ${c.state} ${server.connections.has(c)}`),
  });
  assert.is(conn.state, 'awaiting-initialize');
  assert.is(conn.snapshot(), undefined);
  // The session's hooks are not part of the connection applications see.
  for (const hook of ['onClose', 'onError', 'checkInbound', 'checkOutbound', 'allowBatch']) assert.is(hook in conn, false, hook);
  const result = await peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: CLIENT_CAPS, clientInfo: { name: 'app', version: '1.0.0' } });
  assert.is(result.instructions, 'be brief');
  assert.equal(result.capabilities, conn.capabilities);
  assert.is(conn.state, 'initializing');
  await peer.notify('notifications/initialized', undefined);
  await peer.request('ping', undefined);
  assert.is(conn.state, 'ready');
  await peer.request('logging/setLevel', { level: 'warning' });
  assert.equal(conn.snapshot(), { protocolVersion: '2025-11-25', clientCapabilities: CLIENT_CAPS, clientInfo: { name: 'app', version: '1.0.0' }, logLevel: 'warning' });
  const again = await errorOf(peer.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } }));
  assert.is(again.code, ErrorCode.InvalidRequest);
  await conn.close();
  assert.is(conn.state, 'closed');
  assert.equal(calls, ['init 2025-11-25', 'level warning', 'close closed false']);
  assert.is(server.connections.size, 0);
});

lifecycle('a restored connection is ready at once, with its first request id and its negotiated facts', async () => {
  const server = createServer({ name: 's', version: '1' });
  const { peer, conn } = await open(server, {
    restore: { protocolVersion: '2025-06-18', clientCapabilities: { roots: {} }, logLevel: 'error' },
    firstRequestId: 500,
  });
  assert.is(conn.state, 'ready');
  assert.is(conn.protocolVersion, '2025-06-18');
  assert.is(conn.logLevel, 'error');
  let seenId: unknown;
  peer.onRequest('roots/list', (_params, rc) => {
    seenId = rc.requestId;
    return { roots: [] };
  });
  await conn.peer.request('roots/list', undefined);
  assert.is(seenId, 500);
  // The client declared no sampling: the connection refuses to ask for it.
  const refused = await errorOf(conn.peer.request('sampling/createMessage', { messages: [], maxTokens: 1 }));
  assert.match(refused.message, /did not declare the sampling capability/);
  await server.close();
});

shared.run();
gating.run();
lifecycle.run();
