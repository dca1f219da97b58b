// 2026-07-28 client: a request whose connection is reset before any response (a keep-alive
// socket the server closed, a proxy hiccup) is lost like a cut stream; a safe one (a list, a
// read) is issued again once with a new id, an unsafe one is reported, never silently lost.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';

/** A modern-only server whose first request of `method` has its connection reset. */
async function resettingServer(method: string) {
  const mcp = createServer({ name: 'resetting', version: '1' });
  mcp.tool({ name: 'echo', description: 'Echoes.', annotations: { readOnlyHint: true } }, () => 'echoed');
  mcp.tool({ name: 'book', description: 'Books (not safe to repeat).' }, () => 'booked');
  const handler = createMcpHttpHandler(mcp, { eras: 'modern', disableHostChecks: true });
  const seen: string[] = [];
  let reset = false;
  const node = createNodeServer((req, res) => {
    const name = String(req.headers['mcp-method'] ?? '');
    seen.push(name);
    if (!reset && name === method) {
      reset = true;
      req.socket.destroy();
      return;
    }
    handler.node(req, res);
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`, seen,
    close: async () => { node.closeAllConnections(); await new Promise<void>((resolve) => node.close(() => resolve())); await handler.close(); },
  };
}

const reset = suite('2026-07-28 client: a connection reset before any response');

reset('a list is issued again once and succeeds', async () => {
  const server = await resettingServer('tools/list');
  const client = createClient({ name: 't', version: '1' }, { era: 'modern' });
  try {
    await client.connect(createHttpClientTransport({ url: server.url }));
    const tools = await client.listTools();
    assert.equal(tools.map((t) => t.name).sort(), ['book', 'echo']);
    assert.is(server.seen.filter((m) => m === 'tools/list').length, 2, 'sent twice: the reset one and the retry');
  } finally {
    await client.close();
    await server.close();
  }
});

reset('a tool that is not read-only is not repeated: the call fails with MCP_ERR_STREAM_LOST', async () => {
  const server = await resettingServer('tools/call');
  const client = createClient({ name: 't', version: '1' }, { era: 'modern' });
  try {
    await client.connect(createHttpClientTransport({ url: server.url }));
    await client.listTools();
    const error = await client.callTool('book', {}).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
    assert.ok(error, 'the call fails');
    assert.is(error!.code, 'MCP_ERR_STREAM_LOST');
    assert.match(error!.message, /not issued again/);
    assert.is(server.seen.filter((m) => m === 'tools/call').length, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

reset.run();
