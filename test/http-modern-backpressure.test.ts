// A 2026-07-28 call answering on SSE whose client does not read (session 32, probed: 20 such
// calls on `serve --http`, 17 dropped with "SSE client fell more than 67108864 bytes behind").
// Its handler's awaited ctx.progress() resolved at once however far behind the client was, so
// the handler ran on until the connection was dropped and the call cancelled: a stateless call
// cannot resume, so it was lost. Now ctx.progress() waits while the client leaves
// maxBufferedBytes unread, as on a 2025 stream (README: "Backpressure, not loss"), and a client
// that reads late gets every notification and the result. Over a loopback socket (the Node
// adapter's sink is what knows the client is behind).
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { envelope } from './modern-kit.ts';
import { within } from './tasks-fixture.ts';

const test = suite('2026-07-28 SSE reply: backpressure on a client that does not read');

const STEPS = 20_000;
const NOTE = 'n'.repeat(1_000);

test('ctx.progress() waits for a client that stopped reading; read late, every step and the result arrive', async () => {
  let blocked!: (step: number) => void;
  const waited = new Promise<number>((resolve) => { blocked = resolve; });
  let dropped!: (error: Error) => void;
  const cut = new Promise<Error>((resolve) => { dropped = resolve; });
  let waits = 0;
  const server = createServer({ name: 'bp', version: '1' });
  server.tool({ name: 'flood' }, async (_args, ctx) => {
    for (let i = 1; i <= STEPS; i++) {
      ctx.signal.throwIfAborted();
      let settled = false;
      const sent = ctx.progress(i, STEPS, NOTE).then(() => { settled = true; });
      await new Promise((resolve) => setImmediate(resolve));
      if (!settled && waits++ === 0) blocked(i);
      await sent;
    }
    return 'flooded';
  });
  const handler = createMcpHttpHandler(server, {
    maxBufferedBytes: 16 * 1024, maxBufferedBytesTotal: 32 * 1024,
    onError: (error) => { if (/behind/.test(error.message)) dropped(error); },
  });
  const listening = await listen(handler, { port: 0 });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'flood', arguments: {}, _meta: { ...envelope({}), progressToken: 't' } } });
  const socket = net.connect(listening.port, '127.0.0.1');
  try {
    socket.pause(); // the client reads nothing yet
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${listening.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n`
      + `Mcp-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: flood\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    const first = await within(Promise.race([waited, cut.then((e) => { throw e; })]), 60_000, 'the handler waiting (or the connection dropped)');
    assert.ok(first < STEPS, `waited at step ${first}`);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('end', resolve));
    socket.resume();
    await within(ended, 120_000, 'the reply ending');
    const text = Buffer.concat(chunks).toString('utf8');
    const progress = text.match(/"method":"notifications\/progress"/g)?.length ?? 0;
    assert.is(progress, STEPS, 'every progress notification arrives');
    assert.match(text, /"id":1,"result":\{"content":\[\{"type":"text","text":"flooded"\}\]/);
  } finally {
    socket.destroy();
    await handler.close();
    await listening.close();
  }
});

test.run();
