// The Node adapter's connection limits are options with documented defaults: how long an idle
// keep-alive connection is kept (`keepAliveTimeoutMs`, 65 s unless set; it was fixed) and how
// many connections may be open at once (`maxConnections`, no cap unless set; there was none).
// Loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';

/** A connected socket, and a promise of its close (rejected after `boundMs` with `what`). */
function open(port: number, boundMs: number, what: string): Promise<{ socket: Socket; closed: Promise<number>; text: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => { text += d; });
    socket.once('error', () => { /* the close that follows settles it */ });
    const closed = new Promise<number>((done, fail) => {
      const started = Date.now();
      const timer = setTimeout(() => fail(new Error(what)), boundMs);
      socket.once('close', () => {
        clearTimeout(timer);
        done(Date.now() - started);
      });
    });
    closed.catch(() => undefined);
    socket.once('connect', () => resolve({ socket, closed, text: () => text }));
    socket.once('close', () => reject(new Error('closed before it connected')));
  });
}

const test = suite('http: listen() connection limits');
let handler: ReturnType<typeof createMcpHttpHandler>;
let server: ListeningServer | undefined;

test.before.each(() => {
  handler = createMcpHttpHandler(createServer({ name: 't', version: '1' }), { disableHostChecks: true });
});
test.after.each(async () => {
  await server?.close();
  server = undefined;
  await handler.close();
});

test('keepAliveTimeoutMs: an idle keep-alive connection is closed after it, not after 65 s', async () => {
  server = await listen(handler, { port: 0, keepAliveTimeoutMs: 200 });
  const c = await open(server.port, 10_000, 'the idle connection was still open after 10 s');
  c.socket.write(`GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
  await c.closed;
  assert.match(c.text(), /^HTTP\/1\.1 404/, 'answered, then closed once idle');
  assert.match(c.text(), /keep-alive/i, 'the response offered to keep the connection');
});

test('maxConnections: a connection past the cap is closed at once; those within it stay', async () => {
  server = await listen(handler, { port: 0, maxConnections: 2 });
  let accepted = 0;
  const twoAccepted = new Promise<void>((resolve) => server!.server.on('connection', () => { if (++accepted === 2) resolve(); }));
  const first = await open(server.port, 60_000, 'unused');
  const second = await open(server.port, 60_000, 'unused');
  await twoAccepted;
  const third = await open(server.port, 10_000, 'the connection past the cap was still open after 10 s');
  await third.closed;
  assert.is(third.text(), '', 'closed without an answer');
  assert.not.ok(first.socket.destroyed || second.socket.destroyed, 'the two within the cap are open');
  first.socket.destroy();
  second.socket.destroy();
});

test('bad values are refused naming the option', async () => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => listen(handler, { port: 0, keepAliveTimeoutMs: bad }), /keepAliveTimeoutMs must be a non-negative number/);
    assert.throws(() => listen(handler, { port: 0, maxConnections: bad }), /maxConnections must be a non-negative number/);
  }
});

test.run();
