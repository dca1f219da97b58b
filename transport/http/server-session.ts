/**
 * One HTTP session of the Streamable HTTP server: the Transport its MCP session talks
 * to, its streams, and the routing rule "every message on exactly one stream"
 * (2025-11-25 basic/transports: multiple connections). What survives a restart is kept by
 * its {@link InflightLedger}; cancellations are read and carried out by server-cancel.ts;
 * re-running the requests of a previous process is server-recovery.ts; which stream carries
 * what is server-session-routes.ts.
 */
import {
  LocalErrorCode, McpError,
  type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse, type MessageExtra, type RequestId, type SendOptions, type Transport,
  type TransportHandlers,
} from '../../protocol/index.ts';
import { isRequest, isResponse } from '../../protocol/jsonrpc.ts';
import { encodeBase64Url } from '../../protocol/base64.ts';
import { tokenOf } from '../event-store/event-id.ts';
import { ServerStream } from './server-stream.ts';
import { startRefused } from './stream-unstored.ts';
import { DONE } from './step-chain.ts';
import { SessionRoutes } from './server-session-routes.ts';
import { errorReply, owedReply, postFailure } from './server-guards.ts';
import { endOwedAtClose } from './server-shutdown.ts';
import { sseReply, type ServerReply } from './exchange.ts';
import { SseConnection } from './sse-connection.ts';
import { cancelInflight, cancelledRequestId, type CancelledRequests } from './server-cancel.ts';
import { InflightLedger } from './server-inflight.ts';
import { newKeeper, recovery } from './server-lazy.ts';
import type { InflightRecord, SessionRecord } from './server-session-record.ts';
import type { SessionPrincipal } from './session-principal.ts';
import type { StandaloneKeeper } from './server-task-repeats.ts';
import { connectionCloser, endInStore, pollsAt, type HttpSessionShared, type SessionEnd } from './server-session-shared.ts';
import { routeElsewhere, sessionGet, type SessionParts } from './server-session-standalone.ts';
import { awaitJsonReply } from './json-post.ts';

export type { HttpSessionShared, SessionEnd } from './server-session-shared.ts';

/** A session's private state as server-session-standalone.ts reaches it: one object for the module, set below. */
let parts: SessionParts;

export class HttpSession {
  readonly id: string;
  protocolVersion: string | undefined;
  /** Who opened it (set before its first save); only that principal may use it. */
  principal: SessionPrincipal | undefined;
  lastUsed: number;
  /** Told each response once it is written (the server watches its initialize with it). */
  onResponse: ((response: JsonRpcResponse) => void) | undefined;
  #options: HttpSessionShared;
  #handlers: TransportHandlers | undefined;
  readonly #routes = new SessionRoutes();
  /** The standalone stream's token once it is open: found by it without a map of its own. */
  #standaloneToken: string | undefined;
  /** POST streams until their in-flight record is saved. */
  #standalone: ServerStream | undefined;
  #streamCounter = 0;
  /** Restored: this process's mark in new POST stream ids (the store still holds the previous process's p1, p2, ...). */
  readonly #restartMark: string | undefined;
  #closed = false;
  #ledger: InflightLedger;
  /** Recently cancelled request ids: what their handlers still emit is dropped, not rerouted. */
  #cancelled: CancelledRequests | undefined;
  /** Restored, or in a shared store: its standalone stream goes on in the store while its client is away. */
  readonly #kept: StandaloneKeeper | undefined;

  static {
    parts = {
      shared: (s) => s.#options, routes: (s) => s.#routes, ledger: (s) => s.#ledger, kept: (s) => s.#kept,
      standalone: (s) => s.#standalone, standaloneToken: (s) => s.#standaloneToken,
      setStandalone: (s, stream, token) => { s.#standalone = stream; if (token !== undefined) s.#standaloneToken = token; },
      setStandaloneToken: (s, token) => { s.#standaloneToken = token; },
      newStream: (s, streamId, kind) => s.#newStream(streamId, kind),
      newConnection: (s) => s.#newConnection(),
      onMessage: (s, message) => s.#handlers?.onMessage(message, { sessionId: s.id }),
    };
  }

  /** `restored`: what a previous process saved about this session. */
  constructor(id: string, shared: HttpSessionShared, restored?: SessionRecord) {
    this.id = id;
    this.#options = shared;
    this.lastUsed = shared.now();
    this.protocolVersion = restored?.protocolVersion;
    this.principal = restored?.principal;
    this.#ledger = new InflightLedger(this, shared.ledger, restored);
    if (restored) this.#restartMark = `${encodeBase64Url(crypto.getRandomValues(new Uint8Array(6)))}-`;
    const taskMessagesOnly = shared.streamTag !== undefined;
    if (restored || taskMessagesOnly) this.#kept = newKeeper({ sessionId: id, settings: shared.settings, session: this, taskMessagesOnly });
  }

  /** The Transport its MCP session talks to: the session itself. */
  get transport(): Transport { return this; }
  get sessionId(): string { return this.id; }

  async start(handlers: TransportHandlers): Promise<void> { this.#handlers = handlers; }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): Promise<void> { return this.#route(message, options); }

  setProtocolVersion(version: string): void { this.protocolVersion = version; }

  /** 2025-11-25 basic/transports: a priming event (id, empty data) and a retry hint first. */
  primingFor(): { retryMs: number } | undefined {
    return pollsAt(this.protocolVersion) ? { retryMs: this.#options.retryMs } : undefined;
  }

  get closed(): boolean { return this.#closed; }
  /** True while some connection is open (the session is in use, whatever its idle time). */
  get connected(): boolean {
    if (this.#standalone?.connected) return true;
    return this.#routes.connected;
  }

  /**
   * True when this instance waits for the answer `id`: it sent that request, or took over
   * a call that did. A store shared by instances relays other answers to the others.
   */
  awaitsAnswer(id: RequestId): boolean {
    return (this.#options.budget?.awaits(this.id, id) ?? false) || this.#ledger.awaitsInherited(id);
  }

  /** True while a request of the client is running: the session must not expire. */
  get busy(): boolean { return this.#routes.busy; }

  /** True while the client's request `id` runs here (a shared store relays other cancels). */
  runs(id: RequestId): boolean { return this.#routes.carrier(id) !== undefined; }

  /**
   * Hand inbound messages to the MCP session. An answer to a question recorded for a
   * restart is saved first (and may go to the re-run that asked it again); undefined when
   * delivered at once (no promise for the answer POST's 202 to wait on, bench f).
   */
  deliver(payload: unknown, extra: MessageExtra): Promise<void> | undefined {
    try {
      return this.#deliver(payload, extra);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * {@link deliver}, synchronous unless an answer must be saved first (then the promise of
   * that). What it buys: a POST's requests reach the MCP session with no promise made for
   * the delivery itself (two per call before, with {@link #deliverNow}'s catch).
   */
  #deliver(payload: unknown, extra: MessageExtra): Promise<void> | undefined {
    this.#options.budget?.inbound(this.id, payload);
    // One message (every call): looked at as it is, with no array and no `some` closure made for it.
    if (!Array.isArray(payload)) {
      const cancelled = cancelledRequestId(payload);
      if (cancelled !== undefined) this.#cancel(cancelled);
      if (this.#ledger.wantsAnswer(payload)) return this.#deliverAnswered([payload], payload, extra);
    } else {
      for (const m of payload as unknown[]) {
        const cancelled = cancelledRequestId(m);
        if (cancelled !== undefined) this.#cancel(cancelled);
      }
      if (payload.some((m) => this.#ledger.wantsAnswer(m))) return this.#deliverAnswered(payload as unknown[], payload, extra);
    }
    this.#handlers?.onMessage(payload, extra);
    return undefined;
  }

  /** Deliver after saving the answers a restart's ledger waits for (see {@link deliver}). */
  async #deliverAnswered(messages: unknown[], payload: unknown, extra: MessageExtra): Promise<void> {
    const answered = await this.#ledger.answerAll(messages);
    if (answered.length > 0) this.#handlers?.onMessage(Array.isArray(payload) ? answered : answered[0], extra);
  }

  /** The client answered our request `id` with a malformed response (refused 400): that request fails. */
  answerRefused(id: RequestId, detail: string): void {
    this.#handlers?.onRequestFailed?.(id, new McpError(LocalErrorCode.Protocol, `malformed response to request ${JSON.stringify(id)}: ${detail}`));
  }

  /** Deliver requests without waiting (they need no saving first); a failure is reported. */
  #deliverNow(payload: unknown, extra: MessageExtra): void {
    try {
      // The report's closure is made only for a delivery that waits (an answer saved first): none a call.
      this.#deliver(payload, extra)?.catch((e: Error) => this.#options.settings.onError(e));
    } catch (error) {
      this.#options.settings.onError(error as Error);
    }
  }

  /** The client cancelled `id`: server-cancel.ts finishes its stream. */
  #cancel(id: RequestId): void {
    this.#cancelled = cancelInflight(id, { routes: this.#routes, ledger: this.#ledger, settings: this.#options.settings, finish: (s) => this.#finish(s) }, this.#cancelled);
  }

  /**
   * POST carrying at least one request: open its stream and answer with SSE or JSON; `headers`
   * go on the reply. The SSE reply itself when the stream opened at once (a memory store).
   */
  post(payload: unknown, requests: JsonRpcRequest[], extra: MessageExtra, json: boolean, headers?: Record<string, string>): ServerReply | Promise<ServerReply> {
    const clash = this.#routes.clash(requests);
    if (clash) return errorReply(400, `Bad Request: ${clash.detail}`, -32600, clash.id);
    const stream = this.#newStream(`p${this.#options.streamTag ?? ''}${this.#restartMark ?? ''}${++this.#streamCounter}`, 'post');
    this.#routes.route(requests, stream);
    const recover = this.#options.recoverInflight;
    if (json && !recover) return this.#postJson(stream, payload, requests, extra, headers, false);
    // Restart recovery stores a JSON reply's call too: its start probes the store first, as on SSE (read-only requests: stream-unstored.ts).
    if (json) return stream.open().then(() => this.#postJson(stream, payload, requests, extra, headers, true), (e: unknown) => startRefused(stream, undefined, requests, e, () => this.#postJson(stream, payload, requests, extra, headers, false), () => this.#refuse(stream, e, payload, requests), this.#options.settings.onError));
    // An initialize on a store that writes later: its stream starts first (the probe, below),
    // then is attached, since its priming waits for the version it sets.
    if (!this.protocolVersion && !this.#options.settings.sync) return stream.open().then(() => this.#postSse(stream, payload, requests, extra, headers), (e: unknown) => this.#refuse(stream, e));
    return this.#postSse(stream, payload, requests, extra, headers);
  }

  /** A POST answered in JSON (json-post.ts): tracked as SSE once it turns, or at once with restart recovery. */
  #postJson(stream: ServerStream, payload: unknown, requests: JsonRpcRequest[], extra: MessageExtra, headers: Record<string, string> | undefined, recover: boolean): Promise<ServerReply> {
    const track = () => { stream.tracked = this.#track(stream, requests)?.catch((e: Error) => this.#options.settings.onError(e)); };
    const pending = awaitJsonReply(stream, Array.isArray(payload), headers, recover
      ? (reply) => (this.#ledger.tracks(stream.key.streamId) ? recovery.load().then((r) => r.recordJsonEnd(reply, stream.key, requests, this.#options.settings)) : reply)
      : undefined, track);
    if (recover) track();
    this.#deliverNow(payload, extra);
    return pending;
  }

  #postSse(stream: ServerStream, payload: unknown, requests: JsonRpcRequest[], extra: MessageExtra, headers: Record<string, string> | undefined): ServerReply | Promise<ServerReply> {
    const recover = this.#options.recoverInflight;
    const conn = this.#newConnection();
    const attached = stream.attach(conn, !this.protocolVersion);
    // A store that writes later (a file, Redis): the stream's start is the probe that the store
    // can write, and the requests run once it landed, so a full disk refuses a call with 507
    // before its tool runs (a tool with side effects must not run for a call its client is
    // told failed, and may send again; read-only requests are served unstored: stream-unstored.ts).
    // Not the in-flight record: a held save must not hold calls.
    const probe = attached !== undefined && this.protocolVersion !== undefined;
    const ready = probe ? attached.then(() => this.#deliverNow(payload, extra), (e: unknown) => startRefused(stream, conn, requests, e, () => this.#deliverNow(payload, extra), () => this.#refuse(stream, e))) : attached;
    // Restart recovery saves the stream before its requests run: a handler's question waits
    // for that, to be recorded under its call.
    const tracked = ready ? ready.then(() => this.#track(stream, requests)) : recover ? this.#track(stream, requests) : undefined;
    stream.tracked = tracked;
    // Set on `extra` (made for this POST) rather than spread into a copy: a spread followed by
    // a member takes V8's slow path, ~0.6 µs per SSE POST on Node 20.
    extra.closeConnection = connectionCloser(stream, this);
    if (!probe) this.#deliverNow(payload, extra);
    // Opened at once, nothing recorded (no promise to keep): tracked once its requests ran, as
    // a chained attach is. A quick call's stream is finished by then, so it is never made
    // resumable by its token only to be dropped again (a token string, a Map set and a scan).
    if (!attached && !recover) this.#track(stream, requests);
    // Not an async method: its own promise and await were one more step per SSE POST. A failed call's 507
    // names its request (an initialize's failure is thrown: server.ts ends its session and names it).
    return tracked ? tracked.then(() => sseReply(conn, headers), this.protocolVersion ? (e: unknown) => postFailure(e, payload, requests, this.#options.settings.onError) : undefined) : sseReply(conn, headers);
  }

  /** The store refused `stream`'s start: its requests never ran, none is left in flight. Thrown for an initialize or without `requests`. */
  #refuse(stream: ServerStream, error: unknown, payload?: unknown, requests?: JsonRpcRequest[]): ServerReply {
    this.#routes.unrouteAll(stream);
    this.#finish(stream);
    if (!this.protocolVersion || !requests) throw error;
    return postFailure(error, payload, requests, this.#options.settings.onError);
  }

  /** GET: the standalone stream, or the resumption of any stream with `Last-Event-ID` (server-session-standalone.ts). */
  get(lastEventId: string | undefined): Promise<ServerReply> {
    return sessionGet(this, parts, lastEventId);
  }

  /** Resolves once the session's saves queued so far are done (failed ones were reported). */
  saved(): Promise<void> {
    return this.#ledger.saved();
  }

  /** Remember what the application wants restored after a restart. */
  saveState(meta: Record<string, unknown>): Promise<void> {
    return this.#ledger.setApp(meta);
  }

  /**
   * After a restart: continue the stream of `record` under its token (clients resume it
   * with the ids they hold) and re-run its requests. `history` is what the stream already
   * carried: the re-run's identical messages are not stored twice.
   */
  async resumeInflight(record: InflightRecord, history: JsonRpcMessage[] | undefined): Promise<void> {
    const stream = this.#newStream(record.streamId, 'post');
    if (history) stream.guardReplay(history);
    await stream.open();
    this.#routes.addToken(record.token, stream);
    this.#routes.route(record.requests, stream);
    this.#ledger.inherit(record);
    const tracked = this.#ledger.track(record);
    stream.tracked = tracked;
    // A re-run acts for the session's principal (its scopes were not saved).
    const extra: MessageExtra = this.principal ? { sessionId: this.id, auth: { ...this.principal }, rerun: true } : { sessionId: this.id, rerun: true };
    for (const r of record.requests) this.#deliverNow(r, extra);
  }

  /**
   * End the session: its MCP session closes (aborting handlers). A reply still owed gets an
   * error: JSON 404 when the session ended, 503 when the server shuts down (re-run after a
   * restart when the store is durable); SSE, when the session ended or at shutdown without
   * recoverInflight, an error response and its end.
   */
  async close(why: SessionEnd = 'ended'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await endOwedAtClose(this.#routes.streams(), why, this.#options.recoverInflight === true);
    for (const s of this.#routes.streams()) s.close((pending) => owedReply(why, pending[0]));
    this.#standalone?.close();
    this.#options.budget?.forget(this.id);
    this.#handlers?.onClose();
    await this.#ledger.close(why === 'shutdown');
    this.#options.onClosed(this);
  }

  #route(message: JsonRpcMessage | JsonRpcMessage[], options: SendOptions | undefined): Promise<void> {
    if (this.#closed) return Promise.reject(new McpError(LocalErrorCode.Closed, `session ${this.id} is closed`));
    // One message (every response): its own promise, no async wrapper around it.
    if (Array.isArray(message)) return this.#routeAll(message, options);
    return isResponse(message) ? this.#routeResponse(message) : this.#routeOne(message, options);
  }

  async #routeAll(messages: JsonRpcMessage[], options: SendOptions | undefined): Promise<void> {
    for (const m of messages) await this.#routeOne(m, options);
  }

  /**
   * A response goes on the stream of its request. Not async: one `then` per response rather
   * than an async function's promise and its await (every call has one).
   */
  #routeResponse(message: JsonRpcResponse): Promise<void> {
    const id = message.id;
    const stream = id === undefined || id === null ? undefined : this.#routes.carrier(id);
    if (!stream) {
      this.#options.settings.onError(new McpError(LocalErrorCode.Protocol, `no stream carries the response to ${JSON.stringify(id)}; dropped`));
      return Promise.resolve();
    }
    this.#routes.unroute(id!);
    if (this.#options.awaitSavesBeforeResponses) return this.#ledger.saved().then(() => this.#writeResponse(stream, message));
    return this.#writeResponse(stream, message);
  }

  #writeResponse(stream: ServerStream, message: JsonRpcResponse): Promise<void> {
    const run = stream.writeNow(message);
    // Written at once (a memory store, or a JSON reply): finished here, with no `then`. The
    // initialize's watcher still runs a microtask later, outside the peer's answer.
    if (run === undefined && this.onResponse === undefined) {
      if (stream.finished) this.#finish(stream);
      return DONE;
    }
    // `finally`: a response the store could not keep still ends its call (the client got an
    // error for it), so a restart does not re-run it.
    return (run ?? DONE).finally(() => { if (stream.finished) this.#finish(stream); }).then(() => this.onResponse?.(message));
  }

  /** Not async on its call's live stream with nothing to record first (each progress notification and question): no promise of its own (bench d, f). */
  #routeOne(message: JsonRpcMessage, options: SendOptions | undefined): Promise<void> {
    if (isResponse(message)) return this.#routeResponse(message);
    const call = options?.relatedRequestId;
    try {
      this.#options.budget?.outbound(this.id, message);
      if (call !== undefined && this.#cancelled?.has(call)) return DONE;
      const related = call === undefined ? undefined : this.#routes.carrier(call);
      if (related && !related.finished && !(this.#ledger.records && isRequest(message))) return related.write(message);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    // A question recorded first (restart recovery), or no live call stream (server-session-standalone.ts).
    return routeElsewhere(this, parts, message, call);
  }

  #newStream(streamId: string, kind: 'post' | 'standalone'): ServerStream {
    return new ServerStream({ key: { sessionId: this.id, streamId }, kind, settings: this.#options.settings, session: this });
  }

  #newConnection(): SseConnection { return new SseConnection(this.#options.settings, pollsAt(this.protocolVersion) ? this.#options.maxConnectionMs : undefined); }

  /**
   * Once the stream is open: resumable by its token, and saved as in flight for a restart.
   * Synchronous when the stream is open already and nothing is saved (every SSE POST without
   * restart recovery): no promise to make or to wait for.
   */
  #track(stream: ServerStream, requests: JsonRpcRequest[]): Promise<void> | undefined {
    if (stream.liveOnly) return undefined;
    const startId = stream.startId;
    if (startId === undefined) return stream.open().then(() => this.#track(stream, requests));
    if (stream.finished) return undefined;
    const token = tokenOf(startId);
    this.#routes.addToken(token, stream);
    return this.#ledger.track({ streamId: stream.key.streamId, token, requests });
  }

  #finish(stream: ServerStream): void {
    if (!stream.liveOnly) endInStore(stream, this.#options);
    this.#routes.dropTokens(stream);
    this.#ledger.finish(stream.key.streamId, stream.storeFailed);
  }
}
