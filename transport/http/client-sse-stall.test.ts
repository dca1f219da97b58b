// A server whose SSE reply stalls in the middle of an event, for ever: the request fails at
// its own `timeoutMs` (MCP_ERR_TIMEOUT), the stream is cancelled, and the half event is never
// handed up. The bytes of a half event are no progress: only the whole progress event before them resets the timeout (onProgress set).
// Both eras; a fake fetch whose body sends the half event, then nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { McpError } from 'mcpwire/protocol';
import { createFakeFetch, jsonResponse } from './client-fake-server.ts';
import { scripted } from '../../test/modern-script.ts';

/** An SSE body: `head`, then half an event, then it hangs; `cancelled` resolves when the client cancels it. */
function stalled(head: string) {
  let cancel!: () => void;
  const cancelled = new Promise<void>((resolve) => { cancel = resolve; });
  const parts = [head, 'id: half\ndata: {"jsonrpc":"2.0","id":'];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next !== undefined) controller.enqueue(new TextEncoder().encode(next));
      // Then nothing: the read stays pending until the client cancels.
    },
    cancel: () => cancel(),
  }, { highWaterMark: 0 });
  return { response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }), cancelled };
}

const progress = (token: unknown) => `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } })}\n\n`;

const test = suite('http client: an SSE reply that stalls mid-event');

test('2025-11-25: the call fails at its timeoutMs, the stream is cancelled, the half event is not handed up', async () => {
  let stream: ReturnType<typeof stalled> | undefined;
  const { fetch } = createFakeFetch((call) => {
    const body = call.body as { id?: number; method?: string; params?: { _meta?: { progressToken?: unknown } } } | undefined;
    if (body?.method === 'initialize') {
      return jsonResponse({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'stall', version: '1' } } }, { headers: { 'mcp-session-id': 's1' } });
    }
    if (body?.method === 'tools/call') return (stream = stalled(progress(body.params?._meta?.progressToken))).response;
    return new Response(null, { status: 202 });
  });
  const client = createClient({ name: 'stall', version: '1' }, { era: 'legacy' });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', fetch, openStandaloneStream: false, reconnect: { maxAttempts: 1 } }));
  const seen: number[] = [];
  const started = Date.now();
  const error = await client.callTool('slow', {}, { timeoutMs: 300, onProgress: (p) => seen.push(p.progress) }).then(() => undefined, (e: Error) => e);
  const took = Date.now() - started;
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_TIMEOUT', error!.message);
  assert.ok(took >= 300 && took < 3_000, `failed after ${took} ms`);
  assert.equal(seen, [1]);
  await stream!.cancelled; // the client let the stalled stream go
  await client.close();
});

test('2026-07-28: the call fails at its timeoutMs and the stream is cancelled', async () => {
  let stream: ReturnType<typeof stalled> | undefined;
  const { fetch } = scripted((s) => (s.body.method === 'tools/call' ? (stream = stalled(': priming\n\n')).response : undefined));
  const client = createClient({ name: 'stall', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', fetch }));
  const started = Date.now();
  const error = await client.callTool('slow', {}, { timeoutMs: 300 }).then(() => undefined, (e: Error) => e);
  const took = Date.now() - started;
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_TIMEOUT', error!.message);
  assert.ok(took >= 300 && took < 3_000, `failed after ${took} ms`);
  await stream!.cancelled;
  await client.close();
});

test.run();
