/**
 * A request's cancellation as the 2026-07-28 dispatcher reads it: an AbortSignal that may be
 * made on first read. Over HTTP only a response stream the client closes aborts a request, so
 * most calls (answered with JSON) never need a signal; an AbortController per POST and a
 * listener per round were ~10% of the m-b-json server's in-process profile.
 */

/**
 * Where a request's AbortSignal comes from: read only when used, since the HTTP path makes
 * it on first read (most calls never need one).
 */
export interface CancelSource {
  readonly signal?: AbortSignal | undefined;
  /** Whether the signal is aborted, when the source can tell without making it. */
  readonly aborted?: boolean | undefined;
}

/** The source's signal when it is aborted; undefined otherwise (made only when the source cannot tell). */
export function abortedSignal(source: CancelSource | undefined): AbortSignal | undefined {
  if (!source || source.aborted === false) return undefined;
  const signal = source.signal;
  return signal?.aborted ? signal : undefined;
}

/**
 * A cancellation whose AbortSignal is made only when read (stdio's requests: most calls never
 * read it). `abort` before the first read sets {@link aborted} and keeps the reason, so a
 * signal made later is made aborted with it; after the first read it aborts the signal.
 */
export class LazyCancel implements CancelSource {
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;

  get aborted(): boolean { return this.#aborted; }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Abort with `reason` (once; later calls change nothing). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
