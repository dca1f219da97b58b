/**
 * The bytes a server's SSE connections hold unread, all together. Each connection is bounded
 * by `maxBufferedBytes`, but a client that opens many streams and reads none multiplied that
 * bound by their number (200 unread calls held 1.5 GB; bench/README "Session 13: fault
 * injection round four"). With the ledger, once the sum is over its bound, any connection
 * whose own buffer is not empty counts as behind: its writers wait until its client reads,
 * so the unread clients stop their own streams and a reading client only waits for its own
 * drain.
 */

/** Unread bytes across the connections of one endpoint (see the module comment). */
export interface UnreadLedger {
  /** The bound; over it, connections with anything unread are behind. */
  readonly max: number;
  /** Bytes counted now: what each connection last reported, until it drains or closes. */
  total: number;
}

/** A ledger bounded at `max` bytes (`maxBufferedBytesTotal`). */
export function unreadLedger(max: number): UnreadLedger {
  if (!(max > 0)) throw new RangeError(`maxBufferedBytesTotal must be > 0, got ${max}`);
  return { max, total: 0 };
}
