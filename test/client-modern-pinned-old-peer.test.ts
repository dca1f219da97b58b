// A client pinned to 2026-07-28 (era 'modern') against a peer that offers only older versions
// (2026-07-28 basic/versioning): the official SDK 1.32's server, which knows no server/discover
// and answers it "Bad Request: Server not initialized"; a DiscoverResult listing only 2025-11-25
// (as some peers' stateful servers send); a -32022 whose `supported` names only 2025-11-25. The
// connect fails, and the error says the client is pinned to 2026-07-28 and the way out (era
// 'auto'), with the server's own words. Loopback only, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SdkServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';

const pinned = suite('client pinned to 2026-07-28, peer offers only older versions');

/** What connect() rejected with. */
async function connectError(transport: ReturnType<typeof createHttpClientTransport>): Promise<Error & { code?: unknown }> {
  const client = createClient({ name: 'pinned', version: '1' }, { era: 'modern', eraCache: false });
  try {
    await client.connect(transport, { timeoutMs: 20_000 });
  } catch (error) {
    return error as Error & { code?: unknown };
  } finally {
    await client.close();
  }
  throw new Error('connect() succeeded against a peer without 2026-07-28');
}

/** A scripted peer: every POST gets `status` and `body` (a JSON-RPC answer to id 1, the discover). */
function scripted(status: number, body: (id: unknown) => object): FetchLike {
  return async (_url, init) => {
    const id = (JSON.parse(String(init.body)) as { id?: unknown }).id;
    return new Response(JSON.stringify(body(id)), { status, headers: { 'content-type': 'application/json' } });
  };
}

pinned('the SDK 1.32 server (2025-11-25 only): the error names the pin, the way out and the server\'s answer', async () => {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createNodeServer((req, res) => {
    void (async () => {
      const sid = req.headers['mcp-session-id'];
      let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
      if (!transport) {
        const server = new SdkServer({ name: 'sdk1', version: '1.32.2' }, { capabilities: { tools: {} } });
        server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
        transport = created;
        await server.connect(created);
      }
      await transport.handleRequest(req, res);
    })().catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const error = await connectError(createHttpClientTransport({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp` }));
    assert.is(error.code, 'MCP_ERR_VERSION', error.message);
    assert.match(error.message, /pinned to 2026-07-28 \(era 'modern'\)/);
    assert.match(error.message, /era 'auto'/);
    assert.match(error.message, /Server not initialized/, 'the server\'s own answer is kept');
  } finally {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});

pinned('a DiscoverResult that lists only 2025-11-25: the error names the versions the server speaks and the pin', async () => {
  const fetch = scripted(200, (id) => ({ jsonrpc: '2.0', id, result: { supportedVersions: ['2025-11-25'], capabilities: {}, resultType: 'complete' } }));
  const error = await connectError(createHttpClientTransport({ url: 'http://127.0.0.1:9/mcp', fetch }));
  assert.is(error.code, 'MCP_ERR_VERSION', error.message);
  assert.match(error.message, /speaks 2025-11-25/);
  assert.match(error.message, /pinned to 2026-07-28 \(era 'modern'\)/);
  assert.match(error.message, /era 'auto'/);
});

pinned('a -32022 whose supported list names only 2025-11-25: the same, not the bare JSON-RPC error', async () => {
  const fetch = scripted(400, (id) => ({ jsonrpc: '2.0', id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2025-11-25'], requested: '2026-07-28' } } }));
  const error = await connectError(createHttpClientTransport({ url: 'http://127.0.0.1:9/mcp', fetch }));
  assert.is(error.code, 'MCP_ERR_VERSION', error.message);
  assert.match(error.message, /speaks 2025-11-25/);
  assert.match(error.message, /pinned to 2026-07-28 \(era 'modern'\)/);
  assert.match(error.message, /era 'auto'/);
  assert.is((error.cause as { code?: unknown } | undefined)?.code, -32022, 'the peer\'s error is the cause');
});

pinned.run();
