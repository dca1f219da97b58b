/**
 * `req` for a request that arrived on a 2025-era connection: the facts come from the
 * connection's `initialize` state (2025-11-25 basic/lifecycle), notifications and input
 * requests go out on the session tied to the request, so Streamable HTTP puts them on the
 * originating request's stream (2025-11-25 basic/transports: `relatedRequestId`).
 */
import type { ClientCapabilities, Implementation, LoggingLevel, ProgressToken, RequestContext, RequestId, RequestOptions, ServerNotifications, ServerSide } from '../protocol/index.ts';
import type { ServerConnection } from './connection-types.ts';
import type { InputOptions, InputRequest, InputResult } from './input.ts';
import { NO_AUTH, type RequestAuth, type RequestNotification, type ServerRequest } from './request.ts';

/**
 * One per request, so a class whose facts are read through to the session's request context
 * and the connection (nothing is copied; the connection's facts are fixed once initialized).
 */
class LegacyRequest implements ServerRequest {
  readonly connection: ServerConnection;
  readonly #rc: RequestContext<ServerSide>;

  constructor(rc: RequestContext<ServerSide>, conn: ServerConnection) {
    this.#rc = rc;
    this.connection = conn;
  }

  get method(): string { return this.#rc.method; }
  get requestId(): RequestId { return this.#rc.requestId; }
  get signal(): AbortSignal { return this.#rc.signal; }
  get meta(): Record<string, unknown> | undefined { return this.#rc.meta; }
  get progressToken(): ProgressToken | undefined { return this.#rc.progressToken; }
  get protocolVersion(): string { return this.connection.protocolVersion; }
  get clientCapabilities(): ClientCapabilities { return this.connection.clientCapabilities; }
  get clientInfo(): Implementation | undefined { return this.connection.clientInfo; }
  get sessionId(): string | undefined { return this.connection.sessionId; }
  get logLevel(): LoggingLevel | undefined { return this.connection.logLevel; }
  get rerun(): boolean { return this.#rc.extra?.rerun === true; }
  /** This request's own credentials (a step-up may add scopes mid-session). */
  get auth(): RequestAuth { return this.#rc.extra?.auth ?? NO_AUTH; }

  notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void> {
    return this.#rc.notify(method, params as never);
  }

  progress(progress: number, total?: number, message?: string): Promise<void> {
    return this.#rc.progress(progress, total, message);
  }

  /**
   * 2025-11-25: a server-to-client request, answered before the handler goes on. It is asked on
   * behalf of this request, so it fails when this request is aborted (request-context.ts): the
   * request's signal is neither made nor listened to for it. `options.signal` is followed too.
   */
  input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>> {
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs;
    // 2025-11-25 basic/lifecycle: no requests to the client before its initialized notification.
    const ready = (this.connection as Partial<Readiness>).whenReady?.(signal ? { signal: AbortSignal.any([signal, this.#rc.signal]) } : this.#rc, timeoutMs);
    return ready ? ready.then((waited) => this.#ask(request, signal, timeoutMs, waited)) : this.#ask(request, signal, timeoutMs, 0);
  }

  /** Send `request`, with what is left of `timeoutMs` after `waited`: one options object, or none, and no closure once ready (bench f). */
  #ask<R extends InputRequest>(request: R, signal: AbortSignal | undefined, timeoutMs: number | undefined, waited: number): Promise<InputResult<R>> {
    const left = timeoutMs === undefined ? undefined : Math.max(1, timeoutMs - waited);
    let limits: RequestOptions | undefined;
    if (left !== undefined) limits = signal ? { signal, timeoutMs: left, maxTotalTimeoutMs: left } : { timeoutMs: left, maxTotalTimeoutMs: left };
    else if (signal) limits = { signal };
    return this.#rc.request(request.method, request.params as never, limits) as Promise<InputResult<R>>;
  }
}

/** What the connection class adds to ServerConnection for input requests (connection.ts). */
interface Readiness {
  whenReady(abortable: { readonly signal: AbortSignal }, timeoutMs: number | undefined): Promise<number> | undefined;
}

/** Build `req` for a request that arrived on the 2025-era connection `conn`. */
export function legacyRequest(rc: RequestContext<ServerSide>, conn: ServerConnection): ServerRequest {
  return new LegacyRequest(rc, conn);
}
