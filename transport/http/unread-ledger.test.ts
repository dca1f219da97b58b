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
  write(text: string): boolean {
    this.writableLength += Buffer.byteLength(text);
    if (this.writableLength >= this.highWaterMark) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }
  end(): void { this.emit('close'); }
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
  a.res.read();
  await waiting;
  assert.ok(woke);
  assert.is(a.conn.behind, false);
  assert.is(b.conn.behind, true);
  assert.is(unread.total, b.res.writableLength);
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

total.run();
