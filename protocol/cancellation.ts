/**
 * Cancellation (2025-11-25 basic/utilities/cancellation). Inbound: the peer's
 * `notifications/cancelled` aborts the handler's `ctx.signal` (the inbound-request table in
 * inbound-requests.ts), and its response is then withheld ("SHOULD NOT send a response").
 * Outbound: an AbortSignal is the only way a caller cancels; see peer.ts for the
 * notification it sends.
 */

/** The abort reason a handler sees when the peer cancelled its request. */
export class CancelledByPeer extends Error {
  override name = 'CancelledByPeer';
  constructor(reason: string | undefined) {
    super(reason ? `cancelled by peer: ${reason}` : 'cancelled by peer');
  }
}
