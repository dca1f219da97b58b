/**
 * The memory event store's tombstones (memory.ts): a stream it evicted is told apart on a
 * resume ('evicted', or 'wrong-session' for another session's id) for as long as one is kept.
 */

/**
 * Tokens of evicted streams and their session: the last `limit` (at least 1) in a ring, found
 * by the slot their token carries. Each entry links to the previous one of its slot, by
 * number (the count of entries before it); a link whose entry the ring has overwritten since
 * ends the walk, as everything older is overwritten too. What it buys over a Map keyed by
 * token: no hashing of a new token and no table to grow or rebuild per eviction (a store at
 * `maxStreams` evicts a stream for every new one: 3.8% of the exchange loop,
 * bench/README "Session 12: the legacy server's CPU per SSE call"); the writes go in order.
 */
export class Tombstones {
  /** Entry `n` at `4 * (n % limit)`: token, session id, n, and the number of its slot's previous entry (-1: none). */
  #ring: Array<string | number> = [];
  /** Per slot, the number of its newest entry (-1: none); grown as slots are evicted. */
  #heads: number[] = [];
  #count = 0;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Remember the evicted stream with `token` (its slot is `slot`) and its session. */
  add(slot: number, token: string, sessionId: string): void {
    const heads = this.#heads;
    while (heads.length <= slot) heads.push(-1); // dense: a write past the end would make it a dictionary
    const n = this.#count++;
    const at = 4 * (n % this.#limit);
    const ring = this.#ring;
    if (at === ring.length) ring.push(token, sessionId, n, heads[slot]!);
    else {
      ring[at] = token;
      ring[at + 1] = sessionId;
      ring[at + 2] = n;
      ring[at + 3] = heads[slot]!;
    }
    heads[slot] = n;
  }

  /** The session of the evicted stream with `token`, if it is still remembered. */
  get(slot: number, token: string): string | undefined {
    let n = this.#heads[slot] ?? -1;
    while (n >= 0) {
      const at = 4 * (n % this.#limit);
      if (this.#ring[at + 2] !== n) return undefined; // overwritten, and all before it
      if (this.#ring[at] === token) return this.#ring[at + 1] as string;
      n = this.#ring[at + 3] as number;
    }
    return undefined;
  }

  clear(): void {
    this.#ring = [];
    this.#heads = [];
    this.#count = 0;
  }
}
