/**
 * The public shapes of the peer engine (peer.ts): its options, the options of one
 * request, and what an inbound request handler receives.
 */
import type { RpcErrorObject } from './errors.ts';
import type { RequestId } from './jsonrpc.ts';
import type { MessageExtra, Transport } from './transport.ts';
import type { ParamsOf, ResultOf, SideMaps } from './methods.ts';
import type { Timers } from './correlation.ts';
import type { ProgressCallback } from './progress.ts';
import type { ProgressToken } from './types/base.ts';
import type { PeerLimits } from './limits.ts';

/** Options of one outbound request (STYLE.md 6: AbortSignal is the only cancellation). */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Idle timeout in ms; default `limits.requestTimeoutMs`. */
  timeoutMs?: number;
  /** Progress notifications restart the idle timeout. Default true when `onProgress` is set. */
  resetTimeoutOnProgress?: boolean;
  /** Hard cap in ms, whatever progress says; default `limits.maxTotalTimeoutMs`. */
  maxTotalTimeoutMs?: number;
  /** Receive the peer's progress; a progress token is added to the request's `_meta`. */
  onProgress?: ProgressCallback;
  /** The inbound request this one is made on behalf of (routes it on HTTP). */
  relatedRequestId?: RequestId;
  onResumptionToken?: (token: string) => void;
  /** Told the id the request goes out under (to store it for a later resume). */
  onRequestId?: (id: RequestId) => void;
}

/** What an inbound request handler receives besides its params. */
export interface RequestContext<S extends SideMaps> {
  readonly requestId: RequestId;
  readonly method: string;
  /** Aborted when the peer cancels, or this peer closes. */
  readonly signal: AbortSignal;
  readonly meta: Record<string, unknown> | undefined;
  readonly progressToken: ProgressToken | undefined;
  readonly extra: MessageExtra | undefined;
  /** Report progress; a no-op when the peer sent no token. Values must increase. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Send a notification that belongs to this request. */
  notify<M extends keyof S['outNotifications'] & string>(method: M, params: NoInfer<S['outNotifications'][M]>): Promise<void>;
  /**
   * Ask the peer something on behalf of this request (sent related to it): it fails when this
   * request is aborted (the peer cancels it, or this peer closes), and when `options.signal` aborts.
   */
  request<M extends keyof S['outRequests'] & string>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, options?: RequestOptions,
  ): Promise<ResultOf<S['outRequests'], M>>;
}

export type RequestHandler<S extends SideMaps, M extends keyof S['inRequests']> = (
  params: ParamsOf<S['inRequests'], M>, ctx: RequestContext<S>,
) => ResultOf<S['inRequests'], M> | Promise<ResultOf<S['inRequests'], M>>;

export type NotificationHandler<S extends SideMaps, M extends keyof S['inNotifications']> = (
  params: S['inNotifications'][M], extra: MessageExtra | undefined,
) => void | Promise<void>;

export interface PeerOptions {
  limits?: Partial<PeerLimits>;
  timers?: Timers;
  /** Non-fatal faults: protocol violations by the peer, failed sends, throwing notification handlers. */
  onError?: (error: Error) => void;
  /** The peer ended (closed locally or by the transport). */
  onClose?: (error?: Error) => void;
  /** Refuse an outbound message by throwing (capability gating). */
  checkOutbound?: (method: string, params: unknown) => void;
  /**
   * The handler of an inbound request method no `onRequest` registered, or undefined
   * ("method not found"). A server answers from one method table shared by all its
   * connections this way, instead of registering every handler on every peer.
   */
  requestHandler?: (method: string) => AnyHandler | undefined;
  /** The handler of an inbound notification no `onNotification` registered, or undefined (ignored). */
  notificationHandler?: (method: string) => AnyNotificationHandler | undefined;
  /** Refuse an inbound request by returning the error to answer with (after the handler is found). */
  checkInbound?: (method: string, params: Record<string, unknown> | undefined) => RpcErrorObject | undefined;
  /**
   * Answer a message whose request id cannot be read (bytes that are not JSON, a value that
   * is no JSON-RPC message) with an error without an id, as JSON-RPC 2.0 section 5 asks of
   * the side that serves requests. Default true. A client passes false: such an answer names
   * no request, 2026-07-28 forbids a client's responses on stdio, and a server that writes
   * back what it reads would answer it in turn, for ever; the fault goes to `onError` only.
   */
  replyToUnreadable?: boolean;
  /**
   * Why inbound requests go unanswered now, or undefined when they are answered. Such a
   * request is dropped, no handler runs, and the reason goes to `onError`, thinned past
   * `limits.maxUnansweredReports` (our own request written back still fails as echoed); a
   * malformed one is reported and not answered either. A 2026-07-28 client passes one: its
   * server sends no requests and it writes no responses (basic/transports/stdio; questions
   * come in InputRequiredResult).
   */
  unansweredRequests?: () => string | undefined;
  /**
   * A `notifications/cancelled` naming one of OUR pending requests, ended by the other side
   * (2026-07-28 basic/patterns/cancellation: a server ends a `subscriptions/listen` this way):
   * the error that request fails with, sending no cancel back; undefined when the notification
   * is about the peer's own request (the default, and always in 2025, where ids are per direction).
   */
  cancelledByPeer?: (requestId: RequestId, reason: string | undefined) => Error | undefined;
  /** Whether a JSON-RPC batch array is acceptable now (2025-03-26 sessions only). */
  allowBatch?: () => boolean;
  /**
   * First id for our requests. A process that rejoins an existing HTTP session passes a
   * value past any id the session used before (ids are never reused within a session).
   */
  firstRequestId?: number;
}

/** Options of {@link Peer.close}. */
export interface PeerCloseOptions {
  /** Tell the other side about each request still pending before closing. Default true; false leaves them running there (a session kept for a rejoin). */
  cancelPending?: boolean;
  /** Who closed, in the errors the pending requests reject with. Default "session closed". */
  reason?: string;
}

export interface Peer<S extends SideMaps> {
  connect(transport: Transport): Promise<void>;
  request<M extends keyof S['outRequests'] & string>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, options?: RequestOptions,
  ): Promise<ResultOf<S['outRequests'], M>>;
  /**
   * The request, its outcome taken in the step its response arrives: `map` turns the result
   * (a throw rejects), `recover` answers any failure, one found before sending included (its
   * promise becomes the call's). As `request(...).then(map, recover)`, with one promise and
   * one reaction job fewer a call.
   */
  request<M extends keyof S['outRequests'] & string, R>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, options: RequestOptions | undefined,
    map?: (result: ResultOf<S['outRequests'], M>) => R, recover?: (error: unknown) => Promise<R>,
  ): Promise<R>;
  notify<M extends keyof S['outNotifications'] & string>(
    method: M, params: NoInfer<S['outNotifications'][M]>, options?: { relatedRequestId?: RequestId },
  ): Promise<void>;
  /**
   * Await the response to a request sent earlier under `id`, e.g. by a previous process
   * whose call is being resumed from a stored resumption token. Progress for the
   * request's token (`progressToken`, default `id`) goes to `options.onProgress`.
   */
  expectResponse<M extends keyof S['outRequests'] & string>(
    method: M, id: RequestId, options?: RequestOptions & { progressToken?: ProgressToken },
  ): Promise<ResultOf<S['outRequests'], M>>;
  /** Reject our pending request `id` with `error` locally (nothing is sent to the peer). */
  failRequest(id: RequestId, error: Error): boolean;
  /**
   * Route the peer's progress for `token` to `callback` until the returned function is
   * called, independent of any request: 2025-11-25 basic/utilities/progress: a task-augmented
   * request's token stays valid after its CreateTaskResult, until the task is terminal.
   */
  followProgress(token: ProgressToken, callback: ProgressCallback): () => void;
  onRequest<M extends keyof S['inRequests'] & string>(method: M, handler: NoInfer<RequestHandler<S, M>>): void;
  onNotification<M extends keyof S['inNotifications'] & string>(method: M, handler: NoInfer<NotificationHandler<S, M>>): void;
  /**
   * End the session: each request still pending is cancelled first (`notifications/cancelled`,
   * unless `cancelPending: false`) and rejects with MCP_ERR_CLOSED, then the transport closes.
   */
  close(options?: PeerCloseOptions): Promise<void>;
  readonly closed: boolean;
  readonly transport: Transport | undefined;
  readonly limits: Readonly<PeerLimits>;
}

/** A handler as the engine stores it (the typed signatures are checked at `onRequest`). */
export type AnyHandler = (params: any, ctx: RequestContext<any>) => unknown;
export type AnyNotificationHandler = (params: any, extra: MessageExtra | undefined) => void | Promise<void>;
