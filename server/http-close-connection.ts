/**
 * Ending the HTTP connection that carries an in-flight request's SSE stream, on demand: a
 * test aid for SSE polling (2025-11-25 basic/transports: the server MAY close the connection
 * after the priming event; the client resumes with `Last-Event-ID`). It belongs to the HTTP
 * configuration, not to handlers: the Streamable HTTP transport hands each inbound message a
 * `closeConnection` function, and this table keeps it, by session and request id, until the
 * request is answered.
 */
import {
  isRequestId,
  type JsonRpcMessage, type MessageExtra, type RequestId, type SendOptions, type Transport, type TransportHandlers,
} from '../protocol/index.ts';

type Closer = () => boolean;

/** The closers of the requests in flight on each HTTP session. */
export class ConnectionClosers {
  readonly #bySession = new Map<string, Map<RequestId, Closer>>();

  /** End the connection carrying request `requestId` of session `sessionId`; false when it cannot. */
  close(sessionId: string | undefined, requestId: RequestId): boolean {
    if (sessionId === undefined) return false;
    return this.#bySession.get(sessionId)?.get(requestId)?.() ?? false;
  }

  /** `transport`, with the closers of its inbound requests recorded here. */
  track(transport: Transport): Transport {
    const closers = this;
    const sessionId = () => transport.sessionId ?? '';
    return {
      get sessionId() { return transport.sessionId; },
      ...(transport.setProtocolVersion ? { setProtocolVersion: (v: string) => transport.setProtocolVersion!(v) } : {}),
      start(handlers: TransportHandlers) {
        return transport.start({
          ...handlers,
          onMessage(payload: unknown, extra?: MessageExtra) {
            if (extra?.closeConnection) closers.#record(sessionId(), payload, extra.closeConnection);
            handlers.onMessage(payload, extra);
          },
          onClose(error?: Error) {
            closers.#bySession.delete(sessionId());
            handlers.onClose(error);
          },
        });
      },
      send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions) {
        closers.#answered(sessionId(), message);
        return transport.send(message, options);
      },
      close: () => transport.close(),
    };
  }

  #record(sessionId: string, payload: unknown, closer: Closer): void {
    for (const item of Array.isArray(payload) ? payload : [payload]) {
      const m = item as { id?: unknown; method?: unknown } | null;
      if (typeof m !== 'object' || m === null || typeof m.method !== 'string' || !isRequestId(m.id)) continue;
      let byId = this.#bySession.get(sessionId);
      if (!byId) this.#bySession.set(sessionId, (byId = new Map()));
      byId.set(m.id, closer);
    }
  }

  #answered(sessionId: string, message: JsonRpcMessage | JsonRpcMessage[]): void {
    const byId = this.#bySession.get(sessionId);
    if (!byId) return;
    for (const m of Array.isArray(message) ? message : [message]) {
      if (!('method' in m) && m.id !== undefined && m.id !== null) byId.delete(m.id);
    }
    if (byId.size === 0) this.#bySession.delete(sessionId);
  }
}
