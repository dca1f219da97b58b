/**
 * The memory event store's byte area for finished streams (memory-streams.ts): a fixed number
 * of bytes per slot in one buffer, where a stream whose history fits is copied when it ends,
 * each event as a 2-byte length and its UTF-8. What it buys: a finished quick call's reply
 * (one string of ~100 B, kept for `maxStreams` new streams, so promoted by the collector and
 * traced at every mark) becomes bytes the collector never looks at; the string dies young.
 * The buffer grows with the slot columns (doubling), so only slots in use are touched.
 */
import { Buffer } from 'node:buffer';

/** String.prototype.isWellFormed (Node 20; not in this build's ES2023 lib). */
type WellFormed = string & { isWellFormed(): boolean };

export class HistoryArea {
  /** Bytes per slot (0: never used). */
  readonly perSlot: number;
  #bytes = Buffer.alloc(0);
  /** Bytes used in each slot's area; 0 when its stream's history is not kept here. */
  #used = new Uint16Array(0);

  constructor(perSlot: number) {
    this.perSlot = perSlot;
  }

  /** Room for `slots` slots (the old contents kept). */
  grow(slots: number): void {
    const used = new Uint16Array(slots);
    used.set(this.#used);
    this.#used = used;
    if (this.perSlot === 0) return;
    const bytes = Buffer.alloc(slots * this.perSlot);
    this.#bytes.copy(bytes);
    this.#bytes = bytes;
  }

  /** Whether `slot`'s history is kept here. */
  has(slot: number): boolean {
    return this.#used[slot] !== 0;
  }

  /**
   * Copy `events` (one, or an array's from index `from`; `size` their UTF-8 bytes in all, as the store counted
   * them) into `slot`'s area; false, with nothing kept, when they do not fit.
   */
  put(slot: number, events: string | readonly string[], from: number, size: number): boolean {
    const one = typeof events === 'string';
    const count = one ? 1 : events.length - from;
    if (count === 0 || size + 2 * count > this.perSlot) return false;
    const bytes = this.#bytes;
    const start = slot * this.perSlot;
    const end = start + this.perSlot;
    let at = start;
    for (let i = from; i < from + count; i++) {
      const text = one ? events : events[i]!;
      const written = bytes.write(text, at + 2, end - at - 2, 'utf8');
      // A lone surrogate would come back as U+FFFD (never in JSON.stringify's text, which
      // escapes them): such a history stays strings. ASCII (bytes = characters) needs no scan.
      if (written !== text.length && !(text as WellFormed).isWellFormed()) return false;
      bytes.writeUInt16LE(written, at);
      at += 2 + written;
    }
    // Every byte counted was written (none cut off at the area's end).
    if (at - start !== size + 2 * count) return false;
    this.#used[slot] = at - start;
    return true;
  }

  /** The events kept in `slot`'s area, from the `skip`-th on, as strings. */
  read(slot: number, skip: number): string[] {
    const bytes = this.#bytes;
    const out: string[] = [];
    let at = slot * this.perSlot;
    const end = at + this.#used[slot]!;
    for (let i = 0; at < end; i++) {
      const length = bytes.readUInt16LE(at);
      if (i >= skip) out.push(bytes.toString('utf8', at + 2, at + 2 + length));
      at += 2 + length;
    }
    return out;
  }

  /** Forget `slot`'s area (its bytes are overwritten by the next put). */
  clear(slot: number): void {
    this.#used[slot] = 0;
  }
}
