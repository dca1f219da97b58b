// Request streams in the 2026-07-28 era (basic/transports/streamable-http): cancelling closes
// the request's stream and POSTs nothing; a stream that ends before its response loses the
// request, which the client issues again with a new id only when that is safe (a read-only
// tool, a read), and reports otherwise; lists are reused within their ttlMs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { scripted, type Script } from './modern-script.ts';

const URL_BASE = 'http://127.0.0.1:3005/mcp';

/** An SSE response carrying `events` then ending (without a response unless one is given). */
function sse(events: unknown[]): Response {
  const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function connect(script: Script, now?: () => number): Promise<{ client: McpClient; seen: ReturnType<typeof scripted>['seen'] }> {
  const { fetch, seen } = scripted(script);
  const timers = now ? { setTimeout, clearTimeout, now } : undefined;
  const client = createClient({ name: 'streams', version: '1' }, { era: 'modern', eraCache: false, ...(timers ? { timers: timers as never } : {}) });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch }));
  return { client, seen };
}

const TOOLS = { tools: [{ name: 'look', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }, { name: 'pay', inputSchema: { type: 'object' } }], ttlMs: 0, cacheScope: 'private' };

const streams = suite('client: 2026-07-28 request streams');

streams('aborting a call closes its stream and sends no notification', async () => {
  let opened!: () => void;
  const started = new Promise<void>((r) => { opened = r; });
  const { client, seen } = await connect((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: s.body.params!._meta.progressToken, progress: 1 } })}\n\n`));
        s.signal?.addEventListener('abort', () => controller.error(new Error('closed by the client')));
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  });
  const abort = new AbortController();
  const call = client.callTool('slow', {}, { signal: abort.signal, onProgress: () => opened() });
  await started;
  abort.abort(new Error('user gave up'));
  const error = await call.then(() => undefined, (e: Error) => e);
  assert.ok(error, 'the call rejects');
  const post = seen.find((s) => s.body.method === 'tools/call')!;
  assert.ok(post.signal?.aborted, 'the request stream was closed');
  assert.not.ok(seen.some((s) => s.body.method === 'notifications/cancelled'), 'nothing POSTed for the cancel');
  await client.close();
});

streams('a broken stream re-issues a read-only tool once with a new id, and reports a tool that is not', async () => {
  const { client, seen } = await connect((s) => {
    if (s.body.method === 'tools/list') return TOOLS;
    if (s.body.method !== 'tools/call') return undefined;
    const tries = seen.filter((x) => x.body.method === 'tools/call' && x.body.params?.name === s.body.params?.name).length;
    if (tries === 1) return sse([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'started' } }]);
    return { content: [{ type: 'text', text: 'second time' }] };
  });
  await client.listTools();
  const look = await client.callTool('look');
  assert.equal(look.content, [{ type: 'text', text: 'second time' }]);
  const looks = seen.filter((s) => s.body.params?.name === 'look');
  assert.is(looks.length, 2);
  assert.is.not(looks[0]!.body.id, looks[1]!.body.id);
  const error = await client.callTool('pay').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_STREAM_LOST');
  assert.match(error!.message, /not issued again/);
  assert.is(seen.filter((s) => s.body.params?.name === 'pay').length, 1, 'an unsafe call is not repeated');
  await client.close();
});

streams('a list is reused within its ttlMs, and fetched again after it or with refresh', async () => {
  let clock = 1_000;
  const { client, seen } = await connect((s) => s.body.method === 'prompts/list' ? { prompts: [{ name: 'p' }], ttlMs: 500, cacheScope: 'private' } : undefined, () => clock);
  const lists = () => seen.filter((s) => s.body.method === 'prompts/list').length;
  await client.listPrompts();
  await client.listPrompts();
  assert.is(lists(), 1, 'within the TTL');
  await client.listPrompts({ refresh: true });
  assert.is(lists(), 2, 'refresh asks again');
  clock += 501;
  await client.listPrompts();
  assert.is(lists(), 3, 'after the TTL');
  await client.close();
});

streams.run();
