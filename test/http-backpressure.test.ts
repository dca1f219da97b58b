// Backpressure, not loss (issue #10 item 2): a tool that emits faster than its client reads
// waits in ctx.progress() once maxBufferedBytes are unread, instead of the server dropping
// the connection (and a resume then finding the history evicted, 410). The client gets every
// event and the result. In process (web stream adapter) and over loopback (Node adapter).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { request } from 'undici';
import type { McpServer } from 'mcpwire/server';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { makeFixture, messagesOf, readEvents, ACCEPT_BOTH } from './http-fixture.ts';

const EVENTS = 30_000;
const PAD = 'x'.repeat(100);

/**
 * `flood` emits EVENTS progress events as fast as the transport lets it. `stalled` resolves
 * when a ctx.progress() did not resolve at once (the transport made it wait) or when the tool
 * is done, whichever comes first: then the test starts reading.
 */
function floodTool() {
  let stall!: (why: string) => void;
  const stalled = new Promise<string>((r) => { stall = r; });
  const setup = (server: McpServer) => {
    server.tool({ name: 'flood', description: 'emits progress fast', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      for (let i = 1; i <= EVENTS; i++) {
        const sent = ctx.progress(i, EVENTS, PAD);
        const waited = await Promise.race([sent.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 0))]);
        if (waited) { stall('waited'); await sent; }
      }
      stall('done');
      return 'flooded';
    });
  };
  return { setup, stalled };
}

const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'flood', arguments: {}, _meta: { progressToken: 'f' } } };

function check(messages: Array<Record<string, any>>, errors: Error[]): void {
  const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
  assert.equal(errors.map((e) => e.message), [], 'the connection was not dropped');
  assert.is(progress.length, EVENTS, 'every progress event');
  assert.ok(progress.every((p, i) => p === i + 1), 'in order, once each');
  assert.equal(messages.find((m) => m.id === 1)?.result?.content, [{ type: 'text', text: 'flooded' }]);
}

const slow = suite('backpressure: a slow reader gets every event and the result');

slow('in process: the tool waits while 256 KiB are unread, and nothing is dropped', async () => {
  const flood = floodTool();
  const errors: Error[] = [];
  const f = makeFixture({ keepAliveMs: 0, maxBufferedBytes: 256 * 1024, onError: (e) => errors.push(e) }, flood.setup);
  try {
    const headers = { 'mcp-session-id': await f.initialize(), 'mcp-protocol-version': '2025-11-25' };
    const res = await f.post(call, headers);
    const why = await flood.stalled;
    check(messagesOf(await readEvents(res)), errors);
    assert.is(why, 'waited', 'the tool was made to wait for its reader');
  } finally {
    await f.close();
  }
});

slow('over loopback: the tool waits while 1 MiB is unread, and nothing is dropped', async () => {
  const flood = floodTool();
  const errors: Error[] = [];
  const server = createServer({ name: 'flood', version: '1' });
  flood.setup(server);
  const listening = await listen({ exchange: (r) => handler.exchange(r) }, { port: 0 });
  const handler = createMcpHttpHandler(server, {
    keepAliveMs: 0, maxBufferedBytes: 1024 * 1024, allowedHosts: [`127.0.0.1:${listening.port}`], onError: (e) => errors.push(e),
  });
  const url = `http://127.0.0.1:${listening.port}/mcp`;
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers } });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
    return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status: res.statusCode, headers: out });
  };
  try {
    const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await init.text();
    assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
    const res = await post(call, headers);
    const why = await flood.stalled;
    check(messagesOf(await readEvents(res)), errors);
    assert.is(why, 'waited', 'the tool was made to wait for its reader');
  } finally {
    await handler.close();
    await listening.close();
  }
});

slow.run();
