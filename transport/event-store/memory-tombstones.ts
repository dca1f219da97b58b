/**
 * The memory event store's tombstones (memory.ts): a stream it evicted is told apart on a
 * resume ('evicted', or 'wrong-session' for another session's id) for as long as one is kept.
 */
import { tokenIsBytes } from './event-id.ts';

/**
 * Tokens of evicted streams and their session: the last `limit` (at least 1) in a ring, found
 * by the slot their token carries. Each entry links to the previous one of its slot, by
 * number (the count of entries before it); a link whose entry the ring has overwritten since
 * ends the walk, as everything older is overwritten too. What it buys over a Map keyed by
 * token: no hashing of a new token and no table to grow or rebuild per eviction (a store at
 * `maxStreams` evicts a stream for every new one: 3.8% of the exchange loop,
 * bench/README "Session 12: the legacy server's CPU per SSE call"); the writes go in order.
 * The tokens are kept as their 16 bytes and the numbers in typed arrays: the ring holds no
 * string of its own (the session ids are the store's), so nothing in it is copied by the
 * collector as it outlives scavenges (bench/README "Session 30: bytes1").
 */
export class Tombstones {
  /** Entry `n` at `n % limit`: its token's bytes at 16 times that, its session, n, and its slot's previous entry (-1: none). */
  #tokens = new Uint8Array(0);
  /** {@link #tokens} as 32-bit words: an entry's token copied in 4 steps, not 16 (one per evicted stream). */
  #tokenWords = new Uint32Array(0);
  #sessions: string[] = [];
  #numbers: Float64Array<ArrayBuffer> = new Float64Array(0);
  #previous: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Per slot, the number of its newest entry (-1: none); grown as slots are evicted. */
  #heads: Float64Array<ArrayBuffer> = new Float64Array(0);
  #count = 0;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Remember the evicted stream in `slot` (its token's 16 bytes from word `from` of `words`) and its session. */
  add(slot: number, words: Uint32Array, from: number, sessionId: string): void {
    if (slot >= this.#heads.length) this.#heads = grown(this.#heads, Math.max(slot + 1, 2 * this.#heads.length, 64), -1);
    const n = this.#count++;
    const at = n % this.#limit;
    // The ring grows by doubling up to `limit` entries: a store that evicts little keeps little.
    if (at >= this.#numbers.length) this.#growRing(at + 1);
    const ring = this.#tokenWords;
    const to = 4 * at;
    ring[to] = words[from]!;
    ring[to + 1] = words[from + 1]!;
    ring[to + 2] = words[from + 2]!;
    ring[to + 3] = words[from + 3]!;
    if (at === this.#sessions.length) this.#sessions.push(sessionId); // dense: a write past the end would make it a dictionary
    else this.#sessions[at] = sessionId;
    this.#numbers[at] = n;
    this.#previous[at] = this.#heads[slot]!;
    this.#heads[slot] = n;
  }

  /** The session of the evicted stream with `token`, if it is still remembered. */
  get(slot: number, token: string): string | undefined {
    let n = slot >= 0 && slot < this.#heads.length ? this.#heads[slot]! : -1;
    while (n >= 0) {
      const at = n % this.#limit;
      if (this.#numbers[at] !== n) return undefined; // overwritten, and all before it
      if (tokenIsBytes(token, this.#tokens, 16 * at)) return this.#sessions[at];
      n = this.#previous[at]!;
    }
    return undefined;
  }

  clear(): void {
    this.#tokens = new Uint8Array(0);
    this.#tokenWords = new Uint32Array(0);
    this.#sessions = [];
    this.#numbers = new Float64Array(0);
    this.#previous = new Float64Array(0);
    this.#heads = new Float64Array(0);
    this.#count = 0;
  }

  #growRing(least: number): void {
    const size = Math.min(this.#limit, Math.max(least, 2 * this.#numbers.length, 64));
    const tokens = new Uint8Array(16 * size);
    tokens.set(this.#tokens);
    this.#tokens = tokens;
    this.#tokenWords = new Uint32Array(tokens.buffer);
    this.#numbers = grown(this.#numbers, size, -1);
    this.#previous = grown(this.#previous, size, -1);
  }
}

/** `old` copied into a new array of `size`, the rest `fill`. */
function grown(old: Float64Array, size: number, fill: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(size);
  next.fill(fill);
  next.set(old);
  return next;
}
