// The m rows' HTTP driver (http-wire.ts) reads whole responses however the server frames and
// splits them: content-length, chunked (byte by byte, with trailers), close-delimited, an
// interim 100, `connection: close` then a fresh connection; a malformed status line is a
// precise error, not a hang.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WireConnection } from './http-wire.ts';

const HEAD = 'POST /mcp HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n';

/** A server that answers each request (read whole by its content-length) with `reply(n, body)`, written by `send`. */
async function serve(reply: (n: number, body: string, socket: Socket) => void): Promise<{ server: Server; port: number; connections: () => number }> {
  let n = 0;
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/content-length: (\d+)/.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const body = buf.slice(end + 4, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        reply(++n, body, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

/** Write `text` one byte per write, each on its own turn of the event loop. */
async function trickle(socket: Socket, text: string): Promise<void> {
  for (const byte of Buffer.from(text, 'utf8')) {
    socket.write(Buffer.of(byte));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The message `promise` rejects with (fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  assert.unreachable('resolved');
  return '';
}

const wire = suite('bench http-wire: response framing');

wire('content-length, chunked split byte by byte, trailers, an interim 100, UTF-8 across splits', async () => {
  const { server, port } = await serve((n, body, socket) => {
    const text = `é${body}`;
    if (n === 1) socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    if (n === 2) {
      const size = Buffer.byteLength(text).toString(16);
      void trickle(socket, `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${size};x=1\r\n${text}\r\n0\r\n\r\n`);
    }
    if (n === 3) socket.write(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nx-trailer: 1\r\n\r\n`);
  });
  const client = new WireConnection('127.0.0.1', port);
  try {
    const first = await client.post(HEAD, 'one');
    assert.equal(first, { status: 200, contentType: 'application/json', text: 'éone' });
    const second = await client.post(HEAD, 'two');
    assert.equal(second, { status: 200, contentType: 'text/event-stream', text: 'étwo' });
    const third = await client.post(HEAD, 'three');
    assert.equal(third, { status: 200, contentType: undefined, text: 'ab' });
  } finally {
    client.close();
    server.close();
  }
});

wire('connection: close and a close-delimited body: the next request opens a new connection', async () => {
  const { server, port, connections } = await serve((n, body, socket) => {
    if (n === 1) socket.write(`HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    else socket.end(`HTTP/1.1 200 OK\r\n\r\n${body}!`);
  });
  const client = new WireConnection('127.0.0.1', port);
  try {
    assert.equal((await client.post(HEAD, 'a')).status, 404);
    assert.equal(await client.post(HEAD, 'b'), { status: 200, contentType: undefined, text: 'b!' });
    assert.equal(connections(), 2);
  } finally {
    client.close();
    server.close();
  }
});

wire('a malformed status line, a bad chunk size and a connection cut mid-body are errors naming what was wrong', async () => {
  const { server, port } = await serve((n, _body, socket) => {
    if (n === 1) socket.write('HTTP/2 200\r\n\r\n');
    else if (n === 2) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n');
    else socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
  });
  const client = new WireConnection('127.0.0.1', port);
  try {
    assert.match(await rejection(client.post(HEAD, 'x')), 'bad HTTP status line "HTTP/2 200"');
    assert.match(await rejection(client.post(HEAD, 'x')), 'bad chunk size "zz"');
    assert.match(await rejection(client.post(HEAD, 'x')), 'closed the connection before its response ended');
  } finally {
    client.close();
    server.close();
  }
});

wire.run();
