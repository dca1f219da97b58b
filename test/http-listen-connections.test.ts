// The Node adapter's connection limits are options with documented defaults: how long an idle
// keep-alive connection is kept (`keepAliveTimeoutMs`, 65 s unless set; it was fixed) and how
// many connections may be open at once (`maxConnections`, no cap unless set; there was none).
// A hostile local client: too many header fields get a precise 431 (Node alone kept the
// first 2 000 and dropped the rest unsaid, so an `Accept` sent after them was answered 406
// "the Accept header must list ..."), the count is an option (`maxHeaderCount`, default
// 2 000, 0 for none), and the server keeps answering others. What Node already bounds is
// kept here too: a 1 MiB header and an endless request line get 431, pipelined requests are
// answered in order. Loopback only.
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

const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

/** A POST of BODY with `fill` header fields (`a:` each when `tiny`) before `Accept`: 4 + fill fields in all. */
function post(port: number, fill: number, extra = '', tiny = false): string {
  let fields = '';
  for (let i = 0; i < fill; i++) fields += tiny ? 'a:\r\n' : `x-${i}: 1\r\n`;
  return `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n${fields}${extra}Accept: application/json, text/event-stream\r\n\r\n${BODY}`;
}

/** Write `data` on a new connection; everything it got back once it closes (or after `ms`). */
function exchange(port: number, data: string, ms = 5_000): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    let text = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; socket.destroy(); }, ms);
    socket.setEncoding('utf8').on('data', (d: string) => { text += d; });
    socket.on('error', () => { /* a reset after the answer: the close settles it */ });
    socket.once('close', () => { clearTimeout(timer); resolve({ text, closedByServer: !timedOut }); });
  });
}

const statuses = (text: string) => [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));

const test = suite('http: listen() connection limits, and a hostile local client');
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

test('more than 2 000 header fields: 431 naming the limit and closed, not a 406 for the Accept it dropped', async () => {
  server = await listen(handler, { port: 0, keepAliveTimeoutMs: 60_000 });
  const over = await exchange(server.port, post(server.port, 1_997));
  assert.equal(statuses(over.text), [431]);
  assert.ok(over.closedByServer, 'the connection is closed');
  assert.match(over.text, /"message":"Request Header Fields Too Large: more than 2000 header fields \(maxHeaderCount\)"/);
  // 2 000 exactly are served; so is everyone else meanwhile.
  const within = await exchange(server.port, post(server.port, 1_996), 1_000);
  assert.equal(statuses(within.text), [200]);
});

test('maxHeaderCount is an option: 10 refuses the 11th field; 0 counts none (the 16 KiB size limit stays)', async () => {
  server = await listen(handler, { port: 0, maxHeaderCount: 10 });
  assert.match((await exchange(server.port, post(server.port, 7))).text, /^HTTP\/1\.1 431[\s\S]*more than 10 header fields/);
  assert.equal(statuses((await exchange(server.port, post(server.port, 6), 1_000)).text), [200]);
  await server.close();
  server = await listen(handler, { port: 0, maxHeaderCount: 0 });
  assert.equal(statuses((await exchange(server.port, post(server.port, 2_500, '', true), 1_000)).text), [200], '2 504 fields (10 KB), Accept last, all read');
  assert.throws(() => listen(handler, { port: 0, maxHeaderCount: -1 }), /maxHeaderCount must be a non-negative number/);
});

test('a 1 MiB header and an endless request line get 431; three pipelined requests get three answers in order', async () => {
  server = await listen(handler, { port: 0 });
  assert.equal(statuses((await exchange(server.port, post(server.port, 0, `x-big: ${'a'.repeat(1 << 20)}\r\n`))).text), [431]);
  assert.equal(statuses((await exchange(server.port, `POST /mcp?${'a'.repeat(20_000)}`)).text), [431]);
  const piped = await exchange(server.port, post(server.port, 0) + post(server.port, 0) + post(server.port, 0), 1_500);
  assert.equal(statuses(piped.text), [200, 200, 200]);
  assert.is(piped.text.match(/"protocolVersion":"2025-11-25"/g)?.length, 3);
});

test.run();
