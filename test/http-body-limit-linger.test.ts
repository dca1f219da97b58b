// A client that sends a body over maxBodyBytes without `Expect: 100-continue` is still writing
// when the server answers 413 and closes. Closing both directions at once, with the rest of
// the body unread, makes the kernel reset the connection: the client's write fails (EPIPE,
// ECONNRESET) and an HTTP client such as fetch can lose the 413 it was sent (`mcpwire check`
// reported "fetch failed" for our own server, now and then). The server now closes its side
// first and keeps discarding what arrives for `closeLingerMs` (RFC 9112 section 9.6).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const test = suite('a body over maxBodyBytes sent whole: the 413 arrives without a reset');

test('8 MiB sent at once to a 1 KiB limit: the whole body is taken, then the 413 and the close', async () => {
  const server = createServer({ name: 'limit', version: '1' });
  const handler = createMcpHttpHandler(server, { maxBodyBytes: 1024 });
  const listening = await listen(handler, { host: '127.0.0.1', port: 0, closeLingerMs: 300 });
  try {
    const serverSide = new Promise<void>((resolve) => listening.server.once('connection', (s) => s.once('close', () => resolve())));
    const socket = connect(listening.port, '127.0.0.1');
    socket.pause(); // read nothing until the server has closed its side: the reset, if any, comes first
    let failure = '';
    socket.on('error', (e: NodeJS.ErrnoException) => { failure = e.code ?? e.message; });
    const body = 'x'.repeat(8 * 1024 * 1024);
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${listening.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    await serverSide;
    let text = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => { text += d; });
    socket.resume();
    await closed;
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text.toLowerCase(), /\r\nconnection: close\r\n/);
    assert.is(failure, '', 'the client wrote its whole body without a reset');
  } finally {
    await handler.close();
    await listening.close();
  }
});

test('closeLingerMs must be a non-negative number', async () => {
  const server = createServer({ name: 'limit', version: '1' });
  const handler = createMcpHttpHandler(server);
  try {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => listen(handler, { host: '127.0.0.1', port: 0, closeLingerMs: bad }), /closeLingerMs must be a non-negative number/);
    }
  } finally {
    await handler.close();
  }
});

test.run();
