// The era of a client that names none (README "One client, both eras": why the default is
// legacy): against our own dual-era server it sends `initialize` first, never `server/discover`,
// and keeps what only the 2025 era has: a session id, resource subscriptions, core tasks; over
// a byte stream likewise. A modern-only server is reached by asking for it (`auto`,
// `legacy-first`), and the default reports the server's refusal rather than guessing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { createMcpHttpHandler, createServer, serveEras } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';
import { HttpError } from 'mcpwire/protocol';

function dualServer() {
  const server = createServer({ name: 'dual', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.' }, async () => 'echo');
  server.resource({ uri: 'test://doc', name: 'doc', mimeType: 'text/plain' }, () => 'the doc');
  return server;
}

function fetchFor(eras: 'both' | 'modern') {
  const handler = createMcpHttpHandler(dualServer(), { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0, eras });
  const methods: string[] = [];
  const fetch: FetchLike = (url, init) => {
    if (init.method === 'POST' && typeof init.body === 'string') methods.push((JSON.parse(init.body) as { method?: string }).method ?? 'response');
    return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  };
  return { fetch, methods, close: () => handler.close() };
}

const test = suite('createClient without an era: legacy, the era whose features every caller can count on');

test('over HTTP against a dual-era server: initialize first, no discover; session, subscriptions and core tasks stay', async () => {
  const { fetch, methods, close } = fetchFor('both');
  const client = createClient({ name: 'default', version: '1' }, { eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch, openStandaloneStream: false }));
    assert.is(client.era, 'legacy');
    assert.is(client.protocolVersion, '2025-11-25');
    assert.equal(methods.slice(0, 2), ['initialize', 'notifications/initialized']);
    assert.not.ok(methods.includes('server/discover'));
    assert.type(client.sessionId, 'string', 'a resumable session');
    await client.subscribeResource('test://doc');
    assert.ok(client.subscriptions.has('test://doc'));
    assert.is(methods.at(-1), 'resources/subscribe');
  } finally { await client.close(); await close(); }
});

test('over a byte stream (as stdio) against a dual-era server: initialize is the first message', async () => {
  const [clientSide, serverSide] = createMemoryPair();
  const first: string[] = [];
  const done = serveEras(dualServer(), serverSide, {});
  const client = createClient({ name: 'default', version: '1' }, { eraCache: false, onError: () => {} });
  const send = clientSide.send.bind(clientSide);
  clientSide.send = (message, options) => {
    if (!Array.isArray(message) && 'method' in message) first.push(message.method);
    return send(message, options);
  };
  try {
    await client.connect(clientSide);
    assert.is(client.era, 'legacy');
    assert.is(first[0], 'initialize');
    assert.not.ok(first.includes('server/discover'));
  } finally { await client.close(); await done.catch(() => undefined); }
});

test('against a 2026-07-28-only server the default reports the refusal; auto and legacy-first reach it', async () => {
  const { fetch, close } = fetchFor('modern');
  try {
    const byDefault = createClient({ name: 'default', version: '1' }, { eraCache: false });
    const error = await byDefault.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch })).then(() => undefined, (e: unknown) => e);
    assert.instance(error, HttpError);
    assert.is((error as HttpError).rpcError?.code, -32022, 'the modern server named the versions it speaks');
    await byDefault.close();
    for (const era of ['auto', 'legacy-first'] as const) {
      const client = createClient({ name: era, version: '1' }, { era, eraCache: false });
      await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch }));
      assert.is(client.era, 'modern', era);
      assert.equal((await client.callTool('echo', {})).content, [{ type: 'text', text: 'echo' }]);
      await client.close();
    }
  } finally { await close(); }
});

test.run();
