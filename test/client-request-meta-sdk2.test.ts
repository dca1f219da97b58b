// A caller's own `_meta` and raw requests through our client, against the official SDK 2.4
// server (devDependency; `createMcpHandler`, loopback on port 0). Before: in 2026-07-28 a raw
// `client.peer.request` went without the envelope (the SDK's handler took it for a 2025 request
// without a session), and `callTool` had no way to carry the caller's `_meta` in either era.
// Now `callTool(..., { meta })` carries it beside the envelope, and `client.request` sends any
// request in the era spoken.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Server, createMcpHandler } from '@modelcontextprotocol/server';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { listen } from 'mcpwire/transport';

const TRACE = { 'example.com/trace': { id: 'é1' } };

/** An SDK server whose `meta` tool answers with the request's `_meta` as JSON; `calls` counts the tools/call it served. */
function sdkServer(counter: { calls: number }): Server {
  const server = new Server({ name: 'sdk-meta', version: '2.4.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'meta', inputSchema: { type: 'object' as const } }] }));
  server.setRequestHandler('tools/call', async (request) => {
    counter.calls++;
    return { content: [{ type: 'text' as const, text: JSON.stringify(request.params._meta ?? null) }] };
  });
  return server;
}

interface Seen { calls: number; sent: Array<Record<string, unknown>> }

async function withSdk(era: 'modern' | 'legacy', body: (client: McpClient, counter: Seen) => Promise<void>): Promise<void> {
  const counter: Seen = { calls: 0, sent: [] };
  // The JSON-RPC bodies our client posted (the SDK's handler takes the envelope out of `_meta`).
  const recording: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') counter.sent.push(JSON.parse(init.body) as Record<string, unknown>);
    return fetch(input, init);
  };
  // Modern: the SDK's modern-only handler, which refuses a request without the envelope.
  const handler = createMcpHandler(() => sdkServer(counter), era === 'modern' ? { keepAliveMs: 0, legacy: 'reject' } : { keepAliveMs: 0 });
  const listening = await listen((request) => handler.fetch(request), { port: 0 });
  const client = createClient({ name: 'mcpwire', version: '1' }, { era, eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp`, fetch: recording }));
    assert.is(client.era, era);
    await body(client, counter);
  } finally {
    await client.close();
    await handler.close();
    await listening.close();
  }
}

/** The `_meta` of the last tools/call our client posted. */
const lastCallMeta = (seen: Seen) => (seen.sent.findLast((m) => m.method === 'tools/call')?.params as { _meta?: Record<string, unknown> } | undefined)?._meta ?? {};

const echoed = (result: { content?: unknown }) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as Record<string, unknown>;

const meta = suite('a caller\'s _meta and raw requests, against the SDK 2.4 server');

meta('2026-07-28: callTool with meta carries the caller\'s keys beside the envelope', async () => {
  await withSdk('modern', async (client, wire) => {
    const seen = echoed(await client.callTool('meta', {}, { meta: TRACE }));
    assert.equal(seen['example.com/trace'], { id: 'é1' }, `the caller's key did not reach the server: ${JSON.stringify(seen)}`);
    const sent = lastCallMeta(wire);
    assert.is(sent['io.modelcontextprotocol/protocolVersion'], '2026-07-28');
    assert.ok(sent['io.modelcontextprotocol/clientCapabilities']);
    assert.equal(sent['example.com/trace'], { id: 'é1' });
  });
});

meta('2026-07-28: client.request sends a raw request with the envelope added', async () => {
  await withSdk('modern', async (client, wire) => {
    assert.type(client.request, 'function', 'the client has no request() for a raw request in the era spoken');
    const result = await client.request<{ content: unknown }>('tools/call', { name: 'meta', arguments: {}, _meta: TRACE });
    assert.equal(echoed(result)['example.com/trace'], { id: 'é1' });
    assert.is(lastCallMeta(wire)['io.modelcontextprotocol/protocolVersion'], '2026-07-28');
    const listed = await client.request<{ tools: Array<{ name: string }> }>('tools/list');
    assert.equal(listed.tools.map((t) => t.name), ['meta']);
    // The engine stays raw (documented on `peer`): no envelope, and the modern-only handler says so.
    const bare = await client.peer.request('tools/call', { name: 'meta', arguments: {} }).then(() => undefined, (e: unknown) => e as { status?: number; message?: string });
    assert.is(bare?.status, 400);
    assert.match(bare?.message ?? '', 'did not name a protocol version');
  });
});

meta('2025-11-25: callTool with meta and client.request carry the caller\'s keys, no envelope', async () => {
  await withSdk('legacy', async (client) => {
    const seen = echoed(await client.callTool('meta', {}, { meta: TRACE }));
    assert.equal(seen, TRACE);
    assert.equal(echoed(await client.request<{ content: unknown }>('tools/call', { name: 'meta', arguments: {}, _meta: TRACE })), TRACE);
  });
});

meta('a meta key the protocol reserves is refused before anything is sent, in both eras', async () => {
  for (const era of ['modern', 'legacy'] as const) {
    await withSdk(era, async (client, counter) => {
      for (const bad of [{ 'io.modelcontextprotocol/protocolVersion': '2025-11-25' }, { progressToken: 7 }, { 'dev.mcp/x': 1 }]) {
        const error = await client.callTool('meta', {}, { meta: bad }).then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
        assert.is(error?.code, 'MCP_ERR_VALIDATION', `${era}: ${JSON.stringify(bad)} was not refused`);
        assert.match(error?.message ?? '', Object.keys(bad)[0]!);
      }
      assert.is(counter.calls, 0, `${era}: a refused call reached the server`);
      assert.equal(echoed(await client.callTool('meta', {}, { meta: { 'example.com/mcp-like': 1 } }))['example.com/mcp-like'], 1);
    });
  }
});

meta.run();
