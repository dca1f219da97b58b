/**
 * Client cancellations as the HTTP session sees them (2025-11-25 basic/utilities/
 * cancellation): a cancelled request gets no response, so the transport finishes its
 * stream itself and drops what its handler still emits.
 */
import type { RequestId } from '../../protocol/index.ts';

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
