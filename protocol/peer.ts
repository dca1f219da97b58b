/**
 * The peer engine: one JSON-RPC peer over one Transport. It composes small parts,
 * each owning one map: correlation (pending outbound requests and their deadlines, sent and
 * settled by peer-outbound.ts), progress (token -> callback), inbound requests (id ->
 * in-flight entry, whose AbortSignal is made on first use), and runs an admitted request's
 * handler through inbound-run.ts. MCP features (initialize, capabilities, tools...) live in
 * server/ and client/ on top of it. Every map is made on first use, so an idle peer (a
 * server keeps one per HTTP session) is a handful of small objects.
 */
import { asError, ErrorCode, LocalErrorCode, McpError, toRpcErrorObject, type RpcErrorObject } from './errors.ts';
import {
  classifyPayload, JSONRPC_VERSION, kindOf, makeErrorResponse, quoteEchoed, quoteMethod, UnparsablePayload,
  type Inbound, type InvalidInbound, type MessageKind, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse, type RequestId,
} from './jsonrpc.ts';
import { SENT, type MessageExtra, type Transport } from './transport.ts';
import { EngineHandlers, installEngineHooks } from './engine-handlers.ts';
import type { ParamsOf, ResultOf, SideMaps } from './methods.ts';
import type { Correlation } from './correlation.ts';
import { createPendingTable, NO_PENDING, NO_ROUTES, sendRequest, settleResponse } from './peer-outbound.ts';
import { createProgressRouter, type ProgressCallback, type ProgressRouter } from './progress.ts';
import { runInbound } from './inbound-run.ts';
import { createInboundRequests, type InboundRequests } from './inbound-requests.ts';
import type { ProgressToken } from './types/base.ts';
import type { CancelledParams, ProgressParams } from './types/utilities.ts';
import { inboundLimitError, limitsFor, thinnedReport, type PeerLimits } from './limits.ts';
import { NO_OPTIONS, refused, trackRequest, type PendingEntry, type QuestionOwner, type TrackDeps } from './outbound.ts';
import { answerBatch } from './batch.ts';
import { answerInvalid } from './peer-invalid.ts';

export type {
  RequestOptions, RequestContext, RequestHandler, NotificationHandler, PeerOptions, PeerCloseOptions, Peer,
} from './peer-types.ts';
import type {
  AnyHandler, AnyNotificationHandler, NotificationHandler, RequestHandler, RequestOptions, Peer, PeerCloseOptions, PeerOptions,
} from './peer-types.ts';

/** Create a peer; `connect(transport)` starts it. */
export function createPeer<S extends SideMaps>(options: PeerOptions = {}): Peer<S> {
  return new PeerEngine<S>(options);
}

/** Every peer answers ping (2025-11-25 basic/utilities/ping): one shared handler. */
const answerPing: AnyHandler = () => ({});

/**
 * The engine behind {@link createPeer}. A class, so that a peer is a few objects
 * rather than a closure per operation: a server keeps one per HTTP session, most of them
 * idle. Its public methods are the {@link Peer} interface.
 */
class PeerEngine<S extends SideMaps> implements Peer<S> {
  readonly limits: Readonly<PeerLimits>;
  readonly #options: PeerOptions;
  // Made by the first request we send or progress we follow: an idle server peer reads the shared empty ones.
  #pending: Correlation<PendingEntry> | undefined;
  #routes: ProgressRouter | undefined;
  readonly #inbound: InboundRequests;
  // Made by the first onRequest / onNotification: a server's peers use `requestHandler` / `notificationHandler`.
  #requestHandlers: Map<string, AnyHandler> | undefined;
  #notificationHandlers: Map<string, AnyNotificationHandler> | undefined;
  // Made by the first request we send / answer: an idle server peer holds neither.
  #trackDeps: TrackDeps | undefined;
  #replyFn: ((message: JsonRpcResponse) => void) | undefined;
  #transport: Transport | undefined;
  #closed = false;
  /** Requests dropped unanswered (`unansweredRequests`), for thinning their reports. */
  #dropped = 0;

  static {
    // The handlers' way in to the private methods, without making them public (engine-handlers.ts).
    installEngineHooks<PeerEngine<SideMaps>>(
      (engine, payload, extra) => engine.#receive(payload, extra),
      (engine, error) => engine.#transportClosed(error),
      (engine, error) => engine.#reportError(error),
      (engine, id, error, method) => {
        const entry = engine.#correlation.peek(id);
        if (method !== undefined && entry?.method !== method) return;
        // The transport knows the id only; the caller reads which of its requests failed.
        if (entry) entry.fail(error instanceof McpError ? new McpError(error.code, `${entry.method}: ${error.message}`, { cause: error.cause }) : error, false);
      },
    );
  }

  constructor(options: PeerOptions) {
    this.#options = options;
    this.limits = limitsFor(options.limits);
    this.#inbound = createInboundRequests();
  }

  /** Our pending requests, for reading: the shared empty table until we send one (memory per idle session, bench g). */
  get #correlation(): Correlation<PendingEntry> {
    return this.#pending ?? NO_PENDING;
  }

  /** Our pending requests, for sending one: made here the first time. */
  #ownTable(): Correlation<PendingEntry> {
    return this.#pending ??= createPendingTable(this.#options);
  }

  /** The progress routes of our requests, made by the first that follows progress. */
  #ownRoutes(): ProgressRouter {
    return this.#routes ??= createProgressRouter();
  }

  /** What an outbound request's tracking needs (outbound.ts). */
  get #deps(): TrackDeps {
    return this.#trackDeps ??= {
      correlation: this.#ownTable(), progress: this.#ownRoutes(), limits: this.limits,
      sendCancel: (id, reason) => this.#sendCancel(id, reason),
      // Nothing asked of us (the common case): no reason made, no scan.
      ended: (id, method) => this.#inbound.size > 0 && this.#inbound.abortRelated(id, method),
    };
  }

  /** Sends a response to the peer (handed to each request it answers). */
  get #reply(): (message: JsonRpcResponse) => void {
    return this.#replyFn ??= (message) => {
      const sent = this.#sendRaw(message);
      // Handed on at once (SENT): nothing can fail later, so no handler and no reaction job per answer.
      if (sent !== SENT) sent.catch((e: unknown) => {
        // A send our own close cut (an answer still waiting for its 202) is no fault: the transports drop
        // their errors once closed alike (common: the Python SDK's server acknowledges an answer with the call's result).
        if (this.#cutByClose(e)) return;
        this.#reportError(new McpError(LocalErrorCode.Protocol, message.id === null || message.id === undefined
          ? 'could not send an error response without a request id'
          : `could not send the response to request ${JSON.stringify(message.id)}`, { cause: e }));
      });
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get transport(): Transport | undefined {
    return this.#transport;
  }

  async connect(t: Transport): Promise<void> {
    // A closed session stays closed: it was told "already connected", which sent users looking for a second connect.
    if (this.#transport) throw new McpError(LocalErrorCode.State, this.#closed ? 'session is closed: a closed client or peer cannot connect again, create a new one' : 'session is already connected');
    this.#transport = t;
    await t.start(new EngineHandlers(this));
  }

  /** `owner`: the inbound request a handler asks for (request-context.ts), not part of {@link Peer}. */
  request<M extends keyof S['outRequests'] & string, R>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, opts: RequestOptions = NO_OPTIONS,
    map?: (result: ResultOf<S['outRequests'], M>) => R, recover?: (error: unknown) => Promise<R>, owner?: QuestionOwner,
  ): Promise<R> {
    const transport = this.#transport;
    if (this.#closed) return refused(new McpError(LocalErrorCode.Closed, `cannot send ${method}: session is closed`), recover);
    if (!transport) return refused(new McpError(LocalErrorCode.NotConnected, `cannot send ${method}: session is not connected`), recover);
    const { signal } = opts;
    if (signal?.aborted) return refused(new McpError(LocalErrorCode.Aborted, `${method} aborted before it was sent`, { cause: signal.reason }), recover);
    try {
      this.#options.checkOutbound?.(method, params);
    } catch (e) {
      return refused(e, recover);
    }
    return sendRequest(this.#deps, transport, method, params, opts, map as ((result: unknown) => R) | undefined, recover, owner);
  }

  expectResponse<M extends keyof S['outRequests'] & string>(
    method: M, id: RequestId, opts: RequestOptions & { progressToken?: ProgressToken } = {},
  ): Promise<ResultOf<S['outRequests'], M>> {
    if (this.#closed) return Promise.reject(new McpError(LocalErrorCode.Closed, `cannot await ${method}: session is closed`));
    if (this.#correlation.has(id)) return Promise.reject(new McpError(LocalErrorCode.State, `request ${JSON.stringify(id)} is already pending`));
    const token = opts.onProgress ? (opts.progressToken ?? id) : undefined;
    return trackRequest<ResultOf<S['outRequests'], M>>(this.#deps, id, method, opts, token).promise;
  }

  followProgress(token: ProgressToken, callback: ProgressCallback): () => void {
    const routes = this.#ownRoutes();
    routes.register(token, token, callback);
    return () => routes.unregister(token);
  }

  /**
   * Not async: the transport's promise is returned as it is ({@link SENT} when written at once),
   * rather than wrapped in an async function's promise and awaited (bench d: two promises and
   * their jobs per progress notification). A refusal still comes as a rejection, never a throw.
   */
  notify<M extends keyof S['outNotifications'] & string>(
    method: M, params: NoInfer<S['outNotifications'][M]>, opts?: { relatedRequestId?: RequestId },
  ): Promise<void> {
    try {
      if (this.#closed) throw new McpError(LocalErrorCode.Closed, `cannot send ${method}: session is closed`);
      if (!this.#transport) throw new McpError(LocalErrorCode.NotConnected, `cannot send ${method}: session is not connected`);
      this.#options.checkOutbound?.(method, params);
      const message: JsonRpcNotification = params === undefined
        ? { jsonrpc: JSONRPC_VERSION, method }
        : { jsonrpc: JSONRPC_VERSION, method, params: params as Record<string, unknown> };
      return this.#sendRaw(message, opts?.relatedRequestId);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  failRequest(id: RequestId, error: Error): boolean {
    const entry = this.#correlation.peek(id);
    entry?.fail(error, false);
    return entry !== undefined;
  }

  onRequest<M extends keyof S['inRequests'] & string>(method: M, handler: NoInfer<RequestHandler<S, M>>): void {
    (this.#requestHandlers ??= new Map()).set(method, handler as AnyHandler);
  }

  onNotification<M extends keyof S['inNotifications'] & string>(method: M, handler: NoInfer<NotificationHandler<S, M>>): void {
    (this.#notificationHandlers ??= new Map()).set(method, handler as AnyNotificationHandler);
  }

  async close(options: PeerCloseOptions = {}): Promise<void> {
    if (this.#closed) return;
    const who = options.reason ?? 'session closed';
    // 2025-11-25 basic/utilities/cancellation: what we still wait for is cancelled before the
    // transport closes, so the peer's handlers stop and it can exit at once (a stdio server
    // finishes what it owes after stdin ends). Over 2026-07-28 HTTP the transport turns each
    // cancel into closing that request's stream (basic/patterns/cancellation).
    const cancel = options.cancelPending !== false;
    for (const { value } of this.#correlation.drain()) {
      value.fail(new McpError(LocalErrorCode.Closed, `${value.method}${cancel ? ' cancelled' : ''}: ${who} while it was pending`), cancel);
    }
    this.#closed = true;
    this.#teardown(new McpError(LocalErrorCode.Closed, who));
    try {
      await this.#transport?.close();
    } finally {
      this.#options.onClose?.();
    }
  }

  /** 2025-11-25 basic/utilities/cancellation: tell the peer we gave up on `id`. */
  #sendCancel(id: RequestId, reason: string): void {
    if (this.#closed) return;
    const cancel: CancelledParams = { requestId: id, reason };
    this.#sendRaw({ jsonrpc: JSONRPC_VERSION, method: 'notifications/cancelled', params: cancel as Record<string, unknown> })
      // A cancel our own close cut short is no fault: close() sends them just before it closes the transport.
      .catch((e: unknown) => { if (!this.#cutByClose(e)) this.#reportError(asError(e)); });
  }

  /** A send our own close() cut short: no fault to report. */
  #cutByClose(e: unknown): boolean {
    return this.#closed && e instanceof McpError && e.code === LocalErrorCode.Closed;
  }

  /** The transport delivered a payload (a message, a batch, or unparsable bytes). */
  #receive(payload: unknown, extra?: MessageExtra): void {
    if (this.#closed) return;
    if (!Array.isArray(payload) && !(payload instanceof UnparsablePayload)) {
      void this.#handle(kindOf(payload), payload, extra, this.#reply); // one message, the common case: no record made around it
      return;
    }
    const classified = classifyPayload(payload);
    if (!classified.batch) {
      void this.#handleItem(classified.item, extra, this.#reply);
      return;
    }
    if (!(this.#options.allowBatch?.() ?? false)) {
      const refusal = { code: ErrorCode.InvalidRequest, message: 'Invalid Request: JSON-RPC batches are only accepted in protocol version 2025-03-26' };
      // A side that writes no responses (a 2026-07-28 client) reports it instead.
      if (this.#options.unansweredRequests?.() !== undefined) return this.#reportDropped(`dropped a batch of ${classified.items.length}: ${refusal.message}`);
      return this.#reply(makeErrorResponse(null, refusal));
    }
    answerBatch(classified.items, (item, respond) => this.#handleItem(item, extra, respond),
      (responses) => this.#sendRaw(responses), (e) => this.#reportError(asError(e)));
  }

  /** The transport closed for good. */
  #transportClosed(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#teardown(new McpError(LocalErrorCode.Closed, error ? `connection closed: ${error.message}` : 'connection closed', { cause: error }));
    this.#options.onClose?.(error);
  }

  /** Report what a side that answers no requests dropped, thinned past `maxUnansweredReports`. */
  #reportDropped(what: string): void {
    const more = thinnedReport(++this.#dropped, this.limits.maxUnansweredReports, 'dropped', 'maxUnansweredReports');
    if (more !== undefined) this.#reportError(new McpError(LocalErrorCode.Protocol, what + more));
  }

  #reportError(error: Error): void {
    this.#options.onError?.(error);
  }

  #sendRaw(message: JsonRpcMessage | JsonRpcMessage[], relatedRequestId?: RequestId): Promise<void> {
    const transport = this.#transport;
    if (!transport || this.#closed) return Promise.reject(new McpError(LocalErrorCode.Closed, 'session is closed'));
    return transport.send(message, relatedRequestId === undefined ? undefined : { relatedRequestId });
  }

  #teardown(error: Error): void {
    for (const { value } of this.#correlation.drain()) value.fail(error, false);
    this.#inbound.abortAll(error);
  }

  #handleResponse(message: JsonRpcResponse): void {
    const id = message.id;
    if (id === undefined || id === null) {
      this.#reportError(new McpError(LocalErrorCode.Protocol, `peer sent an error without an id: ${JSON.stringify('error' in message ? message.error : message)}`));
      return;
    }
    const unknown = settleResponse(this.#correlation, id, message);
    if (unknown !== undefined) this.#reportError(new McpError(LocalErrorCode.Protocol, unknown));
  }

  #handleNotification(message: JsonRpcNotification, extra: MessageExtra | undefined): void {
    const params = message.params;
    if (message.method === 'notifications/cancelled') {
      const p = (params ?? {}) as CancelledParams;
      if (p.requestId === undefined) return;
      const ended = this.#options.cancelledByPeer?.(p.requestId, p.reason);
      if (ended) this.#correlation.peek(p.requestId)?.fail(ended, false);
      else this.#inbound.cancel(p.requestId, p.reason);
      return;
    }
    if (message.method === 'notifications/progress') {
      const routed = (this.#routes ?? NO_ROUTES).route((params ?? {}) as unknown as ProgressParams);
      if (routed.ok) this.#correlation.touch(routed.requestId);
      else this.#reportError(new McpError(LocalErrorCode.Protocol, `dropped progress notification: ${routed.reason}`));
      return;
    }
    const handler = this.#notificationHandlers?.get(message.method) ?? this.#options.notificationHandler?.(message.method);
    if (!handler) return; // unknown notifications are ignored (JSON-RPC 2.0 section 4.1)
    try {
      const done = handler(params, extra);
      if (done instanceof Promise) done.catch((e: unknown) => this.#reportError(asError(e)));
    } catch (e) {
      this.#reportError(asError(e));
    }
  }

  /** Find the handler of an inbound request and admit it; inbound-run.ts runs and answers it. */
  #handleRequest(message: JsonRpcRequest, extra: MessageExtra | undefined, respond: (r: JsonRpcResponse) => void): Promise<void> | undefined {
    const { id, method } = message;
    const unanswered = this.#options.unansweredRequests?.();
    if (unanswered !== undefined) {
      // Our own request written back (an echoing program) still fails as such.
      if (!this.#failEchoed(id, method)) this.#reportDropped(`the peer's request ${JSON.stringify(quoteMethod(method))} (id ${quoteEchoed(id)}) was dropped, not answered: ${unanswered}`);
      return undefined;
    }
    let handler: AnyHandler | undefined;
    let refused: RpcErrorObject | undefined;
    // A fault in the lookup or the inbound check is ours: -32603 and onError. Uncaught, it
    // was an unhandled rejection (this method's promise is not awaited) that ended the process.
    try {
      // 2025-11-25 basic/utilities/ping: answered by default, unless an application overrides it.
      handler = this.#requestHandlers?.get(method) ?? this.#options.requestHandler?.(method) ?? (method === 'ping' ? answerPing : undefined);
      if (handler) refused = this.#options.checkInbound?.(method, message.params);
    } catch (e) {
      this.#reportError(asError(e));
      return void respond(makeErrorResponse(id, toRpcErrorObject(e)));
    }
    if (!handler) {
      // Our own pending request of that id and method, come back: the peer is a program that
      // echoes its input (`cat`). Its answer would come back too, as the answer to our request.
      if (this.#failEchoed(id, method)) return undefined;
      return void respond(makeErrorResponse(id, { code: ErrorCode.MethodNotFound, message: `Method not found: ${quoteMethod(method)}` }));
    }
    if (refused) return void respond(makeErrorResponse(id, refused));
    const inbound = this.#inbound;
    const overLimit = inboundLimitError(inbound.size, message.params, this.limits);
    if (overLimit) return void respond(makeErrorResponse(id, overLimit));
    const entry = inbound.begin(id, method);
    if (!entry) return void respond(makeErrorResponse(id, { code: ErrorCode.InvalidRequest, message: `request id ${JSON.stringify(id)} is already in flight` }));
    return runInbound<S>(this, handler, message, entry, extra, inbound, this.#correlation, respond);
  }

  /** Fail our pending request `id` of `method` if the peer wrote it back; true when it did. */
  #failEchoed(id: RequestId, method: string): boolean {
    const echoed = this.#correlation.peek(id);
    if (echoed?.method !== method) return false;
    echoed.fail(new McpError(LocalErrorCode.Protocol, `${method}: the peer wrote this request back instead of answering it; it echoes its input and does not speak MCP`), false);
    return true;
  }

  #handleItem(item: Inbound, extra: MessageExtra | undefined, respond: (r: JsonRpcResponse) => void): Promise<void> | undefined {
    return item.kind === 'invalid' ? this.#handle(item, undefined, extra, respond) : this.#handle(item.kind, item.message, extra, respond);
  }

  /** One inbound message of `kind` (or the invalid item): `message` is the message itself. */
  #handle(kind: MessageKind | InvalidInbound, message: unknown, extra: MessageExtra | undefined, respond: (r: JsonRpcResponse) => void): Promise<void> | undefined {
    switch (kind) {
      case 'response':
        this.#handleResponse(message as JsonRpcResponse);
        return undefined;
      case 'notification':
        this.#handleNotification(message as JsonRpcNotification, extra);
        return undefined;
      case 'request':
        return this.#handleRequest(message as JsonRpcRequest, extra, respond);
      default:
        answerInvalid(kind, this.#correlation, this.#options, (e) => this.#reportError(e), respond);
        return undefined;
    }
  }
}
