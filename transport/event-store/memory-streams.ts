/**
 * The memory event store's records (memory.ts): every stream in a table of columns indexed by
 * its slot (found by key through memory-index.ts).
 *
 * Why columns rather than an object per stream: a store at `maxStreams` (10 000 by default)
 * keeps every stream for many thousands of calls, so each new one outlives two scavenges of
 * V8's young generation and is copied by both. An object per stream made seven heap objects
 * (the record, its boxed clock reading, its event array and its backing store, three
 * strings), 418 bytes; here the numbers live in typed arrays the collector does not trace and
 * a one-event stream keeps its event as a bare string: three strings, about 180 bytes
 * (`--trace-gc-nvp` and a heap snapshot of `bench/exchange-loop.ts`: bench/README "Session
 * 20 (lead)"). An ended stream keeps two: its token is bytes ({@link StreamTable.tokenBytes}).
 */

import { tokenIsBytes, tokenOfBytes } from './event-id.ts';

/** No slot: the end of the least-recently-used list, or a stream not found. */
export const NONE = -1;

/** Per-stream columns; a slot is a row. Grown by doubling; rows of free slots are stale. */
export class StreamTable {
  /**
   * Each stream's token as text while the stream is open (its appends format ids with it);
   * undefined once it ended or its slot is free. The token itself is {@link tokenBytes}.
   */
  tokens: Array<string | undefined> = [];
  /**
   * Each slot's token, 16 bytes at `16 * slot`, written by newStreamToken. What it buys: a
   * finished stream keeps no token string (40 B that outlived two scavenges and was promoted,
   * for each of the `maxStreams` kept; bench/README "Session 30: bytes1").
   */
  tokenBytes = new Uint8Array(0);
  /** {@link tokenBytes} as 32-bit words (a slot's token at `4 * slot`): its token copied in 4 steps, not 16. */
  tokenWords = new Uint32Array(0);
  /** Session of each slot's stream; undefined when the slot is free. */
  sessions: Array<string | undefined> = [];
  streamIds: Array<string | undefined> = [];
  /**
   * Serialized events: undefined before the first append, the event itself while the stream
   * has kept only one (most streams carry one response), then an array in which `head` is
   * event `base + 1`.
   */
  events: Array<string | string[] | undefined> = [];
  head = new Int32Array(0);
  /** Seq of the last evicted event (0 when none was). */
  base = new Float64Array(0);
  lastSeq = new Float64Array(0);
  /** UTF-8 bytes of the events kept. */
  bytes = new Float64Array(0);
  touched = new Float64Array(0);
  /** Neighbours in the store's least-recently-used list ({@link NONE} at its ends). */
  older = new Int32Array(0);
  newer = new Int32Array(0);

  /** Grow the columns to hold `slot` (before its token is written into {@link tokenBytes}). */
  reserve(slot: number): void {
    if (slot >= this.head.length) this.#grow(slot + 1);
  }

  /** Make reserved `slot` a new, empty stream; its token's bytes are written already. */
  init(slot: number, token: string, sessionId: string, streamId: string, at: number): void {
    put(this.tokens, slot, token);
    put(this.sessions, slot, sessionId);
    put(this.streamIds, slot, streamId);
    put(this.events, slot, undefined);
    this.head[slot] = 0;
    this.base[slot] = 0;
    this.lastSeq[slot] = 0;
    this.bytes[slot] = 0;
    this.touched[slot] = at;
    this.older[slot] = NONE;
    this.newer[slot] = NONE;
  }

  /** Let go of `slot`'s strings (its numbers are written again when the slot is taken). */
  clear(slot: number): void {
    this.tokens[slot] = undefined;
    this.sessions[slot] = undefined;
    this.streamIds[slot] = undefined;
    this.events[slot] = undefined;
  }

  /** The token of the stream at `slot` (made again from its bytes once the stream ended). */
  token(slot: number): string {
    return this.tokens[slot] ?? tokenOfBytes(this.tokenBytes, 16 * slot);
  }

  /** Whether `slot` holds a stream whose token is `token` (a free slot holds none). */
  hasToken(slot: number, token: string): boolean {
    return slot < this.head.length && this.sessions[slot] !== undefined && tokenIsBytes(token, this.tokenBytes, 16 * slot);
  }

  /** Add an event to `slot`'s stream (its size is counted by the caller). */
  push(slot: number, json: string): void {
    const kept = this.events[slot];
    if (kept === undefined) this.events[slot] = json;
    else if (typeof kept === 'string') this.events[slot] = [kept, json];
    else kept.push(json);
  }

  /** The events after `seq` (a copy: appends and evictions after it do not change it). */
  after(slot: number, seq: number): string[] {
    const kept = this.events[slot];
    const skip = seq - this.base[slot]!;
    if (kept === undefined) return [];
    if (typeof kept === 'string') return skip === 0 ? [kept] : [];
    return kept.slice(this.head[slot]! + skip);
  }

  /** Drop `slot`'s oldest event (its size is measured again rather than kept per event); returns its size. */
  evictHead(slot: number): number {
    const kept = this.events[slot]!;
    const events = typeof kept === 'string' ? (this.events[slot] = [kept]) : kept;
    const at = this.head[slot]!;
    const size = utf8Length(events[at]!);
    this.bytes[slot] = this.bytes[slot]! - size;
    events[at] = '';
    this.head[slot] = at + 1;
    this.base[slot] = this.base[slot]! + 1;
    // Compact once the dead prefix outweighs the live part: O(1) amortized per eviction.
    if (at + 1 >= 1024 && (at + 1) * 2 >= events.length) {
      this.events[slot] = events.slice(at + 1);
      this.head[slot] = 0;
    }
    return size;
  }

  #grow(least: number): void {
    const size = Math.max(least, this.head.length * 2, 64);
    this.head = grown(this.head, new Int32Array(size));
    this.base = grown(this.base, new Float64Array(size));
    this.lastSeq = grown(this.lastSeq, new Float64Array(size));
    this.bytes = grown(this.bytes, new Float64Array(size));
    this.touched = grown(this.touched, new Float64Array(size));
    this.older = grown(this.older, new Int32Array(size));
    this.newer = grown(this.newer, new Int32Array(size));
    this.tokenBytes = grown(this.tokenBytes, new Uint8Array(16 * size));
    this.tokenWords = new Uint32Array(this.tokenBytes.buffer);
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** Write `array[index]`, appending at its end: a write past the end would make it a dictionary. */
function put<T>(array: T[], index: number, value: T): void {
  if (index === array.length) array.push(value);
  else array[index] = value;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * UTF-8 length of a string as an encoder writes it, without allocating: a lone surrogate is
 * written as U+FFFD (3 bytes), a pair as one 4-byte character. JSON is mostly ASCII, so one
 * regex test first: V8's compiled character class scans faster than a loop of `charCodeAt`
 * (counted per call under callgrind, a ~100-byte reply: 986 instructions against the loop's
 * 3,260; 10 KB: 90k against 524k; `Buffer.byteLength` would be cheaper still, but the HTTP
 * core uses no Buffer: bench/README "Session 32: bytes4").
 */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A high surrogate and the low one after it: two code units, four bytes.
      n += 2;
      i += 1;
    } else n += 2;
  }
  return n;
}
