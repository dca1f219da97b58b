// A stream read through an injected fetch must not keep what it read: a listen stream or a
// long call's stream runs for hours. Each read was raced against one abort promise that
// lives as long as the stream; every race left a reaction on it holding the chunk it read,
// so memory grew with every byte ever received (an endless SSE event of a hostile 2026-07-28
// server: +2.2 GB of array buffers in 8 s, after GC, before the call's timeout).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { scripted } from './modern-script.ts';

// A full collection on demand, so a chunk nothing holds is gone when asked for.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const test = suite('client over fetch: a stream keeps nothing it has read');

test('a chunk read and handled is collectable while its stream goes on', async () => {
  const enc = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let firstChunk: WeakRef<Uint8Array> | undefined;
  let callId: unknown;
  const { fetch } = scripted((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    callId = s.body.id;
    const token = s.body.params!._meta.progressToken;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        const chunk = enc.encode(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1, message: 'x'.repeat(1 << 20) } })}\n\n`);
        firstChunk = new WeakRef(chunk);
        c.enqueue(chunk);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  const client = createClient({ name: 'memory', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3005/mcp', fetch }));
  let progressed!: () => void;
  const sawProgress = new Promise<void>((resolve) => { progressed = resolve; });
  const call = client.callTool('long', {}, { onProgress: () => progressed(), timeoutMs: 20_000 });
  await sawProgress;
  for (let i = 0; i < 3 && firstChunk!.deref() !== undefined; i++) {
    await tick();
    gc();
  }
  const kept = firstChunk!.deref() !== undefined;
  controller.enqueue(enc.encode(`data: ${JSON.stringify({ jsonrpc: '2.0', id: callId, result: { content: [] } })}\n\n`));
  controller.close();
  await call;
  await client.close();
  assert.not.ok(kept, 'the first chunk (1 MiB) is still held while the stream is open');
});

test.run();
