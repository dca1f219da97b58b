/**
 * Server-wide quotas of the Streamable HTTP server, so one local client cannot exhaust them:
 * which idle session gives its slot up when `maxSessions` is reached, and a cap on the
 * server-to-client requests (elicitation, sampling, roots) awaiting answers across sessions.
 */
import { isRequestId, LocalErrorCode, McpError, type JsonRpcMessage, type RequestId } from '../../protocol/index.ts';

/** What eviction needs to know of a session. */
export interface EvictableSession {
  readonly lastUsed: number;
  /** A call is running. */
  readonly busy: boolean;
  /** A stream is open. */
  readonly connected: boolean;
  readonly closed: boolean;
}

/**
 * The session to evict so a new one fits: the least recently used of those with no call
 * running, no stream open and not `inUse` otherwise; none when every session is busy.
 */
export function evictionCandidate<S extends EvictableSession>(sessions: Iterable<S>, inUse?: (s: S) => boolean): S | undefined {
  let oldest: S | undefined;
  for (const s of sessions) {
    if (s.closed || s.busy || s.connected || inUse?.(s)) continue;
    if (!oldest || s.lastUsed < oldest.lastUsed) oldest = s;
  }
  return oldest;
}

/**
 * Server-to-client requests awaiting the client's answer, counted across every session of
 * one server. A request sent past `limit` fails at once with MCP_ERR_TOO_MANY_PENDING. A
 * slot is given back when the answer arrives, when the server cancels the request (its
 * timeout or abort sends `notifications/cancelled`), or when the session ends.
 */
export class PendingRequestBudget {
  readonly limit: number;
  #count = 0;
  #bySession = new Map<string, Set<RequestId>>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Requests counted now. */
  get count(): number { return this.#count; }

  /** Note an outbound message of `sessionId`; throws when it is a request past the limit. */
  outbound(sessionId: string, message: JsonRpcMessage): void {
    if (!('method' in message)) return;
    if ('id' in message) {
      if (this.#count >= this.limit) {
        throw new McpError(LocalErrorCode.TooManyPending, `cannot send ${message.method}: ${this.limit} server-to-client requests already await answers across all sessions (maxPendingServerRequests)`);
      }
      let ids = this.#bySession.get(sessionId);
      if (!ids) this.#bySession.set(sessionId, (ids = new Set()));
      if (!ids.has(message.id)) {
        ids.add(message.id);
        this.#count++;
      }
    } else if (message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (isRequestId(id)) this.#release(sessionId, id);
    }
  }

  /** Note what the client posted to `sessionId`: its responses give their slots back. */
  inbound(sessionId: string, payload: unknown): void {
    if (!this.#bySession.has(sessionId)) return;
    for (const m of Array.isArray(payload) ? payload : [payload]) {
      if (typeof m !== 'object' || m === null || 'method' in m) continue;
      const id = (m as { id?: unknown }).id;
      if (isRequestId(id)) this.#release(sessionId, id);
    }
  }

  /** True while a request `id` sent in `sessionId` awaits its answer. */
  awaits(sessionId: string, id: RequestId): boolean {
    return this.#bySession.get(sessionId)?.has(id) ?? false;
  }

  /** The session ended: every slot it held is given back. */
  forget(sessionId: string): void {
    const ids = this.#bySession.get(sessionId);
    if (!ids) return;
    this.#count -= ids.size;
    this.#bySession.delete(sessionId);
  }

  #release(sessionId: string, id: RequestId): void {
    const ids = this.#bySession.get(sessionId);
    if (!ids?.delete(id)) return;
    this.#count--;
    if (ids.size === 0) this.#bySession.delete(sessionId);
  }
}
