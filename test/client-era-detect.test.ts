// Era detection (2026-07-28 basic/versioning: dual-era clients). HTTP: a 400 whose body is a
// modern JSON-RPC error means modern; any other 4xx means initialize. Byte streams (memory
// pair, as stdio): a DiscoverResult means modern, an error or a timeout legacy. The answer is
// cached per origin.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createEraCache, createHttpClientTransport } from 'mcpwire/client';
import { createServer, serveEras } from 'mcpwire/server';
import { createMemoryPair } from '../transport/memory.ts';
import { json, rpcError, scripted } from './modern-script.ts';

const INIT_RESULT = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'old', version: '1' } };

/** A scripted legacy server that answers discover with `refusal`, then initialize. */
function legacyWith(refusal: (id: unknown) => Response) {
  return scripted((s) => {
    if (s.body.method === 'server/discover') return refusal(s.body.id);
    if (s.body.method === 'initialize') return new Response(JSON.stringify({ jsonrpc: '2.0', id: s.body.id, result: INIT_RESULT }), { headers: { 'content-type': 'application/json', 'mcp-session-id': 'sess-1' } });
    return new Response(null, { status: 202 });
  });
}

const detect = suite('client: era detection');

for (const [name, refusal] of [
  ['an empty 400', () => new Response(null, { status: 400 })],
  ['a 400 with a legacy JSON-RPC error', (id: unknown) => rpcError(400, id, -32000, 'Bad Request: No valid session ID provided')],
  ['a 404 with -32601', (id: unknown) => rpcError(404, id, -32601, 'Method not found')],
  ['a 405 with text', () => new Response('no', { status: 405 })],
] as const) {
  detect(`${name} to server/discover means legacy: initialize follows`, async () => {
    const { fetch, seen } = legacyWith(refusal);
    const client = createClient({ name: 'detect', version: '1' }, { era: 'auto', eraCache: false });
    await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3003/mcp', fetch, openStandaloneStream: false }));
    assert.is(client.era, 'legacy');
    assert.equal(seen.map((s) => s.body.method).slice(0, 3), ['server/discover', 'initialize', 'notifications/initialized']);
    await client.close();
  });
}

detect('a 400 with -32021 means modern, and connect reports the refusal instead of falling back', async () => {
  const { fetch, seen } = scripted((s) => rpcError(400, s.body.id, -32021, 'Missing required client capability', { requiredCapabilities: { sampling: {} } }));
  const client = createClient({ name: 'detect', version: '1' }, { era: 'auto', eraCache: false });
  const error = await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3003/mcp', fetch })).then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_VERSION');
  assert.not.ok(seen.some((s) => s.body.method === 'initialize'));
  await client.close();
});

detect('the answer is cached per origin: a second client skips the probe', async () => {
  const cache = createEraCache();
  const first = legacyWith(() => new Response(null, { status: 400 }));
  const a = createClient({ name: 'a', version: '1' }, { era: 'auto', eraCache: cache });
  await a.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3004/mcp', fetch: first.fetch, openStandaloneStream: false }));
  const second = legacyWith(() => json(500, {}));
  const b = createClient({ name: 'b', version: '1' }, { era: 'auto', eraCache: cache });
  await b.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3004/other', fetch: second.fetch, openStandaloneStream: false }));
  assert.is(b.era, 'legacy');
  assert.is(second.seen[0]!.body.method, 'initialize', 'same origin: no second probe');
  await a.close();
  await b.close();
});

detect('a cached "legacy" refused by a server now modern-only is probed once more and connects modern; the cache learns it', async () => {
  // 2026-07-28 basic/versioning: a client MAY probe again when a cached answer stops working.
  const cache = createEraCache();
  const before = legacyWith(() => new Response(null, { status: 400 }));
  const a = createClient({ name: 'a', version: '1' }, { era: 'auto', eraCache: cache });
  await a.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3006/mcp', fetch: before.fetch, openStandaloneStream: false }));
  await a.close();
  const after = scripted(() => undefined); // discover answered, initialize 404 -32601
  const b = createClient({ name: 'b', version: '1' }, { era: 'auto', eraCache: cache });
  await b.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3006/mcp', fetch: after.fetch }));
  assert.is(b.era, 'modern');
  assert.equal(after.seen.map((s) => s.body.method), ['initialize', 'server/discover']);
  await b.close();
  const c = createClient({ name: 'c', version: '1' }, { era: 'auto', eraCache: cache });
  await c.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3006/mcp', fetch: after.fetch }));
  assert.is(after.seen[2]?.body.method, 'server/discover', 'the cache now says modern');
  await c.close();
});

detect('the second probe is one only: a cached "legacy" whose initialize and discover both fail reports the initialize failure', async () => {
  const cache = createEraCache();
  const before = legacyWith(() => new Response(null, { status: 400 }));
  const a = createClient({ name: 'a', version: '1' }, { era: 'auto', eraCache: cache });
  await a.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3007/mcp', fetch: before.fetch, openStandaloneStream: false }));
  await a.close();
  const broken = scripted((s) => rpcError(s.body.method === 'initialize' ? 400 : 404, s.body.id, s.body.method === 'initialize' ? -32602 : -32601, `no ${s.body.method}`));
  const b = createClient({ name: 'b', version: '1' }, { era: 'auto', eraCache: cache });
  const error = await b.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3007/mcp', fetch: broken.fetch })).then(() => undefined, (e: Error) => e);
  assert.match(String(error?.message), /no initialize/);
  assert.equal(broken.seen.map((s) => s.body.method), ['initialize', 'server/discover']);
  await b.close();
});

detect('over a byte stream: a dual-era server answers discover (modern), a legacy one refuses (legacy), a silent one times out (legacy)', async () => {
  const server = createServer({ name: 'stream', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.' }, () => 'echoed');

  const [c1, s1] = createMemoryPair();
  void serveEras(server, s1);
  const modern = createClient({ name: 'm', version: '1' }, { era: 'auto', eraCache: false });
  await modern.connect(c1);
  assert.is(modern.era, 'modern');
  assert.equal((await modern.callTool('echo')).content, [{ type: 'text', text: 'echoed' }]);
  await modern.close();

  const [c2, s2] = createMemoryPair();
  await server.connect(s2); // 2025 only: discover before initialize is refused
  const legacy = createClient({ name: 'l', version: '1' }, { era: 'auto', eraCache: false });
  await legacy.connect(c2);
  assert.is(legacy.era, 'legacy');
  assert.equal((await legacy.callTool('echo')).content, [{ type: 'text', text: 'echoed' }]);
  await legacy.close();

  const [c3, s3] = createMemoryPair();
  const seen: string[] = [];
  await s3.start({
    onMessage(m) {
      const msg = m as { id?: number; method?: string };
      seen.push(String(msg.method));
      if (msg.method === 'initialize') void s3.send({ jsonrpc: '2.0', id: msg.id!, result: INIT_RESULT });
    },
    onClose() {}, onError() {},
  });
  const silent = createClient({ name: 's', version: '1' }, { era: 'auto', eraCache: false, discoverTimeoutMs: 50 });
  await silent.connect(c3);
  assert.is(silent.era, 'legacy');
  assert.equal(seen.slice(0, 3), ['server/discover', 'notifications/cancelled', 'initialize']);
  await silent.close();
});

detect('over a byte stream: a probe that timed out but reached a slow-starting dual-era server is followed by a second probe, not a failed connect', async () => {
  const server = createServer({ name: 'slow', version: '1' });
  server.tool({ name: 'echo', description: 'Echoes.' }, () => 'echoed');
  const [c, s] = createMemoryPair();
  // The server starts only once the client, its probe timed out, has sent initialize: it then
  // reads the discover first (its connection turns modern) and refuses the initialize (-32022).
  const sent: string[] = [];
  const send = c.send.bind(c);
  c.send = (message, sendOptions) => {
    const method = (message as { method?: string }).method ?? 'response';
    sent.push(method);
    if (method === 'initialize') void serveEras(server, s);
    return send(message, sendOptions);
  };
  const client = createClient({ name: 'late', version: '1' }, { era: 'auto', eraCache: false, discoverTimeoutMs: 50 });
  await client.connect(c);
  assert.is(client.era, 'modern');
  assert.equal(sent.slice(0, 4), ['server/discover', 'notifications/cancelled', 'initialize', 'server/discover']);
  assert.equal((await client.callTool('echo')).content, [{ type: 'text', text: 'echoed' }]);
  await client.close();
});

detect.run();
