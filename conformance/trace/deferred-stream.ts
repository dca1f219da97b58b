/**
 * One direction of a byte stream (a stdio pipe, an SSE body) whose chunks are analysed
 * later through a {@link DeferredAnalysis}. A chunk the queue has no room for is skipped:
 * the frames that end in it are counted as skipped, and the next analysed chunk starts by
 * re-synchronising its framer (a frame cut by the gap is dropped and counted once).
 */
import type { DeferredAnalysis } from './deferred.ts';
import type { TraceDirection } from './record.ts';

/** How a framer reads a byte stream: stdio lines, SSE events. */
export interface Framing {
  /** How many frames end in `chunk` (newlines; blank lines for SSE). */
  countEnds(chunk: Buffer): number;
  /** True when `chunk` ends exactly at a frame boundary. */
  endsAtBoundary(chunk: Buffer): boolean;
  /** Analyse `chunk`; `resync` when chunks before it were skipped (`midFrame`: the gap ended inside a frame). */
  analyse(chunk: Buffer, resync: { midFrame: boolean } | undefined): void;
  /** The stream ended (a last frame with no terminator is still one). */
  end(): void;
}

export class DeferredStream {
  readonly #queue: DeferredAnalysis;
  readonly #direction: TraceDirection;
  readonly #framing: Framing;
  /** Chunks were skipped since the last one queued. */
  #gap = false;
  /** The last skipped chunk ended inside a frame. */
  #midFrame = false;
  /** The last chunk written ended inside a frame. */
  #open = false;

  constructor(queue: DeferredAnalysis, direction: TraceDirection, framing: Framing) {
    this.#queue = queue;
    this.#direction = direction;
    this.#framing = framing;
  }

  /** A chunk was passed on: queue its analysis, or skip it when the queue is full. */
  write(chunk: Buffer): void {
    const resync = this.#gap ? { midFrame: this.#midFrame } : undefined;
    this.#open = !this.#framing.endsAtBoundary(chunk);
    if (!this.#queue.fits(chunk.length)) {
      const ends = this.#framing.countEnds(chunk);
      if (ends > 0) this.#queue.skip(ends, this.#direction);
      this.#gap = true;
      this.#midFrame = this.#open;
      return;
    }
    // The frame the gap cut ends in this chunk or a later one: one more skipped.
    if (resync?.midFrame) this.#queue.skip(1, this.#direction);
    this.#gap = false;
    this.#queue.enqueue(chunk.length, () => this.#framing.analyse(chunk, resync));
  }

  /** The stream ended (when even that finds the queue full, a frame left unended is lost). */
  end(): void {
    if (this.#gap && this.#midFrame) this.#queue.skip(1, this.#direction);
    const gap = this.#gap;
    this.#gap = false;
    const queued = this.#queue.enqueue(0, () => {
      if (gap) this.#framing.analyse(Buffer.alloc(0), { midFrame: false });
      this.#framing.end();
    });
    if (!queued && this.#open && !gap) this.#queue.skip(1, this.#direction);
  }
}
