// The check's raw exchanges read at most maxReplyBytes of a reply: a hostile server's endless
// JSON body or SSE flood fails the exchange at the bound, not after the timeout with the whole
// download held in memory (610 MB in 10 s on loopback before).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawRequest } from './raw-http.ts';
import { runCheck } from './runner.ts';

/** A server whose every reply is an endless body of `type`. */
async function endless(type: string): Promise<{ url: string; close(): Promise<void> }> {
  const chunk = type === 'text/event-stream' ? `data: ${'x'.repeat(16 * 1024)}\n\n` : 'x'.repeat(64 * 1024);
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': type });
    const more = () => { while (res.write(chunk)); };
    res.on('drain', more);
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const test = suite('check: a reply is read up to maxReplyBytes');

for (const type of ['application/json', 'text/event-stream']) {
  test(`an endless ${type} body fails the exchange at the bound, well before the timeout`, async () => {
    const s = await endless(type);
    try {
      await rawRequest(s.url, { body: {}, timeoutMs: 15_000, maxReplyBytes: 1024 * 1024 });
      assert.unreachable('an endless body was read to its end');
    } catch (error) {
      assert.match((error as Error).message, /the reply's body exceeds 1048576 bytes/);
    } finally {
      await s.close();
    }
  });
}

test('runCheck passes its maxReplyBytes to the probes: the report names that bound', async () => {
  const s = await endless('application/json');
  try {
    const report = await runCheck({ target: { kind: 'http', url: s.url, headers: {} }, timeoutMs: 15_000, maxReplyBytes: 512 * 1024 });
    assert.match(JSON.stringify(report), /the reply's body exceeds 524288 bytes/);
  } finally {
    await s.close();
  }
});

test.run();
