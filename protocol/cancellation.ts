/**
 * Cancellation (2025-11-25 basic/utilities/cancellation). Inbound: the peer's
 * `notifications/cancelled` aborts the handler's `ctx.signal`, and its response is then
 * withheld ("SHOULD NOT send a response"). Outbound: an AbortSignal is the only way a
 * caller cancels; see session.ts for the notification it sends.
 */
import type { RequestId } from './jsonrpc.ts';

interface InFlight {
  controller: AbortController;
  method: string;
  cancelled: boolean;
}

/** In-flight inbound requests of one session. */
export interface InboundRequests {
  /** Track a new inbound request; false when its id is already in flight. */
  begin(id: RequestId, method: string): AbortSignal | undefined;
  /** Stop tracking; returns true when the response must be withheld (it was cancelled). */
  end(id: RequestId): boolean;
  /** The peer cancelled `id`: abort its handler. Unknown or finished ids are ignored. */
  cancel(id: RequestId, reason: string | undefined): boolean;
  /** Abort every handler (session closed). */
  abortAll(reason: Error): void;
  readonly size: number;
}

export function createInboundRequests(): InboundRequests {
  const inflight = new Map<RequestId, InFlight>();
  return {
    begin(id, method) {
      if (inflight.has(id)) return undefined;
      const controller = new AbortController();
      inflight.set(id, { controller, method, cancelled: false });
      return controller.signal;
    },
    end(id) {
      const entry = inflight.get(id);
      inflight.delete(id);
      return entry?.cancelled ?? false;
    },
    cancel(id, reason) {
      const entry = inflight.get(id);
      // 2025-11-25 lifecycle: "The initialize request MUST NOT be cancelled by clients".
      if (!entry || entry.method === 'initialize') return false;
      entry.cancelled = true;
      entry.controller.abort(new CancelledByPeer(reason));
      return true;
    },
    abortAll(reason) {
      for (const entry of inflight.values()) {
        entry.cancelled = true;
        entry.controller.abort(reason);
      }
      inflight.clear();
    },
    get size() {
      return inflight.size;
    },
  };
}

/** The abort reason a handler sees when the peer cancelled its request. */
export class CancelledByPeer extends Error {
  override name = 'CancelledByPeer';
  constructor(reason: string | undefined) {
    super(reason ? `cancelled by peer: ${reason}` : 'cancelled by peer');
  }
}
