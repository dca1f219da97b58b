// A POST body over maxBodyBytes is answered 413 and the connection closed (RFC 9110 section
// 10.1.1: a server answering before it has read the whole content SHOULD say whether it will
// close the connection; RFC 9112 section 9.6: `Connection: close`). Kept alive, the server
// read and discarded the rest of the body, which a client that had asked `Expect:
// 100-continue` and got 100 Continue sends whole, and a chunked body sends without end. A
// Content-Length already over the limit gets its 413 at once, without a 100 Continue first.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';

const LIMIT = 1024;

async function serve(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer({ name: 'limit', version: '1' });
  const handler = createMcpHttpHandler(server, { keepAliveMs: 0, maxBodyBytes: LIMIT });
  const listening: ListeningServer = await listen(handler, { host: '127.0.0.1', port: 0 });
  return { port: listening.port, close: async () => { await handler.close(); await listening.close(); } };
}

/** Send `head`, then `body` once the server has answered 100 Continue (if asked); resolve with all it sent once it closes. */
function exchange(port: number, head: string, body: string | undefined): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let sentBody = false;
    // Bounded: a connection still open 3 s after the answer is the defect this file is about.
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
      if (body !== undefined && !sentBody && /^HTTP\/1\.1 100 /.test(text)) {
        sentBody = true;
        socket.write(body);
      }
      if (/HTTP\/1\.1 413 /.test(text) && timer === undefined) {
        timer = setTimeout(() => { socket.destroy(); resolve({ text, closed: false }); }, 3_000);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET') reject(e); });
    socket.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    socket.write(head);
  });
}

const test = suite('a body over maxBodyBytes: 413 and the connection closed');

test('Expect: 100-continue with a Content-Length over the limit', async () => {
  const s = await serve();
  try {
    const body = 'x'.repeat(LIMIT * 4);
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`;
    const { text, closed } = await exchange(s.port, head, body);
    assert.match(text, /HTTP\/1\.1 413 /);
    assert.match(text.toLowerCase(), /\r\nconnection: close\r\n/);
    assert.ok(closed, 'the server closed the connection after its 413');
  } finally {
    await s.close();
  }
});

test('Expect: 100-continue with a Content-Length over the limit: 413 at once, no 100 Continue first (RFC 9110 10.1.1)', async () => {
  const s = await serve();
  try {
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${LIMIT * 4}\r\nExpect: 100-continue\r\n\r\n`;
    const { text, closed } = await exchange(s.port, head, undefined); // the body is never sent
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.not.match(text, /HTTP\/1\.1 100 /);
    assert.ok(closed, 'the server closed the connection after its 413');
  } finally {
    await s.close();
  }
});

test('Expect: 100-continue with a body within the limit: 100 Continue, then the answer', async () => {
  const s = await serve();
  try {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;
    const { text } = await exchange(s.port, head, body);
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.match(text, /"protocolVersion":"2025-11-25"/);
  } finally {
    await s.close();
  }
});

test('a chunked body that grows past the limit and does not end', async () => {
  const s = await serve();
  try {
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = `800\r\n${'x'.repeat(0x800)}\r\n`;
    const { text, closed } = await exchange(s.port, head + chunk, undefined);
    assert.match(text, /HTTP\/1\.1 413 /);
    assert.ok(closed, 'the server closed the connection instead of reading the rest');
  } finally {
    await s.close();
  }
});

test.run();
