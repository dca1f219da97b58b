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
