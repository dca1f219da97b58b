// A client that sends its request body slowly cannot hold a connection: past
// `requestTimeoutMs` (`--request-timeout-ms`) Node answers 408 and closes it, and headers that
// never end are cut after `headersTimeoutMs` (issue #10, item 7). Loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { killed, startServe } from './serve-process.ts';

/**
 * Open a connection, write `head` (and nothing more), and resolve with what the server wrote
 * and how long until it closed the connection; rejects after `boundMs`.
 */
function heldFor(port: number, head: string, boundMs = 15_000): Promise<{ ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => { text += d; });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was still open after ${boundMs} ms`));
    }, boundMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, text });
    });
    socket.once('error', () => { /* the close that follows settles it */ });
  });
}

const slowBody = (port: number) => `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":`;

const slow = suite('http: slow requests are cut');

slow('listen({ requestTimeoutMs }) answers a body that never ends with 408 and closes', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 't', version: '1' }), { disableHostChecks: true });
  const server = await listen(handler, { port: 0, requestTimeoutMs: 400 });
  try {
    const { ms, text } = await heldFor(server.port, slowBody(server.port));
    assert.match(text, /^HTTP\/1\.1 408/, text);
    assert.ok(ms < 10_000, `closed after ${ms} ms`); // Node alone would wait 30 s or more
  } finally {
    await handler.close();
    await server.close();
  }
});

slow('listen({ headersTimeoutMs }) cuts headers that never end', async () => {
  const handler = createMcpHttpHandler(createServer({ name: 't', version: '1' }), { disableHostChecks: true });
  const server = await listen(handler, { port: 0, headersTimeoutMs: 300 });
  try {
    const { ms } = await heldFor(server.port, 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    assert.ok(ms < 10_000, `closed after ${ms} ms`); // Node alone would wait 30 s or more
  } finally {
    await handler.close();
    await server.close();
  }
});

slow('mcpwire serve --http --request-timeout-ms cuts a slow body', async () => {
  const serve = await startServe(['--request-timeout-ms', '400']);
  try {
    const port = Number(new URL(serve.url).port);
    const { ms, text } = await heldFor(port, slowBody(port));
    assert.match(text, /^HTTP\/1\.1 408/, text);
    assert.ok(ms < 10_000, `closed after ${ms} ms`); // Node alone would wait 30 s or more
  } finally {
    await killed(serve.child);
  }
});

slow.run();
