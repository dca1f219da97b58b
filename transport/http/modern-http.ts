/**
 * The 2026-07-28 Streamable HTTP path (basic/transports/streamable-http), stateless: one
 * POST carries one message; the answer is JSON, or SSE once the request sends notifications
 * of its own (progress, logs) before its response. No sessions, no event ids, no
 * `Last-Event-ID`; the client cancels by closing the stream.
 */
import type { UnreadLedger } from './unread-ledger.ts';
import { ErrorCode, OversizePayload, parseJson, UnparsablePayload, type JsonRpcMessage, type JsonRpcNotification, type RequestId, type Timers } from '../../protocol/index.ts';
import { makeErrorResponse } from '../../protocol/jsonrpc.ts';
import { encodeSseJson, encodeSseMessage } from '../sse/index.ts';
import { emptyReply, jsonReply, sseReply, type InboundRequest, type ServerReply } from './exchange.ts';
import { checkModernHeaders } from './modern-headers.ts';
import { checkPostHeaders, errorReply, owedReply, readBody } from './server-guards.ts';
import { SseConnection, type ConnectionSettings, type KeepAliveTicker } from './sse-connection.ts';

/** What the HTTP path needs of the server's 2026-07-28 dispatcher (server/modern). */
export interface ModernServable {
  handle(message: unknown, call: {
    /** Read only when needed: it may be a getter that makes the signal on first read. */
    signal?: AbortSignal;
    /** Whether `signal` is aborted, told without making it. */
    aborted?: boolean;
    notify?: (notification: JsonRpcNotification) => void | Promise<void>;
    /** The request's headers by lower-case name (`Mcp-Param-*` are checked against the body). */
    header?: (name: string) => string | null;
    /** The body's length (suspended multi round-trip handlers are counted by it). */
    bytes?: number;
    /** The body as received, while the request is served (a first round's requestState MAC text is read from it). */
    readonly text?: string | undefined;
  }): Promise<{ readonly message: JsonRpcMessage; readonly status: number; json?(): string } | undefined>;
  /** Drop what it holds between requests (suspended multi round-trip handlers). */
  close?(): void;
}

/** Settings of {@link serveModernPost}. */
export interface ModernPostSettings {
  maxBodyBytes: number;
  maxJsonDepth: number;
  timers: Timers;
  /** Bytes an SSE client may leave unread before its stream is dropped (and the request cancelled). */
  maxBufferedBytes: number;
  /** Unread bytes of all the endpoint's connections (unread-ledger.ts). */
  unread?: UnreadLedger | undefined;
  /** Sends keep-alive comments on quiet streams (2026-07-28 basic/transports/streamable-http: encouraged); none when absent. */
  keepAlive?: KeepAliveTicker | undefined;
  /** The replies (JSON or SSE) still owed a response, each ended by its function when the server shuts down. */
  open?: Set<() => void> | undefined;
  onError(error: Error): void;
}

/** What a call whose SSE reply the shutdown ends is told (2026-07-28 has no stream to resume). */
export const MODERN_SHUTDOWN_MESSAGE = 'the server is shutting down: this call was stopped; call again once it is back';

/** An SSE response whose closing by the client cancels its request. */
class RequestStream extends SseConnection {
  readonly #cancel: AbortController;

  constructor(settings: ConnectionSettings, cancel: AbortController) {
    super(settings);
    this.#cancel = cancel;
  }

  override gone(): void {
    super.gone();
    // 2026-07-28 basic/transports/streamable-http: closing the response stream cancels the request.
    this.#cancel.abort(new Error('the client closed the response stream'));
  }
}

/** Serve one 2026-07-28 POST. */
export async function serveModernPost(request: InboundRequest, servable: ModernServable, settings: ModernPostSettings, body?: string): Promise<ServerReply> {
  const bad = checkPostHeaders(request);
  if (bad) return bad;
  const text = body ?? await readBody(request, settings.maxBodyBytes);
  if (typeof text !== 'string') return text;
  const message = parseJson(text, settings.maxJsonDepth);
  if (message instanceof OversizePayload) return errorReply(400, `Invalid Request: ${message.detail}`, ErrorCode.InvalidRequest, message.id ?? undefined);
  if (message instanceof UnparsablePayload) return errorReply(400, `Parse error: ${message.detail}`, ErrorCode.ParseError);
  // 2026-07-28 basic/transports/streamable-http: the body is one request or notification, never a batch.
  if (Array.isArray(message)) return errorReply(400, 'Invalid Request: a 2026-07-28 POST carries one message, not a batch', ErrorCode.InvalidRequest);
  const m = message as Record<string, unknown>;
  const isRequest = typeof m === 'object' && m !== null && typeof m.method === 'string' && 'id' in m;
  if (isRequest) {
    const params = typeof m.params === 'object' && m.params !== null ? m.params as Record<string, unknown> : {};
    const headerFault = hasEnvelope(params) ? checkModernHeaders(request, m.method as string, params) : undefined;
    if (headerFault) return jsonReply(400, { jsonrpc: '2.0', id: m.id, error: headerFault.toJSON() });
  }
  return answerPost(request, message, servable, settings, text);
}

/**
 * Run the request and answer with whichever comes first: its response (JSON) or its first
 * notification (an SSE stream that the response then ends). One promise per POST: a second
 * promise for "the stream opened" and a `Promise.race` of the two were part of this function's
 * 5.4% self time in the m-b-json server's in-process profile, for a stream an echo never opens.
 */
function answerPost(request: InboundRequest, message: unknown, servable: ModernServable, settings: ModernPostSettings, body: string): Promise<ServerReply> {
  // The closures below outlive the request (a suspended multi round-trip call keeps its
  // `call` until its retry or its state's TTL) and share this scope: they must not keep the
  // parsed message nor the request (with its body), which may be megabytes (basic/patterns/mrtr:
  // 60 000 inputResponses were ~13 MB a call).
  let held: unknown = message;
  let inbound: InboundRequest | undefined = request;
  // The body, for the dispatcher while it serves the call; let go with `inbound` once answered.
  let text: string | undefined = body;
  const bytes = body.length;
  const { id, method } = (message ?? {}) as { id?: RequestId; method?: unknown };
  return new Promise<ServerReply>((resolve) => {
    // Only a stream the client closes aborts the request, so the controller is made when one
    // opens or someone reads the signal: most calls answer JSON and never need it (an
    // AbortController per POST was ~6% of the m-b-json server's in-process profile).
    let cancel: AbortController | undefined;
    let stream: RequestStream | undefined;
    let answered = false;
    // Shutdown: an SSE reply gets its end (an error response on the stream), a JSON one the
    // 503 a 2025 call owed a JSON reply gets (server-guards.ts owedReply: the client is told
    // to call again, not left with a cut connection), and the handler its abort. Not let run
    // on: close() has no grace to wait in, and a stateless call is safe to send again.
    const shut = () => {
      if (answered) return;
      answered = true;
      inbound = text = undefined;
      if (stream) {
        stream.send(encodeSseMessage(makeErrorResponse(id ?? null, { code: ErrorCode.InternalError, message: MODERN_SHUTDOWN_MESSAGE })));
        stream.end();
      } else {
        resolve(owedReply('shutdown', id));
      }
      (cancel ??= new AbortController()).abort(new Error('the server is shutting down'));
    };
    // A listen stream is ended by the dispatcher's own close, with its SubscriptionsListenResult.
    const owed = method !== 'subscriptions/listen' ? settings.open : undefined;
    owed?.add(shut);
    const notify = (notification: JsonRpcNotification): Promise<void> | undefined => {
      if (answered || cancel?.signal.aborted) return undefined;
      if (!stream) {
        const connection: ConnectionSettings = { timers: settings.timers, keepAlive: settings.keepAlive, maxBufferedBytes: settings.maxBufferedBytes, unread: settings.unread, onError: settings.onError };
        stream = new RequestStream(connection, cancel ??= new AbortController());
        resolve(sseReply(stream));
      }
      stream.send(encodeSseMessage(notification));
      // Backpressure, as on a 2025 stream: a handler's awaited ctx.progress()/log() waits while
      // the client leaves maxBufferedBytes unread, rather than running on until the connection
      // is dropped for being too far behind (a 2026-07-28 call cannot resume: it would be lost).
      return stream.behind ? stream.writable() : undefined;
    };
    /** The controller, made on first need; made for a handler, it also watches the client. */
    const controller = (): AbortController => {
      if (cancel) return cancel;
      const made = (cancel = new AbortController());
      // 2026-07-28 basic/transports/streamable-http: closing the POST cancels the request, also before any
      // reply (no stream open yet to notice it).
      inbound?.onClientGone?.(() => { if (!answered) made.abort(new Error('the client closed the request before its response')); });
      return made;
    };
    const call = {
      get signal(): AbortSignal { return controller().signal; },
      get aborted(): boolean { return cancel?.signal.aborted === true; },
      notify,
      header: (name: string) => inbound?.header(name) ?? null,
      bytes,
      get text(): string | undefined { return text; },
    };
    const handling = servable.handle(held, call);
    held = undefined;
    handling.then((result) => {
      owed?.delete(shut);
      if (answered) return; // ended by the shutdown
      answered = true;
      inbound = text = undefined;
      if (!stream) {
        resolve(result === undefined ? emptyReply(202) : jsonBody(result.status, result.json ? result.json() : JSON.stringify(result.message)));
        return;
      }
      // The response ends the stream (2026-07-28 basic/transports/streamable-http: SHOULD).
      if (result) stream.send(result.json ? encodeSseJson(result.json()) : encodeSseMessage(result.message));
      stream.end();
    }, (error: Error) => {
      owed?.delete(shut);
      if (answered) return;
      answered = true;
      inbound = text = undefined;
      settings.onError(error);
      if (!stream) resolve(errorReply(500, `Internal error: ${error.message}`, ErrorCode.InternalError));
    });
  });
}

/** A JSON reply: the headers as a literal (no spread of optional extra headers). */
function jsonBody(status: number, body: string): ServerReply {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function hasEnvelope(params: Record<string, unknown>): boolean {
  return typeof params._meta === 'object' && params._meta !== null;
}
