/**
 * The session engine: one JSON-RPC peer over one Transport. It composes small parts,
 * each owning one map: correlation (pending outbound requests), progress (token ->
 * callback), inbound requests (id -> AbortController). MCP features (initialize,
 * capabilities, tools...) live in server/ and client/ on top of it.
 */
import { ErrorCode, LocalErrorCode, McpError, toRpcErrorObject, type RpcErrorObject } from './errors.ts';
import {
  classifyPayload, JSONRPC_VERSION, makeErrorResponse,
  type Inbound, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse, type RequestId,
} from './jsonrpc.ts';
import type { MessageExtra, Transport } from './transport.ts';
import type { ParamsOf, ResultOf, SideMaps } from './methods.ts';
import { createCorrelation, type Timers } from './correlation.ts';
import { createProgressEmitter, createProgressRouter, progressTokenOf, type ProgressCallback } from './progress.ts';
import { createInboundRequests } from './cancellation.ts';
import type { ProgressToken } from './types/base.ts';
import type { CancelledParams, ProgressParams } from './types/utilities.ts';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from './limits.ts';
import { trackRequest, type PendingEntry, type TrackDeps } from './outbound.ts';

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
  /** Aborted when the peer cancels, or the session closes. */
  readonly signal: AbortSignal;
  readonly meta: Record<string, unknown> | undefined;
  readonly progressToken: ProgressToken | undefined;
  readonly extra: MessageExtra | undefined;
  /** Report progress; a no-op when the peer sent no token. Values must increase. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Send a notification that belongs to this request. */
  notify<M extends keyof S['outNotifications'] & string>(method: M, params: NoInfer<S['outNotifications'][M]>): Promise<void>;
  /** Ask the peer something on behalf of this request; aborted with it by default. */
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

export interface SessionOptions {
  limits?: Partial<SessionLimits>;
  timers?: Timers;
  /** Non-fatal faults: protocol violations by the peer, failed sends, throwing notification handlers. */
  onError?: (error: Error) => void;
  /** The session ended (closed locally or by the transport). */
  onClose?: (error?: Error) => void;
  /** Refuse an outbound message by throwing (capability gating). */
  checkOutbound?: (method: string, params: unknown) => void;
  /** Refuse an inbound request by returning the error to answer with. */
  checkInbound?: (method: string, params: Record<string, unknown> | undefined) => RpcErrorObject | undefined;
  /** Whether a JSON-RPC batch array is acceptable now (2025-03-26 sessions only). */
  allowBatch?: () => boolean;
  /**
   * First id for our requests. A process that rejoins an existing HTTP session passes a
   * value past any id the session used before (ids are never reused within a session).
   */
  firstRequestId?: number;
}

export interface Session<S extends SideMaps> {
  connect(transport: Transport): Promise<void>;
  request<M extends keyof S['outRequests'] & string>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, options?: RequestOptions,
  ): Promise<ResultOf<S['outRequests'], M>>;
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
  onRequest<M extends keyof S['inRequests'] & string>(method: M, handler: NoInfer<RequestHandler<S, M>>): void;
  onNotification<M extends keyof S['inNotifications'] & string>(method: M, handler: NoInfer<NotificationHandler<S, M>>): void;
  close(): Promise<void>;
  readonly closed: boolean;
  readonly transport: Transport | undefined;
  readonly limits: Readonly<SessionLimits>;
}

type AnyHandler = (params: any, ctx: RequestContext<any>) => unknown;
type AnyNotificationHandler = (params: any, extra: MessageExtra | undefined) => void | Promise<void>;

/** Create a session; `connect(transport)` starts it. */
export function createSession<S extends SideMaps>(options: SessionOptions = {}): Session<S> {
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...options.limits };
  const correlation = createCorrelation<PendingEntry>({
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.firstRequestId !== undefined ? { firstId: options.firstRequestId } : {}),
  });
  const progress = createProgressRouter();
  const inbound = createInboundRequests();
  const requestHandlers = new Map<string, AnyHandler>([['ping', () => ({})]]);
  const notificationHandlers = new Map<string, AnyNotificationHandler>();
  const reportError = (error: Error) => options.onError?.(error);
  let transport: Transport | undefined;
  let closed = false;
  const trackDeps: TrackDeps = {
    correlation, progress, limits,
    sendCancel(id, reason) {
      if (closed) return;
      // 2025-11-25 basic/utilities/cancellation: tell the peer we gave up.
      const cancel: CancelledParams = { requestId: id, reason };
      sendRaw({ jsonrpc: JSONRPC_VERSION, method: 'notifications/cancelled', params: cancel as Record<string, unknown> })
        .catch((e: unknown) => reportError(asError(e)));
    },
  };

  function sendRaw(message: JsonRpcMessage | JsonRpcMessage[], relatedRequestId?: RequestId): Promise<void> {
    if (!transport || closed) return Promise.reject(new McpError(LocalErrorCode.Closed, 'session is closed'));
    return transport.send(message, relatedRequestId === undefined ? undefined : { relatedRequestId });
  }

  function reply(message: JsonRpcResponse): void {
    sendRaw(message).catch((e: unknown) => reportError(new McpError(LocalErrorCode.Protocol, `could not send response ${String(message.id)}`, { cause: e })));
  }

  function teardown(error: Error): void {
    for (const { value } of correlation.drain()) value.fail(error, false);
    inbound.abortAll(error);
  }

  function handleResponse(message: JsonRpcResponse): void {
    const id = message.id;
    if (id === undefined || id === null) {
      reportError(new McpError(LocalErrorCode.Protocol, `peer sent an error without an id: ${JSON.stringify('error' in message ? message.error : message)}`));
      return;
    }
    const entry = correlation.take(id);
    if (entry) entry.value.settle(message);
    else if (!correlation.wasAbandoned(id)) {
      reportError(new McpError(LocalErrorCode.Protocol, `response to unknown request id ${JSON.stringify(id)}`));
    }
  }

  function handleNotification(message: JsonRpcNotification, extra: MessageExtra | undefined): void {
    const params = message.params;
    if (message.method === 'notifications/cancelled') {
      const p = (params ?? {}) as CancelledParams;
      if (p.requestId !== undefined) inbound.cancel(p.requestId, p.reason);
      return;
    }
    if (message.method === 'notifications/progress') {
      const routed = progress.route((params ?? {}) as unknown as ProgressParams);
      if (routed.ok) correlation.touch(routed.requestId);
      else reportError(new McpError(LocalErrorCode.Protocol, `dropped progress notification: ${routed.reason}`));
      return;
    }
    const handler = notificationHandlers.get(message.method);
    if (!handler) return; // unknown notifications are ignored (JSON-RPC 2.0 section 4.1)
    try {
      const done = handler(params, extra);
      if (done instanceof Promise) done.catch((e: unknown) => reportError(asError(e)));
    } catch (e) {
      reportError(asError(e));
    }
  }

  async function handleRequest(message: JsonRpcRequest, extra: MessageExtra | undefined, respond: (r: JsonRpcResponse) => void): Promise<void> {
    const { id, method } = message;
    const handler = requestHandlers.get(method);
    if (!handler) return respond(makeErrorResponse(id, { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` }));
    const refused = options.checkInbound?.(method, message.params);
    if (refused) return respond(makeErrorResponse(id, refused));
    if (inbound.size >= limits.maxInflightHandlers) {
      return respond(makeErrorResponse(id, { code: ErrorCode.ServerBusy, message: `too many requests in flight (limit ${limits.maxInflightHandlers})` }));
    }
    const signal = inbound.begin(id, method);
    if (!signal) return respond(makeErrorResponse(id, { code: ErrorCode.InvalidRequest, message: `request id ${JSON.stringify(id)} is already in flight` }));
    // While the peer's request is handled (an elicitation may wait for a human), our own
    // request it belongs to must not time out; with no known relation, pause them all.
    const related = extra?.relatedRequestId;
    const pauseKey = related !== undefined && correlation.has(related) ? related : undefined;
    correlation.pause(pauseKey);
    const ctx = makeContext(message, signal, extra);
    try {
      const result = await handler(message.params, ctx);
      if (inbound.end(id)) return; // cancelled: the response is withheld
      respond({ jsonrpc: JSONRPC_VERSION, id, result: (result ?? {}) as Record<string, unknown> });
    } catch (e) {
      if (inbound.end(id)) return;
      respond(makeErrorResponse(id, toRpcErrorObject(e)));
    } finally {
      ctx.finish();
      correlation.resume(pauseKey);
    }
  }

  function makeContext(message: JsonRpcRequest, signal: AbortSignal, extra: MessageExtra | undefined): RequestContext<S> & { finish(): void } {
    const token = progressTokenOf(message.params);
    const emitter = createProgressEmitter(token);
    const meta = message.params?._meta as Record<string, unknown> | undefined;
    let finished = false;
    return {
      requestId: message.id, method: message.method, signal, meta, progressToken: token, extra,
      finish: () => { finished = true; },
      async progress(value, total, text) {
        // 2025-11-25 progress: notifications stop once the request completes.
        if (finished || signal.aborted) return;
        const params = emitter.next(value, total, text);
        if (params) await session.notify('notifications/progress' as never, params as never, { relatedRequestId: message.id });
      },
      notify: (method, params) => session.notify(method, params, { relatedRequestId: message.id }),
      request: (method, params, opts) => session.request(method, params, { signal, ...opts, relatedRequestId: message.id }),
    };
  }

  function handleItem(item: Inbound, extra: MessageExtra | undefined, respond: (r: JsonRpcResponse) => void): Promise<void> | undefined {
    switch (item.kind) {
      case 'invalid':
        reportError(new McpError(LocalErrorCode.Protocol, `invalid message from peer: ${item.error.message}`));
        respond(makeErrorResponse(item.id, item.error));
        return undefined;
      case 'response':
        handleResponse(item.message);
        return undefined;
      case 'notification':
        handleNotification(item.message, extra);
        return undefined;
      case 'request':
        return handleRequest(item.message, extra, respond);
    }
  }

  function onPayload(payload: unknown, extra?: MessageExtra): void {
    if (closed) return;
    const classified = classifyPayload(payload);
    if (!classified.batch) {
      void handleItem(classified.item, extra, reply);
      return;
    }
    if (!(options.allowBatch?.() ?? false)) {
      reply(makeErrorResponse(null, { code: ErrorCode.InvalidRequest, message: 'Invalid Request: JSON-RPC batches are only accepted in protocol version 2025-03-26' }));
      return;
    }
    // 2025-03-26 basic: a batch of requests is answered by one array of responses.
    const responses: JsonRpcResponse[] = [];
    const waits: Promise<void>[] = [];
    for (const item of classified.items) {
      const wait = handleItem(item, extra, (r) => responses.push(r));
      if (wait) waits.push(wait);
    }
    void Promise.all(waits).then(() => {
      if (responses.length > 0) sendRaw(responses).catch((e: unknown) => reportError(asError(e)));
    });
  }

  const session: Session<S> = {
    get closed() {
      return closed;
    },
    get transport() {
      return transport;
    },
    limits,
    async connect(t) {
      if (transport) throw new McpError(LocalErrorCode.State, 'session is already connected');
      transport = t;
      await t.start({
        onMessage: onPayload,
        onError: reportError,
        onRequestFailed(id, error) {
          correlation.peek(id)?.fail(error, false);
        },
        onClose(error) {
          if (closed) return;
          closed = true;
          teardown(new McpError(LocalErrorCode.Closed, error ? `connection closed: ${error.message}` : 'connection closed', { cause: error }));
          options.onClose?.(error);
        },
      });
    },

    request(method, params, opts = {}) {
      if (closed) return Promise.reject(new McpError(LocalErrorCode.Closed, `cannot send ${method}: session is closed`));
      if (!transport) return Promise.reject(new McpError(LocalErrorCode.NotConnected, `cannot send ${method}: session is not connected`));
      const { signal } = opts;
      if (signal?.aborted) return Promise.reject(new McpError(LocalErrorCode.Aborted, `${method} aborted before it was sent`, { cause: signal.reason }));
      try {
        options.checkOutbound?.(method, params);
      } catch (e) {
        return Promise.reject(e);
      }
      if (correlation.size >= limits.maxPendingRequests) {
        return Promise.reject(new McpError(LocalErrorCode.TooManyPending, `too many pending requests (limit ${limits.maxPendingRequests})`));
      }
      const id = correlation.nextId();
      opts.onRequestId?.(id);
      let sendParams = params as Record<string, unknown> | undefined;
      const token = opts.onProgress ? id : undefined;
      if (token !== undefined) sendParams = { ...sendParams, _meta: { ...(sendParams?._meta as object | undefined), progressToken: token } };
      const { promise, entry } = trackRequest<ResultOf<S['outRequests'], typeof method>>(trackDeps, id, method, opts, token);
      const message: JsonRpcRequest = sendParams === undefined
        ? { jsonrpc: JSONRPC_VERSION, id, method }
        : { jsonrpc: JSONRPC_VERSION, id, method, params: sendParams };
      const sendOptions = opts.relatedRequestId === undefined && !opts.onResumptionToken ? undefined : {
        ...(opts.relatedRequestId !== undefined ? { relatedRequestId: opts.relatedRequestId } : {}),
        ...(opts.onResumptionToken ? { onResumptionToken: opts.onResumptionToken } : {}),
      };
      transport.send(message, sendOptions).catch((e: unknown) => entry.fail(asError(e), false));
      return promise;
    },

    expectResponse(method, id, opts = {}) {
      if (closed) return Promise.reject(new McpError(LocalErrorCode.Closed, `cannot await ${method}: session is closed`));
      if (correlation.has(id)) return Promise.reject(new McpError(LocalErrorCode.State, `request ${JSON.stringify(id)} is already pending`));
      const token = opts.onProgress ? (opts.progressToken ?? id) : undefined;
      return trackRequest<ResultOf<S['outRequests'], typeof method>>(trackDeps, id, method, opts, token).promise;
    },

    async notify(method, params, opts) {
      if (closed) throw new McpError(LocalErrorCode.Closed, `cannot send ${method}: session is closed`);
      if (!transport) throw new McpError(LocalErrorCode.NotConnected, `cannot send ${method}: session is not connected`);
      options.checkOutbound?.(method, params);
      const message: JsonRpcNotification = params === undefined
        ? { jsonrpc: JSONRPC_VERSION, method }
        : { jsonrpc: JSONRPC_VERSION, method, params: params as Record<string, unknown> };
      await sendRaw(message, opts?.relatedRequestId);
    },

    failRequest(id, error) {
      const entry = correlation.peek(id);
      entry?.fail(error, false);
      return entry !== undefined;
    },

    onRequest(method, handler) {
      requestHandlers.set(method, handler as AnyHandler);
    },
    onNotification(method, handler) {
      notificationHandlers.set(method, handler as AnyNotificationHandler);
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new McpError(LocalErrorCode.Closed, 'session closed');
      teardown(error);
      try {
        await transport?.close();
      } finally {
        options.onClose?.();
      }
    },
  };
  return session;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
