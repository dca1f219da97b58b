// 2026-07-28: a response stream whose SSE event never ends (a hostile or broken server).
// The request fails with MCP_ERR_MESSAGE_TOO_LARGE once the event ran past 16 times
// `maxEventBytes`, as the 2025 streams do (client-endless-event.test.ts). Before, the modern
// request stream skipped it up to the call's timeout, reading and dropping all the while.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { scripted } from './modern-script.ts';

const test = suite('client: a 2026-07-28 response stream with an event that never ends');

test('the call fails with MCP_ERR_MESSAGE_TOO_LARGE, not at its timeout, and the stream is closed', async () => {
  const enc = new TextEncoder();
  const block = enc.encode('x'.repeat(16 * 1024));
  let closed = false;
  const { fetch } = scripted((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    const body = new ReadableStream<Uint8Array>({
      start(c) { c.enqueue(enc.encode(`data: {"jsonrpc":"2.0","id":${JSON.stringify(s.body.id)},"result":{"content":[{"type":"text","text":"`)); },
      // One block per turn of the event loop, as a socket delivers them: timers still run.
      async pull(c) {
        await new Promise((resolve) => setImmediate(resolve));
        c.enqueue(block);
      },
      cancel() { closed = true; },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  const errors: Error[] = [];
  const client = createClient({ name: 'endless', version: '1' }, { era: 'modern', eraCache: false, onError: (e) => errors.push(e) });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3005/mcp', fetch, maxEventBytes: 64 * 1024 }));
  const failure = await client.callTool('t', {}, { timeoutMs: 20_000 }).then(() => undefined, (e: Error & { code?: string }) => e);
  await client.close();
  assert.is(failure?.code, 'MCP_ERR_MESSAGE_TOO_LARGE', failure?.message);
  assert.match(String(failure?.message), /ran past 16 times maxEventBytes/);
  assert.ok(closed, 'the stream was cancelled');
  assert.is(errors.filter((e) => /exceeds the limit/.test(e.message)).length, 1, 'the oversize event reported once');
});

test.run();
