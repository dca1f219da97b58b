// The endpoint-wide bound on unread SSE bytes (maxBufferedBytesTotal). Each connection was
// bounded on its own only, so a client that opened many streams and read none multiplied the
// bound by their number (faults4, session 13: 200 unread calls held 1.5 GB). Fake Node
// responses that never drain stand for clients that never read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemTimers } from '../../protocol/correlation.ts';
import { serveNode } from './node-exchange.ts';
import { sseReply, type ExchangeServable } from './exchange.ts';
import { SseConnection, type ConnectionSettings } from './sse-connection.ts';
import { unreadLedger, type UnreadLedger } from './unread-ledger.ts';

/** A response whose client reads nothing until `read()`: every byte written stays buffered. */
class UnreadResponse extends EventEmitter {
  headersSent = false;
  writableCorked = 0;
  writableLength = 0;
  writableNeedDrain = false;
  readonly highWaterMark = 16 * 1024;
  writeHead(): this { this.headersSent = true; return this; }
  flushHeaders(): void {}
  cork(): void { this.writableCorked++; }
  uncork(): void { this.writableCorked = Math.max(0, this.writableCorked - 1); }
  /** Every chunk handed to Node, in order. */
  readonly chunks: Array<string | Buffer> = [];
  write(text: string | Buffer): boolean {
    this.chunks.push(text);
    this.writableLength += Buffer.byteLength(text);
    if (this.writableLength >= this.highWaterMark) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }
  end(): void { this.ended = true; this.emit('close'); }
  ended = false;
  /** What the client has been sent, as text. */
  text(): string { return this.chunks.map((c) => c.toString()).join(''); }
  /** The client reads everything. */
  read(): void {
    this.writableLength = 0;
    if (this.writableNeedDrain) {
      this.writableNeedDrain = false;
      this.emit('drain');
    }
  }
}

const fakeRequest = { method: 'GET', url: '/mcp', headers: {}, readableEnded: false, readableDidRead: false } as unknown as IncomingMessage;

/** Open an SSE connection piped to a fresh UnreadResponse, as the Node adapter does. */
async function open(settings: ConnectionSettings): Promise<{ conn: SseConnection; res: UnreadResponse }> {
  const conn = new SseConnection(settings);
  const res = new UnreadResponse();
  const servable: ExchangeServable = { exchange: async () => sseReply(conn) };
  serveNode(servable, fakeRequest, res as unknown as ServerResponse);
  await new Promise((r) => setImmediate(r)); // the reply is written on the promise's turn
  return { conn, res };
}

const settingsWith = (unread: UnreadLedger | undefined): ConnectionSettings =>
  ({ timers: systemTimers, keepAlive: undefined, maxBufferedBytes: 1024 * 1024, unread, onError: () => {} });

const CHUNK = `data: ${'x'.repeat(64 * 1024)}\n\n`;

const total = suite('SSE connections: unread bytes bounded across the endpoint');

total('connections each under their own bound are behind once their sum is over the total', async () => {
  const unread = unreadLedger(256 * 1024);
  const a = await open(settingsWith(unread));
  const b = await open(settingsWith(unread));
  for (let i = 0; i < 3; i++) a.conn.send(CHUNK); // ~192 KiB: under the total and under 1 MiB
  assert.is(a.conn.behind, false);
  for (let i = 0; i < 2; i++) b.conn.send(CHUNK); // sum ~320 KiB: over the total
  assert.is(b.conn.behind, true, 'the second connection waits: the sum is over');
  a.conn.send(CHUNK);
  assert.is(a.conn.behind, true, 'the first waits too on its next send');
  assert.ok(unread.total > unread.max);
  // One client reads: its bytes leave the ledger, its writers go on; the other still waits.
  let woke = false;
  const waiting = a.conn.writable().then(() => { woke = true; });
  a.res.read(); // what Node held; the text held while Node waited is handed over at the drain
  await waiting;
  a.res.read(); // and read in turn
  assert.ok(woke);
  assert.is(a.conn.behind, false);
  assert.is(b.conn.behind, true);
  // b's two chunks, whether in Node's buffer or held by the sink until Node drains.
  assert.is(unread.total, 2 * Buffer.byteLength(CHUNK));
  // A closed connection's bytes leave the ledger too.
  b.conn.end();
  assert.is(unread.total, 0);
});

total('without a ledger, the same sends leave both connections free (each under its own bound)', async () => {
  const a = await open(settingsWith(undefined));
  const b = await open(settingsWith(undefined));
  for (let i = 0; i < 6; i++) { a.conn.send(CHUNK); b.conn.send(CHUNK); }
  assert.is(a.conn.behind, false);
  assert.is(b.conn.behind, false);
});

total('senders that never wait are dropped once the sum is four times the total', async () => {
  const unread = unreadLedger(128 * 1024);
  const conns = await Promise.all([1, 2, 3, 4].map(() => open(settingsWith(unread))));
  let dropped = 0;
  for (let i = 0; i < 8 && dropped === 0; i++) for (const { conn } of conns) if (!conn.send(CHUNK)) dropped++;
  assert.ok(dropped > 0, 'a connection over 4x the total is dropped (its client resumes from the store)');
  assert.ok(unread.total <= 4 * unread.max + conns.length * CHUNK.length);
});

total('a total that is not a positive number is refused by name', () => {
  assert.throws(() => unreadLedger(0), /maxBufferedBytesTotal/);
  assert.throws(() => unreadLedger(Number.NaN), /maxBufferedBytesTotal/);
});

const hold = suite('SSE connections: text held while Node waits for a drain');

const event = (i: number): string => `id: ${i}\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":${i}}}\n\n`;

hold('once Node asks to wait, events go to it packed in large pieces, not one write each', async () => {
  const { conn, res } = await open(settingsWith(unreadLedger(64 * 1024 * 1024)));
  conn.send(CHUNK); // past Node's high-water mark: Node now waits for 'drain'
  const before = res.chunks.length;
  let sent = CHUNK;
  for (let i = 0; i < 2000; i++) { conn.send(event(i)); sent += event(i); }
  // Handed over one by one, each small event stayed a write request around its string in
  // Node's buffer (~3x its text in heap); held and packed, Node gets a few large pieces.
  const whileWaiting = res.chunks.slice(before);
  assert.ok(whileWaiting.length > 0 && whileWaiting.length < 20, `${whileWaiting.length} writes for 2000 events`);
  for (const chunk of whileWaiting) assert.ok(Buffer.isBuffer(chunk) && chunk.length >= 16 * 1024, 'packed bytes');
  res.read(); // the drain hands over the rest
  assert.is(res.text(), sent, 'every event, in order');
});

hold('held text counts toward the connection bound and the ledger', async () => {
  const unread = unreadLedger(64 * 1024 * 1024);
  const { conn, res } = await open({ ...settingsWith(unread), maxBufferedBytes: 256 * 1024 });
  conn.send(CHUNK);
  assert.is(conn.behind, false);
  let i = 0;
  let sent = Buffer.byteLength(CHUNK);
  while (!conn.behind && i < 10_000) { conn.send(event(i)); sent += event(i++).length; }
  assert.ok(conn.behind, 'behind once Node\'s buffer plus the held text pass maxBufferedBytes');
  assert.is(unread.total, sent, 'every unread byte is counted, in Node\'s buffer or held');
  assert.ok(res.writableLength < sent, 'some of it is held, not yet in Node\'s buffer');
  // The client reads what Node had: the rest of the held text goes to Node (less than its
  // high-water mark here), so nothing waits and nothing stays counted.
  const waiting = conn.writable();
  res.read();
  await waiting;
  assert.ok(res.writableLength > 0 && !res.writableNeedDrain, `${res.writableLength} bytes handed over at the drain`);
  assert.is(unread.total, 0);
  assert.is(conn.behind, false);
});

hold('ending the connection hands over what was held before the end', async () => {
  const { conn, res } = await open(settingsWith(undefined));
  conn.send(CHUNK);
  conn.send(event(1));
  conn.send(event(2));
  conn.end();
  assert.ok(res.ended);
  assert.ok(res.text().endsWith(event(1) + event(2)), 'the held events precede the end');
});

hold('a client gone while text is held: the held text is dropped and uncounted', async () => {
  const unread = unreadLedger(64 * 1024 * 1024);
  const { conn, res } = await open(settingsWith(unread));
  conn.send(CHUNK);
  for (let i = 0; i < 100; i++) conn.send(event(i));
  assert.ok(unread.total > Buffer.byteLength(CHUNK));
  res.emit('close');
  assert.is(unread.total, 0);
});

total.run();
hold.run();
