/**
 * The memory event store's index by key (memory.ts): a stream found by its session and stream
 * id, and the streams of each session, with no Map entry per stream.
 *
 * A session has a number (one Map entry per session: its id to that number). A stream's key
 * hashes (the session's number and the stream id's characters) into one `Int32Array` of
 * buckets, whose chains run through a column indexed by slot; a hit is confirmed by the
 * session's number and the stream id. A session's slots are a doubly linked list through two
 * more columns, for `deleteSession`. What it buys over a Map of stream ids per session: a
 * store at `maxStreams` evicts a stream for each new one, and a Map per session deleted and
 * set an entry per call (its table filled with deleted entries and was rebuilt), each entry
 * kept for thousands of calls in old space; here the index is numbers the collector does not
 * trace (bench/README "Session 31: bytes2").
 */

/** No slot (the end of a chain or a list), or no stream found. */
export const NO_SLOT = -1;

export class StreamIndex {
  /** Session id to its number; a number is reused once its session has no stream left. */
  readonly #numbers = new Map<string, number>();
  /** Per session number: its first slot ({@link NO_SLOT}: free number). */
  #firstSlot: Int32Array<ArrayBuffer> = new Int32Array(0);
  #freeNumbers: number[] = [];
  #usedNumbers = 0;
  /** Per slot: its session's number ({@link NO_SLOT}: not indexed), its key's hash, the next slot of its bucket, its session's neighbours. */
  #session: Int32Array<ArrayBuffer> = new Int32Array(0);
  #hash: Int32Array<ArrayBuffer> = new Int32Array(0);
  #chain: Int32Array<ArrayBuffer> = new Int32Array(0);
  #next: Int32Array<ArrayBuffer> = new Int32Array(0);
  #previous: Int32Array<ArrayBuffer> = new Int32Array(0);
  /** The first slot of each bucket; twice as many buckets as slots, a power of two. */
  #buckets: Int32Array<ArrayBuffer> = new Int32Array(0);
  /**
   * The key {@link find} last missed, its session's number and its hash: a new stream is
   * looked for and then added with the same key, and `add` takes them from here rather than
   * a second Map lookup and hash (every SSE POST opens a stream). Forgotten when that number
   * is freed ({@link remove}: the session's last stream went, as an eviction between the two can do).
   */
  #missSession: string | undefined;
  #missStream: string | undefined;
  #missNumber = 0;
  #missHash = 0;

  /** The slot of the stream `streamId` of `sessionId` ({@link NO_SLOT}: none), `streamIds` being the store's column. */
  find(sessionId: string, streamId: string, streamIds: ReadonlyArray<string | undefined>): number {
    const number = this.#numbers.get(sessionId);
    if (number === undefined) return NO_SLOT;
    const hash = keyHash(number, streamId);
    let slot = this.#buckets[hash & (this.#buckets.length - 1)]!;
    while (slot !== NO_SLOT) {
      if (this.#hash[slot] === hash && this.#session[slot] === number && streamIds[slot] === streamId) return slot;
      slot = this.#chain[slot]!;
    }
    this.#missSession = sessionId;
    this.#missStream = streamId;
    this.#missNumber = number;
    this.#missHash = hash;
    return NO_SLOT;
  }

  /** Index `slot` (not indexed now) as the stream `streamId` of `sessionId`. */
  add(slot: number, sessionId: string, streamId: string): void {
    if (slot >= this.#session.length) this.#grow(slot + 1);
    let number: number | undefined;
    let hash: number;
    if (sessionId === this.#missSession && streamId === this.#missStream) {
      number = this.#missNumber;
      hash = this.#missHash;
    } else {
      number = this.#numbers.get(sessionId);
      if (number === undefined) {
        number = this.#freeNumbers.pop() ?? this.#newNumber();
        this.#numbers.set(sessionId, number);
      }
      hash = keyHash(number, streamId);
    }
    // Added: a later find of this key hits, and the next add looks up its own.
    this.#missSession = undefined;
    this.#missStream = undefined;
    const bucket = hash & (this.#buckets.length - 1);
    this.#session[slot] = number;
    this.#hash[slot] = hash;
    this.#chain[slot] = this.#buckets[bucket]!;
    this.#buckets[bucket] = slot;
    const first = this.#firstSlot[number]!;
    this.#previous[slot] = NO_SLOT;
    this.#next[slot] = first;
    if (first !== NO_SLOT) this.#previous[first] = slot;
    this.#firstSlot[number] = slot;
  }

  /** Take indexed `slot` out (its session's entry goes with its last stream). */
  remove(slot: number, sessionId: string): void {
    const number = this.#session[slot]!;
    const bucket = this.#hash[slot]! & (this.#buckets.length - 1);
    let at = this.#buckets[bucket]!;
    if (at === slot) this.#buckets[bucket] = this.#chain[slot]!;
    else {
      while (this.#chain[at] !== slot) at = this.#chain[at]!;
      this.#chain[at] = this.#chain[slot]!;
    }
    const previous = this.#previous[slot]!;
    const next = this.#next[slot]!;
    if (previous !== NO_SLOT) this.#next[previous] = next;
    else this.#firstSlot[number] = next;
    if (next !== NO_SLOT) this.#previous[next] = previous;
    this.#session[slot] = NO_SLOT;
    if (this.#firstSlot[number] === NO_SLOT) {
      this.#numbers.delete(sessionId);
      this.#freeNumbers.push(number);
      // The number may go to another session: a miss remembered under it no longer holds.
      if (number === this.#missNumber) this.#missSession = undefined;
    }
  }

  /** The slots of `sessionId`'s streams (a copy: the caller removes them). */
  slotsOf(sessionId: string): number[] {
    const number = this.#numbers.get(sessionId);
    const slots: number[] = [];
    if (number === undefined) return slots;
    for (let slot = this.#firstSlot[number]!; slot !== NO_SLOT; slot = this.#next[slot]!) slots.push(slot);
    return slots;
  }

  clear(): void {
    this.#missSession = undefined;
    this.#missStream = undefined;
    this.#numbers.clear();
    this.#firstSlot = new Int32Array(0);
    this.#freeNumbers = [];
    this.#usedNumbers = 0;
    this.#session = new Int32Array(0);
    this.#hash = new Int32Array(0);
    this.#chain = new Int32Array(0);
    this.#next = new Int32Array(0);
    this.#previous = new Int32Array(0);
    this.#buckets = new Int32Array(0);
  }

  #newNumber(): number {
    const number = this.#usedNumbers++;
    if (number >= this.#firstSlot.length) this.#firstSlot = grown(this.#firstSlot, Math.max(number + 1, 2 * this.#firstSlot.length, 16));
    this.#firstSlot[number] = NO_SLOT;
    return number;
  }

  /** Columns for `least` slots or more, and the buckets rebuilt for them. */
  #grow(least: number): void {
    const size = Math.max(least, 2 * this.#session.length, 64);
    this.#session = grown(this.#session, size);
    this.#hash = grown(this.#hash, size);
    this.#chain = grown(this.#chain, size);
    this.#next = grown(this.#next, size);
    this.#previous = grown(this.#previous, size);
    let buckets = 64;
    while (buckets < 2 * size) buckets *= 2;
    this.#buckets = new Int32Array(buckets).fill(NO_SLOT);
    const mask = buckets - 1;
    for (let slot = 0; slot < size; slot++) {
      if (this.#session[slot] === NO_SLOT) continue;
      const bucket = this.#hash[slot]! & mask;
      this.#chain[slot] = this.#buckets[bucket]!;
      this.#buckets[bucket] = slot;
    }
  }
}

/** `old` copied into a new column of `size`, the rest {@link NO_SLOT}. */
function grown(old: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size).fill(NO_SLOT);
  next.set(old);
  return next;
}

/** A 32-bit hash of a session's number and a stream id (FNV-1a over its code units, then mixed). */
function keyHash(number: number, streamId: string): number {
  let h = Math.imul(number + 1, 0x9e3779b1) ^ 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) h = Math.imul(h ^ streamId.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
