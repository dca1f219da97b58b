/**
 * Client cancellations as the HTTP session sees them (2025-11-25 basic/utilities/
 * cancellation): a cancelled request gets no response, so the transport finishes its
 * stream itself and drops what its handler still emits.
 */
import type { RequestId } from '../../protocol/index.ts';
import type { InflightLedger } from './server-inflight.ts';
import { recovery } from './server-lazy.ts';
import type { SessionRoutes } from './server-session-routes.ts';
import type { ServerStream, StreamSettings } from './server-stream.ts';

/** The id a `notifications/cancelled` names, or undefined for any other message. */
export function cancelledRequestId(message: unknown): RequestId | undefined {
  const m = message as { method?: unknown; params?: { requestId?: unknown } } | null;
  if (m?.method !== 'notifications/cancelled') return undefined;
  const id = m.params?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** The most recently cancelled request ids of a session, at most `limit` of them. */
export class CancelledRequests {
  #ids = new Set<RequestId>();
  #limit: number;

  constructor(limit = 1024) {
    this.#limit = limit;
  }

  add(id: RequestId): void {
    this.#ids.add(id);
    if (this.#ids.size > this.#limit) this.#ids.delete(this.#ids.values().next().value!);
  }

  has(id: RequestId): boolean {
    return this.#ids.has(id);
  }
}

/** What the cancel path uses of its HTTP session (server-session.ts). */
export interface CancelScope {
  readonly routes: SessionRoutes;
  readonly ledger: InflightLedger;
  readonly settings: StreamSettings;
  /** The session's end of a finished stream (its history may go, its tokens are dropped). */
  finish(stream: ServerStream): void;
}

/**
 * The client cancelled request `id`. It gets no response, so its stream would never finish
 * and a restart would re-run it: finish its stream and forget it as in flight. Returns the
 * session's recently cancelled ids (`cancelled`, made on the first cancel that finds a stream).
 */
export function cancelInflight(id: RequestId, scope: CancelScope, cancelled: CancelledRequests | undefined): CancelledRequests | undefined {
  const stream = scope.routes.carrier(id);
  if (!stream) return cancelled;
  scope.routes.unroute(id);
  (cancelled ??= new CancelledRequests()).add(id);
  // Restart recovery: the cancel is in the history before the client sees the call end (server-recovery.ts).
  const ended = stream.cancelRequest(id, scope.ledger.tracks(stream.key.streamId) && (() => recovery.load().then((r) => r.recordCancel(stream.key, id, scope.settings))));
  // The stream's end is stored after the cancel's record: stored first, the record came after
  // it and the history looked unfinished, so a resume of it stayed open (Redis).
  if (ended) void ended.then(() => scope.finish(stream));
  else if (stream.finished) scope.finish(stream);
  return cancelled;
}
