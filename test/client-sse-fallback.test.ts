// The client falls back to the 2024-11-05 HTTP+SSE transport (2025-03-26+ basic/transports:
// backwards compatibility) against the official SDK 1.32's SSEServerTransport: the POST of
// initialize gets 404, a GET of the URL opens a stream whose first event is `endpoint`, and
// the session goes on there: lists, a call with progress, an elicitation form. The choice is
// remembered per URL; `legacySse` turns the fallback off or pins HTTP+SSE.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, createHttpTransportCache, type ClientOptions } from 'mcpwire/client';
import { HttpError } from 'mcpwire/protocol';
import { startSdkSseServer, type SdkSseServer } from './support/sdk-sse-server.ts';

let server: SdkSseServer;
const test = suite('client fallback to the 2024-11-05 HTTP+SSE transport (SDK 1.32 server)');
test.before(async () => { server = await startSdkSseServer(); });
test.after(async () => { await server.close(); });
test.before.each(() => { server.seen.length = 0; });

const requests = () => server.seen.map((r) => `${r.method} ${r.path}`);

async function connect(options: ClientOptions = {}, transportOptions: Partial<Parameters<typeof createHttpClientTransport>[0]> = {}) {
  const client = createClient({ name: 'fallback-test', version: '1' }, {
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    ...options,
  });
  const transport = createHttpClientTransport({ url: server.url, transportCache: createHttpTransportCache(), ...transportOptions });
  await client.connect(transport, { timeoutMs: 10_000 });
  return { client, transport };
}

test('a refused initialize POST falls back: GET, endpoint, then tools with progress and a form', async () => {
  const { client, transport } = await connect();
  try {
    assert.is(transport.httpTransport, 'sse');
    assert.is(client.era, 'legacy');
    assert.is(client.serverInfo?.name, 'sdk-sse-server');
    assert.equal(requests().slice(0, 3), ['POST /sse', 'GET /sse', 'POST /messages']);
    assert.equal((await client.listTools()).map((t) => t.name).sort(), ['ask', 'count']);
    const progress: number[] = [];
    const counted = await client.callTool('count', {}, { onProgress: (p) => progress.push(p.progress) });
    assert.equal(counted.content, [{ type: 'text', text: 'counted to 3' }]);
    assert.equal(progress, [1, 2, 3]);
    const asked = await client.callTool('ask', {});
    assert.equal(asked.content, [{ type: 'text', text: 'hello Ada' }]);
    assert.is(transport.sessionId, undefined, 'HTTP+SSE has no Mcp-Session-Id');
    assert.not.ok(requests().includes('DELETE /sse'));
  } finally { await client.close(); }
});

test('era auto: server/discover is refused too, and initialize falls back the same way', async () => {
  const { client, transport } = await connect({ era: 'auto', eraCache: false });
  try {
    assert.is(client.era, 'legacy');
    assert.is(transport.httpTransport, 'sse');
    assert.equal(requests().slice(0, 4), ['POST /sse', 'POST /sse', 'GET /sse', 'POST /messages']);
    assert.is((await client.callTool('count', {})).isError, undefined);
  } finally { await client.close(); }
});

test('the choice is remembered per URL: the next transport GETs at once', async () => {
  const cache = createHttpTransportCache();
  const first = await connect({}, { transportCache: cache });
  await first.client.close();
  assert.is(cache.get(server.url), 'sse');
  server.seen.length = 0;
  const second = await connect({}, { transportCache: cache });
  try {
    assert.is(second.transport.httpTransport, 'sse');
    assert.equal(requests().slice(0, 2), ['GET /sse', 'POST /messages'], 'no Streamable HTTP POST first');
    assert.equal((await second.client.listTools()).length, 2);
  } finally { await second.client.close(); }
});

test("legacySse: 'off' keeps the POST's refusal and sends no GET", async () => {
  try {
    await connect({}, { legacySse: 'off' });
    assert.unreachable('connected');
  } catch (error) {
    assert.instance(error, HttpError);
    assert.is((error as HttpError).status, 404);
    assert.equal(requests(), ['POST /sse']);
  }
});

test("legacySse: 'only' speaks HTTP+SSE from the first request", async () => {
  const { client, transport } = await connect({}, { legacySse: 'only' });
  try {
    assert.is(transport.httpTransport, 'sse');
    assert.equal(requests().slice(0, 2), ['GET /sse', 'POST /messages']);
  } finally { await client.close(); }
});

test('closing the client ends the HTTP+SSE stream (the server sees its session go)', async () => {
  const { client } = await connect();
  await client.close();
  await server.drained(); // the SDK drops a session when its stream closes; bounded by the runner's timeout
  assert.is(client.peer.closed, true);
});

test.run();
