/**
 * `req`: what a method handler knows about the request it serves, the same in both protocol
 * eras. A 2025-era connection builds it from its `initialize` state (legacy-request.ts); a
 * 2026-era request will build it from its own `_meta` (version, client capabilities and
 * info). Handlers see only this interface, so one handler serves both.
 */
import type {
  AuthInfo, ClientCapabilities, Implementation, LoggingLevel, ProgressToken, RequestId, ServerNotifications,
} from '../protocol/index.ts';
import type { ServerConnection } from './connection-types.ts';
import type { InputOptions, InputRequest, InputResult } from './input.ts';

/**
 * Who the client proved to be: empty unless the HTTP entry authenticates requests
 * (server/auth). Never the token itself (no token passthrough).
 */
export type RequestAuth = AuthInfo;

/** Notifications a handler may send about its own request. */
export type RequestNotification = 'notifications/message' | 'notifications/elicitation/complete';

/** One inbound request, as every method handler sees it. */
export interface ServerRequest {
  readonly method: string;
  readonly requestId: RequestId;
  /** The protocol version this request is served under. */
  readonly protocolVersion: string;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  /** Who the client is; empty unless the server authenticates requests (server/auth). */
  readonly auth: RequestAuth;
  /** Aborted when the client cancels the request or its connection ends. */
  readonly signal: AbortSignal;
  /** The HTTP session id (2025 era), when there is one. */
  readonly sessionId: string | undefined;
  /** Minimum level of log messages the client wants, when it set one. */
  readonly logLevel: LoggingLevel | undefined;
  /** The request's `_meta`. */
  readonly meta: Record<string, unknown> | undefined;
  readonly progressToken: ProgressToken | undefined;
  /**
   * The 2025-era connection the request arrived on (what a resource subscription belongs
   * to); undefined for a request served without one.
   */
  readonly connection: ServerConnection | undefined;
  /** The task this request runs as (2025-11-25 basic/utilities/tasks), when it runs as one. */
  readonly taskId?: string | undefined;
  /**
   * True when the request was in flight as the server's previous process stopped and is
   * delivered again after a restart (a 2025 HTTP session restored from durable state): its
   * handler ran before, at least in part.
   */
  readonly rerun?: boolean;
  /** The notification sink bound to this request: it goes where the request's answer goes. */
  notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void>;
  /** Report progress; a no-op when the client sent no progress token. Values must increase. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Ask the client for input (elicitation, sampling, roots). May reject with
   * `InputRequiredError`, which handlers must let through.
   */
  input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>>;
}

/** An empty {@link RequestAuth}: the request was not authenticated. */
export const NO_AUTH: RequestAuth = Object.freeze({});

/** What any era knows of one request (a 2026-07-28 request: from its `_meta`). */
export type RequestFacts = Omit<ServerRequest, 'auth' | 'sessionId' | 'logLevel' | 'meta' | 'progressToken' | 'connection' | 'notify' | 'progress' | 'input'>
  & Partial<Pick<ServerRequest, 'auth' | 'sessionId' | 'logLevel' | 'meta' | 'progressToken' | 'connection'>>;

/** Where one request's messages go: its notifications, its progress, its questions. */
export type RequestChannel = Pick<ServerRequest, 'notify' | 'progress' | 'input'>;

/**
 * Build `req` from any source: the seam where an era that is not tied to a connection
 * (stateless 2026-07-28 requests) makes what every handler receives. 2025-era connections
 * use their own builder (legacy-request.ts), which reads through to the session.
 */
export function createServerRequest(facts: RequestFacts, channel: RequestChannel): ServerRequest {
  return {
    auth: NO_AUTH, sessionId: undefined, logLevel: undefined, meta: undefined, progressToken: undefined, connection: undefined,
    ...facts,
    notify: (method, params) => channel.notify(method, params),
    progress: (progress, total, message) => channel.progress(progress, total, message),
    input: (request, options) => channel.input(request, options),
  };
}
