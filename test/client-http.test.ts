// Our client over the Streamable HTTP client transport: loose peers like the conformance
// suite's mocks (a refused optional GET stream, a body sent back to a notification) are
// tolerated; after the server forgets the session, the client initializes a new one and
// renews its resource subscriptions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import type { HttpServerHandler } from 'mcpwire/transport';
import { HttpError } from 'mcpwire/protocol';
import { FIXTURE_RESOURCES, FIXTURE_SKILL_RESOURCES, registerFixtures } from '../conformance/fixtures/index.ts';
import { tapClient } from './harness.ts';

const URL_BASE = 'http://127.0.0.1:3000/mcp';
const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

const loose = suite('loose peers, like the suite\'s initialize mock');

for (const notificationStatus of [200, 202]) {
  loose(`a GET answered 400 is reported, not fatal; a JSON body on a ${notificationStatus} to a notification is ignored`, async () => {
    const seen: string[] = [];
    const fetch: FetchLike = async (_url, init) => {
      const body = init.body === undefined ? undefined : JSON.parse(init.body) as { id?: number; method?: string; params?: { protocolVersion?: string } };
      seen.push(`${init.method} ${body?.method ?? ''}`.trim());
      if (init.method === 'GET') return new Response('no GET here', { status: 400 });
      if (body?.method === 'initialize') return json({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: body.params!.protocolVersion, capabilities: {}, serverInfo: { name: 'mock', version: '1' } } });
      // The 0.1.16 mock answered notifications with a result that has no id.
      if (body?.id === undefined) return json({ jsonrpc: '2.0', result: {} }, notificationStatus);
      return json({ jsonrpc: '2.0', id: body.id, result: {} });
    };
    const errors: Error[] = [];
    const transport = tapClient(createHttpClientTransport({ url: URL_BASE, fetch }));
    const client = createClient({ name: 't', version: '1' }, { onError: (e) => errors.push(e) });
    await client.connect(transport);
    await client.ping();
    await client.ping();
    await client.close();
    assert.equal(seen.filter((s) => s !== 'GET'), ['POST initialize', 'POST notifications/initialized', 'POST ping', 'POST ping']);
    assert.is(errors.length, 1, errors.map((e) => e.message).join('; '));
    assert.instance(errors[0], HttpError);
    assert.is((errors[0] as HttpError).status, 400);
    transport.assertClean();
  });
}

loose.run();

const expiry = suite('a forgotten session is initialized anew, subscriptions renewed');

expiry('after a 404, the call is retried on a new session and updates reach the client again', async () => {
  const server = createServer({ name: 'fixtures', version: '1' });
  registerFixtures(server);
  const options = { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 };
  let handler: HttpServerHandler = createMcpHttpHandler(server, options);
  const first = handler;
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  let heard!: (uri: string) => void;
  const updated = new Promise<string>((resolve) => { heard = resolve; });
  const reinitialized: Error[] = [];
  const transport = createHttpClientTransport({ url: URL_BASE, fetch });
  const client = createClient({ name: 't', version: '1' }, {
    onResourceUpdated: (uri) => heard(uri),
    onReinitialized: (reason) => reinitialized.push(reason),
    onError: () => {}, // the first session's GET stream ends when its handler closes
  });
  try {
    await client.connect(transport);
    await client.subscribeResource('test://watched-resource');
    const oldSession = transport.sessionId;
    handler = createMcpHttpHandler(server, options); // a restart without the old sessions
    await first.close();
    assert.is((await client.listResources()).length, FIXTURE_RESOURCES.length + FIXTURE_SKILL_RESOURCES.length);
    assert.is(reinitialized.length, 1);
    assert.is((reinitialized[0] as HttpError).status, 404);
    assert.ok(transport.sessionId && transport.sessionId !== oldSession);
    assert.equal([...client.subscriptions], ['test://watched-resource']);
    // The retried listResources resolved after the subscription was renewed on the new session.
    assert.is(await server.resourceUpdated('test://watched-resource'), 1);
    let guard: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<string>((resolve) => { guard = setTimeout(() => resolve('(no notification within 5 s)'), 5_000); });
    const uri = await Promise.race([updated, gaveUp]);
    clearTimeout(guard);
    assert.is(uri, 'test://watched-resource');
  } finally {
    await client.close();
    await handler.close();
  }
});

// Session 32 (faults24's leftover): a call sent on the old session whose 404 came back after
// the renewal had finished started a second renewal, so one lost session made two new ones
// (the second orphaning the first and the subscriptions renewed on it). Now the 404 names the
// session it was sent with, and one already replaced only sends the call again.
expiry('a 404 for a session already replaced sends the call again on the new one and makes no second session', async () => {
  let sessions = 0;
  let live = '';
  let releaseHeld!: () => void;
  const held = new Promise<void>((resolve) => { releaseHeld = resolve; });
  let heldSeen!: () => void;
  const seenHeld = new Promise<void>((resolve) => { heldSeen = resolve; });
  const fetch: FetchLike = async (_url, init) => {
    if (init.method === 'GET') return new Response(null, { status: 405 });
    if (init.method === 'DELETE') return new Response(null, { status: 200 });
    const sent = new Headers(init.headers as Record<string, string>).get('mcp-session-id');
    const body = JSON.parse(init.body as string) as { id?: number; method: string; params?: { protocolVersion?: string } };
    if (body.method === 'initialize') {
      live = `s-${++sessions}`;
      const result = { protocolVersion: body.params!.protocolVersion, capabilities: { tools: {}, prompts: {} }, serverInfo: { name: 'mock', version: '1' } };
      return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }), { headers: { 'content-type': 'application/json', 'mcp-session-id': live } });
    }
    if (sent !== live) {
      if (body.method === 'tools/list') { heldSeen(); await held; } // its 404 comes back late
      return json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Session not found' } }, 404);
    }
    if (body.id === undefined) return new Response(null, { status: 202 });
    return json({ jsonrpc: '2.0', id: body.id, result: body.method === 'tools/list' ? { tools: [] } : { prompts: [] } });
  };
  const reinitialized: Error[] = [];
  const transport = createHttpClientTransport({ url: URL_BASE, fetch });
  const client = createClient({ name: 't', version: '1' }, { onReinitialized: (reason) => reinitialized.push(reason), onError: () => {} });
  try {
    await client.connect(transport);
    assert.is(transport.sessionId, 's-1');
    live = 'gone'; // the server forgot s-1
    const late = client.listTools();
    await seenHeld;
    assert.equal(await client.listPrompts(), []); // its 404 renews: s-2
    assert.is(transport.sessionId, 's-2');
    releaseHeld();
    assert.equal(await late, []);
    assert.is(sessions, 2, 'one new session for one lost session');
    assert.is(transport.sessionId, 's-2');
    assert.is(reinitialized.length, 1);
  } finally {
    releaseHeld();
    await client.close();
  }
});

expiry.run();
