// Outbound size matches inbound (issue #10, item 8): a tool result larger than a client
// accepts by default reaches our client at once as a tool error naming the limit (SSE and
// JSON reply modes), instead of being dropped by the client while the call waits out its
// timeout; a notification over the limit fails to send, so the tool hears of it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer, type McpHttpOptions } from 'mcpwire/server';
import { createHttpClientTransport, type FetchLike } from 'mcpwire/client';

/** A server with a `big` tool returning `bytes` of text and a `loud` tool logging that much. */
function serve(options: McpHttpOptions) {
  const server = createServer({ name: 'big', version: '1' });
  server.tool({ name: 'big', inputSchema: { type: 'object', properties: { bytes: { type: 'integer' } } } }, async ({ bytes }: { bytes: number }) => 'x'.repeat(bytes));
  server.tool({ name: 'loud', inputSchema: { type: 'object', properties: { bytes: { type: 'integer' } } } }, async ({ bytes }: { bytes: number }, ctx) => {
    try {
      await ctx.progress(1, 2, 'y'.repeat(bytes));
      return 'sent';
    } catch (error) {
      return `not sent: ${(error as { code?: string }).code}`;
    }
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], ...options });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { ...init.headers, host: '127.0.0.1:3000' } } as RequestInit));
  return { handler, fetch };
}

async function withClient(options: McpHttpOptions, fn: (client: ReturnType<typeof createClient>) => Promise<void>): Promise<void> {
  const { handler, fetch } = serve(options);
  const client = createClient({ name: 't', version: '1' }, { onError: () => {} });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch, openStandaloneStream: false }));
  try {
    await fn(client);
  } finally {
    await client.close();
    await handler.close();
  }
}

const limit = suite('http server: nothing larger than a client accepts is sent');

for (const responseMode of ['sse', 'json'] as const) {
  limit(`a 5 MB tool result becomes a tool error at once (defaults on both sides, ${responseMode} replies)`, () => withClient({ responseMode }, async (client) => {
    const started = Date.now();
    const result = await client.callTool('big', { bytes: 5 * 1024 * 1024 }, { timeoutMs: 20_000 });
    assert.is(result.isError, true);
    assert.match(JSON.stringify(result.content), /exceeds 4194304 bytes.*maxOutboundMessageBytes/);
    assert.ok(Date.now() - started < 10_000, 'not a timeout');
    const small = await client.callTool('big', { bytes: 1_000 });
    assert.is(small.isError, undefined);
  }));
}

for (const responseMode of ['sse', 'json'] as const) {
  limit(`maxOutboundMessageBytes is an option; a notification over it fails to send and the tool hears why (${responseMode} replies)`, () => withClient({ maxOutboundMessageBytes: 10_000, responseMode }, async (client) => {
    const refused = await client.callTool('big', { bytes: 20_000 });
    assert.is(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /exceeds 10000 bytes/);
    const loud = await client.callTool('loud', { bytes: 20_000 }, { onProgress: () => {} });
    assert.equal(loud.content, [{ type: 'text', text: 'not sent: MCP_ERR_MESSAGE_TOO_LARGE' }]);
  }));
}

limit.run();
