/**
 * The client side of the legacy Streamable HTTP transport (2025-03-26 .. 2025-11-25
 * basic/transports): every message is a POST, answered with JSON or an SSE stream; an
 * optional GET stream carries what the server sends unprompted; a lost SSE stream is
 * resumed with GET + `Last-Event-ID`; `Mcp-Session-Id` and `MCP-Protocol-Version` go on
 * every request once known; closing DELETEs the session. The POST path is client-post.ts;
 * a server that refuses it and speaks the 2024-11-05 HTTP+SSE transport is reached through
 * client-sse-fallback.ts and client-sse-legacy.ts; 2026-07-28 requests through client-modern.ts.
 */
import {
  LocalErrorCode, McpError,
  type JsonRpcMessage, type MessageExtra, type RequestId, type SendFailure, type SendOptions, type Timers, type TransportHandlers,
} from '../../protocol/index.ts';
import { DEFAULT_CLIENT_MAX_MESSAGE_BYTES, positiveIntegerOption } from '../../protocol/limits.ts';
import { checkMaxJsonDepth, isNotification, isRequest } from '../../protocol/jsonrpc.ts';
import { systemTimers } from '../../protocol/correlation.ts';
import type { Exchange, Exchanger } from './client-exchange.ts';
import { batchRefusal, postMessages, type PostDeps } from './client-post.ts';
import { createFetchExchanger } from './client-fetch.ts';
import { withAuth } from './client-auth.ts';
import { createRequestHeaders, type RequestHeaders } from './client-headers.ts';
import { resumeStream } from './client-resume.ts';
import { sendSessionDelete } from './client-delete.ts';
import { createLazyUndiciExchanger, loadUndiciExchanger } from './client-undici-lazy.ts';
import type { StreamDeps } from './client-streams.ts';
import { StreamSet } from './client-stream-set.ts';
import { checkOptionsObject, checkUrl, type HttpClientTransport, type HttpClientTransportOptions, type ResumeOptions } from './client-options.ts';
import { createReconnectPolicy } from './reconnect.ts';
import { asError } from '../../protocol/errors.ts';
import { isModernRequest, ModernPoster } from './client-modern.ts';
import { DEFAULT_SSE_ENDPOINT_TIMEOUT_MS, SseLink } from './client-sse-legacy.ts';
import { checkSseOptions, sendInitialize } from './client-sse-fallback.ts';
import { sharedTransportCache, type HttpTransportKind } from './client-transport-cache.ts';
import type { ParamHeader } from './client-modern-headers.ts';
import { AnswerRetry } from './client-answer-retry.ts';
import { LiveList } from './live-list.ts';
import { AnswerGate } from './client-answer-gate.ts';

export type { HttpClientTransport, HttpClientTransportOptions, ResumeOptions } from './client-options.ts';

const closedError = (what: string): McpError => new McpError(LocalErrorCode.Closed, `cannot ${what}: the HTTP transport is closed`);
const NO_SEND_OPTIONS: SendOptions = Object.freeze({}); // a send without options (every call) shares it: no object made

/** Create the client side of a Streamable HTTP transport (see the module comment). */
export function createHttpClientTransport(options: HttpClientTransportOptions): HttpClientTransport {
  checkOptionsObject(options);
  return new HttpClient(options);
}

/** `new` until `start`, `started` while it carries messages, `closed` (final) from `close` on, started or not. */
type TransportState = 'new' | 'started' | 'closed';

/**
 * The transport: its {@link TransportState}, the session as the server knows it (id,
 * negotiated version, whether `initialized` went through), the SSE streams it runs, and what
 * `close` must abort or wait for.
 */
class HttpClient implements HttpClientTransport {
  readonly #options: HttpClientTransportOptions;
  readonly #maxEventBytes: number;
  readonly #maxJsonDepth: number;
  /** `keepSessionOnClose()` was called: close without the DELETE, to resume the session later. */
  #keepSession = false;
  readonly #timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  readonly #exchanger: Exchanger;
  readonly #headers: RequestHeaders;
  /** What the POST path (client-post.ts) needs from it; made once. */
  readonly #postDeps: PostDeps;
  #state: TransportState = 'new';
  /** Given by `start`; kept once closed, for the close's own reports. */
  #handlers: TransportHandlers | undefined;
  #closing: Promise<void> | undefined;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  /** `notifications/initialized` went through, or a session was given to rejoin. */
  #initialized: boolean;
  /** Requests in flight and bodies being drained; aborted by close(). */
  readonly #inflight = new LiveList<Exchange>();
  /** The SSE streams it runs, and what closing waits for. */
  readonly #streams: StreamSet;
  /** The 2026-07-28 requests, each a stateless POST of its own. */
  readonly #modern: ModernPoster;
  readonly #paramHeaders = new Map<string, readonly ParamHeader[]>();
  /** The 2024-11-05 HTTP+SSE session, once the server turned out to speak only that. */
  #sse: SseLink | undefined;
  /** Answers to the server's questions sent again after a network failure (client-answer-retry.ts). */
  readonly #answers: AnswerRetry;
  /** How many of those answers are POSTed at once (client-answer-gate.ts). */
  readonly #answerGate: AnswerGate;

  constructor(options: HttpClientTransportOptions) {
    checkSseOptions(options);
    this.#options = options;
    const url = checkUrl(options.url);
    this.#maxEventBytes = positiveIntegerOption('maxEventBytes', options.maxEventBytes, DEFAULT_CLIENT_MAX_MESSAGE_BYTES);
    positiveIntegerOption('closeTimeoutMs', options.closeTimeoutMs, 0, 0);
    this.#maxJsonDepth = checkMaxJsonDepth(options.maxJsonDepth);
    this.#timers = options.timers ?? systemTimers;
    this.#answers = new AnswerRetry(options.answerRetry, this.#timers);
    this.#answerGate = new AnswerGate(options.answerConcurrency, options.maxQueuedAnswers);
    this.#sessionId = options.sessionId;
    this.#protocolVersion = options.protocolVersion;
    this.#initialized = this.#sessionId !== undefined;
    this.#exchanger = this.#exchangerFor(url);
    this.#headers = createRequestHeaders(options.headers);
    const streamDeps: StreamDeps = {
      get: (lastEventId) => this.#exchanger.send({ method: 'GET', headers: this.#headers.get(this, lastEventId) }),
      deliver: (value, relatedRequestId) => this.#deliver(value, relatedRequestId),
      requestFailed: (id, error) => this.#requestFailed(id, error),
      reportError: (error) => this.#reportError(error),
      policy: createReconnectPolicy(options.reconnect),
      timers: this.#timers,
      maxEventBytes: this.#maxEventBytes,
      maxJsonDepth: this.#maxJsonDepth,
      refuseBatch: (value) => batchRefusal(value, this.#protocolVersion),
      answersWaiting: () => this.#answerGate.drained(),
    };
    this.#streams = new StreamSet(streamDeps);
    this.#postDeps = this.#makePostDeps();
    this.#modern = new ModernPoster({
      exchanger: this.#exchanger,
      userHeaders: this.#headers.user,
      maxEventBytes: this.#maxEventBytes,
      maxJsonDepth: this.#maxJsonDepth,
      deliver: (value, id) => this.#deliver(value, id),
      requestFailed: (id, error) => this.#requestFailed(id, error),
      reportError: (error) => this.#reportError(error),
      paramHeaders: (tool) => this.#paramHeaders.get(tool),
      answers: this.#answers,
    });
  }

  /** An exchanger to `url` through the fetch or dispatcher given, with the credentials given. */
  #exchangerFor(url: string): Exchanger {
    const options = this.#options;
    const exchanger = options.fetch
      ? createFetchExchanger(options.fetch, url, (e) => this.#reportError(asError(e)))
      : createLazyUndiciExchanger(url, options.dispatcher);
    return options.auth ? withAuth(exchanger, options.auth, url) : exchanger;
  }

  setParamHeaders(tool: string, headers: readonly ParamHeader[] | undefined): void {
    if (headers && headers.length > 0) this.#paramHeaders.set(tool, headers);
    else this.#paramHeaders.delete(tool);
  }

  /** Changes when the credentials sent change; the client's "private" list cache keys on it. */
  get credentialsEpoch(): number { return this.#exchanger.credentialsEpoch?.() ?? 0; }

  /** The server's endpoint (the era cache keys on its origin). */
  get url(): string {
    return String(this.#options.url);
  }

  /** The session id (also what the protocol's headers carry, read when a request is made). */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  get protocolVersion(): string | undefined {
    return this.#protocolVersion;
  }

  get httpTransport(): HttpTransportKind {
    return this.#sse ? 'sse' : 'streamable';
  }

  async start(handlers: TransportHandlers): Promise<void> {
    if (this.#handlers) throw new McpError(LocalErrorCode.State, 'the HTTP transport was already started');
    if (this.#isClosed()) throw closedError('start');
    this.#handlers = handlers;
    this.#state = 'started';
    // undici loads with the first transport that uses it (client-undici-lazy.ts), not with mcpwire/client.
    if (!this.#options.fetch) await loadUndiciExchanger();
    this.#maybeOpenStandalone(); // a rejoined session
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions = NO_SEND_OPTIONS, failure?: SendFailure): Promise<void> {
    // Not async, nor is #sendLegacy: the POST's own promise goes back as it is, without two
    // async wrappers' promises and their turns per call (a synchronous throw still rejects).
    try {
      if (this.#isClosed()) throw closedError('send');
      if (this.#state === 'new') throw new McpError(LocalErrorCode.NotConnected, 'cannot send: the HTTP transport was not started');
      // 2026-07-28 basic/transports/streamable-http: a modern request is a stateless POST of its own.
      if (isModernRequest(message)) return this.#modern.post(message);
      // An answer to the server's request (no method): a bounded number go at once.
      if (!Array.isArray(message) && !('method' in message)) return this.#answerGate.run(() => this.#sendLegacy(message, sendOptions));
      return this.#sendLegacy(message, sendOptions, failure);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** {@link send} in the legacy eras (HTTP+SSE, Streamable HTTP); throws when it cannot start. A session's POST tells `failure`. */
  #sendLegacy(message: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions, failure?: SendFailure): Promise<void> {
    if (this.#isClosed()) throw closedError('send');
    if (this.#sse) return this.#sse.post(JSON.stringify(message));
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      // A cancelled request's response is not coming; its stream need not be resumed.
      if (isNotification(m) && m.method === 'notifications/cancelled') {
        const id = m.params?.requestId;
        // 2026-07-28 basic/transports/streamable-http: a modern request is cancelled by closing its stream; nothing is POSTed.
        if ((typeof id === 'string' || typeof id === 'number') && this.#modern.cancel(id)) return Promise.resolve();
        if (typeof id === 'string' || typeof id === 'number') {
          this.#streams.abandon(id);
          this.#answers.cancelled(id);
        }
      }
    }
    // A session's POST (every call) goes at once; the closure is made for initialize only.
    if (this.#sessionId !== undefined || !messages.some((m) => isRequest(m) && m.method === 'initialize')) return postMessages(this.#postDeps, messages, message, sendOptions, failure);
    // initialize's POST keeps its promise: the fallback to HTTP+SSE reads its failure.
    const post = () => postMessages(this.#postDeps, messages, message, sendOptions);
    const cache = this.#options.transportCache === false ? undefined : this.#options.transportCache ?? sharedTransportCache;
    return sendInitialize({ mode: this.#options.legacySse ?? 'fallback', cache, url: this.url, body: JSON.stringify(message), post, openSse: () => this.#openSse() });
  }

  /** Open the 2024-11-05 HTTP+SSE session (client-sse-legacy.ts); the transport speaks it from then on. */
  async #openSse(): Promise<SseLink> {
    const link = await SseLink.open({
      url: this.url,
      get: () => this.#exchanger.send({ method: 'GET', headers: this.#headers.get({ sessionId: undefined, protocolVersion: undefined }) }),
      exchangerFor: (endpoint) => this.#exchangerFor(endpoint),
      postHeaders: () => this.#headers.post({ sessionId: undefined, protocolVersion: this.#protocolVersion }),
      timers: this.#timers,
      maxEventBytes: this.#maxEventBytes,
      maxJsonDepth: this.#maxJsonDepth,
      endpointTimeoutMs: this.#options.sseEndpointTimeoutMs ?? DEFAULT_SSE_ENDPOINT_TIMEOUT_MS,
      deliver: (value) => this.#deliver(value, undefined),
      reportError: (error) => this.#reportError(error),
      lost: (error) => {
        this.#reportError(error);
        void this.close();
      },
      answersWaiting: () => this.#answerGate.drained(),
    });
    if (this.#isClosed()) {
      await link.close(closedError('open an HTTP+SSE session'));
      throw closedError('open an HTTP+SSE session');
    }
    this.#sse = link;
    return link;
  }

  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
    this.#maybeOpenStandalone();
  }

  async resume(lastEventId: string, resumeOptions: ResumeOptions = {}): Promise<void> {
    if (this.#isClosed()) throw closedError('resume');
    if (this.#state === 'new') throw new McpError(LocalErrorCode.NotConnected, 'cannot resume: the HTTP transport was not started');
    if (this.#sse) throw new McpError(LocalErrorCode.State, 'cannot resume: the 2024-11-05 HTTP+SSE transport has no event ids to resume from');
    return resumeStream({
      get: this.#streams.deps.get,
      inflight: this.#inflight,
      isClosed: () => this.#isClosed(),
      launch: (init, first) => void this.#streams.launch(init, first),
    }, lastEventId, resumeOptions);
  }

  async terminateSession(): Promise<boolean> {
    if (this.#isClosed()) throw closedError('terminate the session');
    if (this.#sse) return false; // 2024-11-05 HTTP+SSE: no DELETE; closing the stream ends the session
    return this.#deleteSession();
  }

  /** Let the next `close()` leave the session on the server (no DELETE), for a later resume. */
  keepSessionOnClose(): void {
    this.#keepSession = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  /** A method, not a field test: the state may change across an `await` (TypeScript would narrow a field). */
  #isClosed(): boolean { return this.#state === 'closed'; }

  #reportError(error: Error): void {
    if (this.#state !== 'closed') this.#handlers?.onError(error);
  }

  #deliver(value: unknown, relatedRequestId: RequestId | undefined): void {
    const handlers = this.#handlers;
    if (this.#state !== 'started' || !handlers) return;
    const extra: MessageExtra = {};
    // A question asked on one of our requests' streams is remembered, for its answer's re-sends.
    if (relatedRequestId !== undefined) { extra.relatedRequestId = relatedRequestId; this.#answers.asked(value, relatedRequestId); }
    if (this.#sessionId !== undefined) extra.sessionId = this.#sessionId;
    try {
      handlers.onMessage(value, extra);
    } catch (error) {
      this.#reportError(asError(error));
    }
  }

  #requestFailed(id: RequestId, error: Error): void {
    const handlers = this.#handlers;
    if (this.#state !== 'started' || !handlers) return;
    if (handlers.onRequestFailed) handlers.onRequestFailed(id, error);
    else handlers.onError(error);
  }

  #maybeOpenStandalone(): void {
    if (this.#state !== 'started' || this.#streams.hasStandalone || this.#sse || this.#options.openStandaloneStream === false) return;
    if (!this.#initialized || this.#protocolVersion === undefined) return;
    this.#streams.openStandalone();
  }

  /** The server forgot `oldId` (2025-11-25 basic/transports: 404 means re-initialize). */
  #expire(oldId: string): void {
    if (this.#sessionId !== oldId) return; // already handled, or a new session took its place
    this.#sessionId = undefined;
    this.#initialized = false;
    this.#streams.stopStandalone();
    try {
      this.#options.onSessionExpired?.(oldId);
    } catch (error) {
      this.#reportError(asError(error));
    }
  }

  #makePostDeps(): PostDeps {
    return {
      exchanger: this.#exchanger,
      maxEventBytes: this.#maxEventBytes,
      maxJsonDepth: this.#maxJsonDepth,
      inflight: this.#inflight,
      sessionId: () => this.#sessionId,
      postHeaders: () => this.#headers.post(this),
      isClosed: () => this.#isClosed(),
      sessionIssued: (id) => {
        this.#sessionId = id;
      },
      initialized: () => {
        this.#initialized = true;
        this.#maybeOpenStandalone();
      },
      expire: (oldId) => this.#expire(oldId),
      refuseBatch: (value) => batchRefusal(value, this.#protocolVersion),
      deliver: (value, related) => this.#deliver(value, related),
      launch: (init, first) => void this.#streams.launch(init, first),
      running: this.#streams.running,
      reportError: (error) => this.#reportError(error),
      answers: this.#answers,
      requestFailed: (id, error) => {
        this.#streams.abandon(id);
        this.#requestFailed(id, error);
      },
    };
  }

  /** DELETE the session; true when it is gone, false on 405. */
  async #deleteSession(timeoutMs?: number): Promise<boolean> {
    const id = this.#sessionId;
    if (id === undefined) return true;
    if (!(await sendSessionDelete(this.#exchanger, this.#headers.delete(this), this.#timers, timeoutMs))) return false;
    if (this.#sessionId === id) {
      this.#sessionId = undefined;
      this.#initialized = false;
      this.#streams.stopStandalone();
    }
    return true;
  }

  async #closeNow(): Promise<void> {
    this.#state = 'closed';
    const reason = new McpError(LocalErrorCode.Closed, 'the HTTP transport closed');
    this.#answers.close();
    this.#answerGate.close(reason);
    for (const exchange of this.#inflight.values()) exchange.abort(reason);
    this.#streams.stopAll();
    await Promise.allSettled([...this.#streams.running, this.#modern.close(reason), this.#sse?.close(reason)]);
    const problems: Error[] = [];
    if (this.#sessionId !== undefined && !this.#keepSession) {
      // 2025-11-25 basic/transports: a client leaving the session SHOULD send DELETE.
      try {
        await this.#deleteSession(this.#options.closeTimeoutMs ?? 5_000);
      } catch (error) {
        problems.push(asError(error));
      }
    }
    try {
      await this.#exchanger.close();
    } catch (error) {
      problems.push(asError(error));
    }
    // Faults while closing are reported before onClose; close() itself succeeds.
    for (const problem of problems) this.#handlers?.onError(problem);
    this.#handlers?.onClose();
  }
}
