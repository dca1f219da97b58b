/**
 * The Streamable HTTP server as a function `Request -> Promise<Response>` (legacy era,
 * 2025-03-26 .. 2025-11-25 basic/transports). One endpoint: POST carries client messages,
 * GET opens the standalone stream or resumes one, DELETE ends the session.
 */
import {
  ErrorCode, LocalErrorCode, McpError, parseJson, UnparsablePayload,
  type JsonRpcRequest, type MessageExtra, type RequestId,
} from '../../protocol/index.ts';
import { classifyPayload, OversizePayload } from '../../protocol/jsonrpc.ts';
import { systemTimers } from '../../protocol/correlation.ts';
import { encodeBase64Url } from '../../protocol/base64.ts';
import { createMemoryEventStore, syncStreamStore } from '../event-store/memory.ts';
import type { SessionEventStore } from '../event-store/types.ts';
import { emptyReply, exchangeToOf, replyTo, type InboundRequest, type ReplySink, type ServerReply } from './exchange.ts';
import { checkGetHeaders, checkPostHeaders, errorReply, failureReply, readPost, readPostTo, wrongPath } from './server-guards.ts';
import { createAllowedPeers } from './allowed-peers.ts';
import { HttpSession, type HttpSessionShared } from './server-session.ts';
import { SessionInfo, SharedSessionInfo, type SessionRecord } from './server-session-record.ts';
import { principalOf } from './session-principal.ts';
import { unknownSession, usableSession } from './session-admission.ts';
import { SessionHolds } from './session-holds.ts';
import { recovery, repeats } from './server-lazy.ts';
import { KeepAliveTicker } from './sse-connection.ts';
import { JsonSseTurns } from './json-sse-turns.ts';
import { webAdapter } from './web-adapter-lazy.ts';
import { httpServerSettings, type HttpServerHandler, type HttpServerOptions } from './server-options.ts';
import { reportOnce } from './report-once.ts';
import type { UnreadLedger } from './unread-ledger.ts';
import { evictionCandidate, PendingRequestBudget } from './server-quotas.ts';
import { holdsInitialized, requestsOf } from './post-items.ts';

export type { HttpServerHandler } from './server-options.ts';

const SESSION_HEADER = 'mcp-session-id';

export function createHttpServerHandler(options: HttpServerOptions & { unreadLedger?: UnreadLedger }): HttpServerHandler {
  const o = httpServerSettings(options);
  const timers = options.timers ?? systemTimers;
  const ownStore = options.eventStore === undefined;
  const store: SessionEventStore = options.eventStore ?? createMemoryEventStore();
  const sessions = new Map<string, HttpSession>();
  const peers = createAllowedPeers(options);
  const report = reportOnce(options.onError);
  const keepAlive = o.keepAliveMs > 0 ? new KeepAliveTicker(timers, o.keepAliveMs) : undefined;
  const jsonTurns = Number.isFinite(o.jsonSseAfterMs) ? new JsonSseTurns(timers, o.jsonSseAfterMs) : undefined;
  const settings = { store, sync: syncStreamStore(store), timers, keepAlive, maxBufferedBytes: o.maxBufferedBytes, unread: options.unreadLedger, maxMessageBytes: o.maxOutboundMessageBytes, jsonTurns, onError: (e: Error) => report(e) };
  let closed = false;
  // A store shared by several instances (Redis): sessions load by id on demand.
  const sharedStore = typeof store.loadSession === 'function';
  const loading = new Map<string, Promise<HttpSession | undefined>>();
  // Shared store: answers to another instance's server-to-client requests reach it.
  const stopRelay = store.relay?.listen((sessionId, payload) => {
    const session = sessions.get(sessionId);
    if (!session || session.closed) return;
    // Only what this copy waits for: every instance holding the session hears the relay.
    const deliver = ({ relayedHere }: NonNullable<typeof recovery.loaded>) => {
      const here = relayedHere(session, payload);
      if (here !== undefined) session.deliver(here, { sessionId })?.catch((e: Error) => report(e, sessionId));
    };
    if (recovery.loaded) deliver(recovery.loaded);
    else recovery.load().then(deliver, (e: Error) => report(e, sessionId));
  });

  const holds = new SessionHolds<HttpSession>();
  const hold = (s: HttpSession) => holds.hold(s);
  const inUse = (s: HttpSession) => holds.held(s);

  // Idle expiry (2025-11-25 basic/transports: the server MAY end a session; 404 afterwards).
  let sweepTimer: unknown;
  const sweepEvery = Math.min(o.sessionIdleMs, 60_000);
  // A session with a request running is in use, even with no connection open.
  const idle = (s: HttpSession, now: number) => !s.connected && !s.busy && !inUse(s) && now - s.lastUsed > o.sessionIdleMs;
  const sweep = () => {
    const now = timers.now();
    for (const s of sessions.values()) if (idle(s, now)) void endSession(s, sharedStore);
    sweepTimer = timers.setTimeout(sweep, sweepEvery);
    (sweepTimer as { unref?: () => void }).unref?.();
  };
  sweep();

  const shared: HttpSessionShared = {
    store, settings, retryMs: o.retryMs, maxConnectionMs: options.maxConnectionMs,
    recoverInflight: options.recoverInflight ?? false, now: () => timers.now(),
    budget: new PendingRequestBudget(o.maxPendingServerRequests),
    ledger: { store, recordInflight: options.recoverInflight ?? false, onError: (e) => settings.onError(e) },
    // A shared store's copy may be loaded again while the dropped one still closes.
    onClosed: (s) => { if (sessions.get(s.id) === s) sessions.delete(s.id); },
    ...(sharedStore ? { streamTag: `${encodeBase64Url(crypto.getRandomValues(new Uint8Array(6)))}-`, adoptInterrupted, awaitSavesBeforeResponses: true } : {}),
  };

  /**
   * Shared store: re-run the calls that dead instances left in `session` (their lease
   * lapsed); each batch is claimed by one instance only (2025-11-25 basic/transports:
   * resumability, the client resumes them with the event ids it holds).
   */
  async function adoptInterrupted(session: HttpSession): Promise<void> {
    if (!options.recoverInflight || !store.claimInterrupted || session.closed) return;
    const claimed = await store.claimInterrupted(session.id);
    if (claimed.length === 0) return;
    const { readSessionRecord, recoverInflight } = recovery.loaded ?? await recovery.load();
    await recoverInflight(session, readSessionRecord({ inflight: claimed }), store, (e) => report(e, session.id));
  }

  /** Shared store: bring the session another instance started here, once even when asked twice at once. */
  function loadShared(id: string): Promise<HttpSession | undefined> {
    let pending = loading.get(id);
    if (pending) return pending;
    pending = (async () => {
      const [{ readSessionRecord, restoredFirstRequestId }] = await Promise.all([recovery.load(), repeats.load()]);
      const meta = await store.loadSession!(id);
      if (meta === undefined || closed) return undefined;
      const existing = sessions.get(id);
      if (existing && !existing.closed) return existing;
      // maxSessions bounds local copies too: an idle one makes room (the store keeps it).
      if (sessions.size >= o.maxSessions) {
        const idle = evictionCandidate(sessions.values(), inUse);
        if (!idle) throw new McpError(LocalErrorCode.TooManyPending, `${o.maxSessions} sessions are open and busy on this instance (maxSessions)`);
        await endSession(idle, true);
      }
      const record = readSessionRecord(meta);
      const session = newSession(id, record);
      // Held until returned; the caller holds it from there on (no timer runs between the two,
      // both are continuations of this promise).
      const release = hold(session);
      try {
        // Ids of its server-to-client requests start past any another instance could have used.
        await attach(session, record.app, restoredFirstRequestId(record, Date.now()));
        await adoptInterrupted(session);
      } finally {
        release();
      }
      return session;
    })().finally(() => loading.delete(id));
    loading.set(id, pending);
    return pending;
  }

  function newSession(id: string, restored?: SessionRecord): HttpSession {
    const session = new HttpSession(id, shared, restored);
    sessions.set(id, session);
    return session;
  }

  /**
   * End a session; `localOnly`: drop this instance's copy, the shared store keeps it.
   * `strict`: a store that fails to delete rejects (else it is reported only).
   */
  async function endSession(session: HttpSession, localOnly = false, strict = false): Promise<void> {
    await session.close();
    if (localOnly) return;
    const deleting = store.deleteSession(session.id);
    await (strict ? deleting : deleting.catch((e: Error) => report(e, session.id)));
  }

  async function attach(session: HttpSession, restored: Record<string, unknown> | undefined, firstRequestId: number | undefined): Promise<void> {
    // Shared store: another instance may save the session meanwhile (its client's
    // notifications/initialized, server-recovery.ts), and this copy can read that back.
    const info = sharedStore ? new SharedSessionInfo(session, restored, firstRequestId, (id) => store.loadSession!(id)) : new SessionInfo(session, restored, firstRequestId);
    await options.connect(session.transport, info);
  }

  /**
   * Run `use` on the session a non-initialize request names (400 without the header, 404 when
   * unknown). Shared store: the copy is held (not swept, not evicted) until `use` has answered;
   * by then a call is running (busy) or a stream is open (connected).
   */
  async function inSession(request: InboundRequest, use: (session: HttpSession) => ServerReply | Promise<ServerReply>): Promise<ServerReply> {
    if (!sharedStore) {
      const session = localSessionOf(request);
      return session instanceof HttpSession ? use(session) : session;
    }
    const id = request.header(SESSION_HEADER);
    if (id === null) return errorReply(400, 'Bad Request: the Mcp-Session-Id header is required');
    let local = sessions.get(id);
    // A copy idle past sessionIdleMs that the sweep has not reached yet is stale: the store
    // decides (expired there too: 404, as on every other instance; used elsewhere: loaded again).
    if (local && !local.closed && idle(local, timers.now())) {
      await endSession(local, true);
      local = undefined;
    }
    // A copy dropped here (idle) and still closing is not the session's end: load it again.
    const session = local && !local.closed ? local : await loadShared(id);
    if (!session) return unknownSession();
    const release = hold(session);
    try {
      // Shared store: a session another instance deleted ends here too (404, not a stale copy).
      if (await store.sessionEnded?.(id)) {
        await endSession(session, true);
        return unknownSession();
      }
      const usable = usableSession(request, session, timers.now());
      return usable instanceof HttpSession ? await use(usable) : usable;
    } finally {
      release();
    }
  }

  /** {@link inSession} without a shared store: nothing to wait for (no promise per POST). */
  function localSessionOf(request: InboundRequest): HttpSession | ServerReply {
    const id = request.header(SESSION_HEADER);
    if (id === null) return errorReply(400, 'Bad Request: the Mcp-Session-Id header is required');
    return usableSession(request, sessions.get(id), timers.now());
  }

  function extraOf(request: InboundRequest, sessionId: string): MessageExtra {
    const extra: MessageExtra = { sessionId, headers: request.headerRecord() };
    if (request.auth) extra.auth = request.auth;
    return options.extra ? { ...extra, ...options.extra(request.toRequest()) } : extra;
  }

  /**
   * POST. Not async, nor are the steps of a call in a session this process holds (every
   * tools/call): the body's promise is the only one waited on before the session's, rather
   * than an async function's promise and await at each level (bench c-json, promises per call).
   */
  function post(request: InboundRequest): Promise<ServerReply> {
    const bad = checkPostHeaders(request);
    if (bad) return Promise.resolve(bad);
    return readPost(request, o.maxBodyBytes, postBody, failed);
  }

  function postBody(request: InboundRequest, body: string): ServerReply | Promise<ServerReply> {
    const payload = parseJson(body, o.maxJsonDepth);
    if (payload instanceof UnparsablePayload && !(payload instanceof OversizePayload)) return errorReply(400, `Parse error: ${payload.detail}`, ErrorCode.ParseError);
    const classified = classifyPayload(payload);
    const items = classified.batch ? classified.items : [classified.item];
    const invalid = items.find((i) => i.kind === 'invalid');
    if (invalid && invalid.kind === 'invalid') {
      // A malformed answer to one of the session's requests fails that request now, not at its timeout.
      if (invalid.answers !== undefined) {
        const session = localSessionOf(request);
        if (session instanceof HttpSession) session.answerRefused(invalid.answers, invalid.error.message);
      }
      return errorReply(400, invalid.error.message, invalid.error.code, invalid.id ?? undefined);
    }
    const requests = requestsOf(items);
    const initialize = requests.find((r) => r.method === 'initialize');
    if (initialize && request.header(SESSION_HEADER) === null) return startSession(request, payload, initialize, classified.batch);
    if (sharedStore) return inSession(request, (session) => postInSession(request, session, payload, classified.batch, requests));
    return postInSession(request, localSessionOf(request), payload, classified.batch, requests);
  }

  /** An initialize POST without a session id: a new session, answered by its initialize result. */
  async function startSession(request: InboundRequest, payload: unknown, initialize: JsonRpcRequest, batch: boolean): Promise<ServerReply> {
    // 2025-11-25 basic/lifecycle: initialize MUST NOT be part of a batch.
    if (batch) return errorReply(400, 'Bad Request: initialize must not be sent in a batch', ErrorCode.InvalidRequest);
    // A shared store's sessions keep their standalone stream: its module first (server-lazy.ts).
    if (sharedStore) await repeats.load();
    if (sessions.size >= o.maxSessions) {
      // Room is made by ending the least recently used idle session (no call, no stream).
      const idle = evictionCandidate(sessions.values(), inUse);
      if (!idle) return errorReply(503, `Service Unavailable: ${o.maxSessions} sessions are open and busy (maxSessions)`, ErrorCode.InternalError, initialize.id, { 'retry-after': '5' });
      await endSession(idle, sharedStore);
    }
    // 2025-11-25 basic/transports: a cryptographically secure id of visible ASCII.
    const session = newSession(encodeBase64Url(crypto.getRandomValues(new Uint8Array(24))));
    session.principal = principalOf(request.auth);
    session.onResponse = (response) => {
      if (response.id !== initialize.id) return;
      session.onResponse = undefined;
      if ('error' in response) void endSession(session); // a failed initialize holds no slot
    };
    try {
      await attach(session, undefined, undefined);
    } catch (error) {
      sessions.delete(session.id);
      report(error as Error, session.id);
      return errorReply(500, 'Internal error: the session could not be started', ErrorCode.InternalError, initialize.id);
    }
    try {
      return await session.post(payload, [initialize], extraOf(request, session.id), o.responseMode === 'json', { 'mcp-session-id': session.id });
    } catch (error) {
      // Refused before any answer (disk full: 507): the session and its log go, or every
      // retry would keep one more of each.
      await endSession(session);
      return failed(error, initialize.id);
    }
  }

  /** A POST to `session` (or the reply that refused it): its requests, or its notifications and answers (202). */
  function postInSession(request: InboundRequest, session: HttpSession | ServerReply, payload: unknown, batch: boolean, requests: JsonRpcRequest[]): ServerReply | Promise<ServerReply> {
    if (!(session instanceof HttpSession)) return session;
    if (batch && session.protocolVersion !== '2025-03-26') {
      return errorReply(400, 'Bad Request: JSON-RPC batches are only accepted in protocol version 2025-03-26');
    }
    const extra = extraOf(request, session.id);
    if (requests.length === 0) return deliverOnly(session, payload, extra);
    return session.post(payload, requests, extra, o.responseMode === 'json');
  }

  /**
   * A POST of notifications and answers only: delivered, then 202. Not async: an answer to a
   * question delivered at once gets its 202 with no promise made for it (bench f).
   */
  function deliverOnly(session: HttpSession, payload: unknown, extra: MessageExtra): ServerReply | Promise<ServerReply> {
    const relay = store.relay;
    if (relay) return deliverRelayed(session, payload, extra, relay);
    const delivering = session.deliver(payload, extra);
    // A durable store: the record no longer says "not initialized" before the 202, or a
    // crash after it restores a session whose asks wait for a notification never sent again.
    if (holdsInitialized(payload)) return (delivering ?? Promise.resolve()).then(() => session.saved()).then(() => emptyReply(202));
    return delivering ? delivering.then(() => emptyReply(202)) : emptyReply(202);
  }

  /** {@link deliverOnly} with a shared store: answers to other instances' questions are relayed. */
  async function deliverRelayed(session: HttpSession, payload: unknown, extra: MessageExtra, relay: NonNullable<typeof store.relay>): Promise<ServerReply> {
    const { relayForeignAnswers, shareInitialized } = recovery.loaded ?? await recovery.load();
    const local = await relayForeignAnswers(session, payload, relay);
    if (local !== undefined) await session.deliver(local, extra);
    // The initialize, and calls that ask, may have run on another instance (server-recovery.ts).
    if (holdsInitialized(payload)) await shareInitialized(session, relay);
    return emptyReply(202);
  }

  async function get(request: InboundRequest): Promise<ServerReply> {
    if (options.enableGetStream === false) return errorReply(405, 'Method Not Allowed: this server offers no standalone stream', ErrorCode.InvalidRequest, undefined, { allow: 'POST, DELETE' });
    const bad = checkGetHeaders(request);
    if (bad) return bad;
    return inSession(request, (session) => session.get(request.header('last-event-id') ?? undefined));
  }

  async function del(request: InboundRequest): Promise<ServerReply> {
    if (options.enableDelete === false) return errorReply(405, 'Method Not Allowed: sessions cannot be ended by the client', ErrorCode.InvalidRequest, undefined, { allow: 'GET, POST' });
    return inSession(request, async (session) => {
      // Shared store: a delete Redis refused (full, away) leaves the session live on every other
      // instance, so not 200 but 507; the client's DELETE again loads it and ends it
      // (2025-11-25 basic/transports#session-management).
      await endSession(session, false, sharedStore);
      return emptyReply(200);
    });
  }

  /** What refuses a request whatever its method: shutting down, another path, a peer not allowed. */
  function refusal(request: InboundRequest): ServerReply | undefined {
    if (closed) return errorReply(503, 'Service Unavailable: the server is shutting down', ErrorCode.InternalError);
    return request.path !== o.path ? wrongPath(request.path, o.path) : peers.check(request);
  }

  /** Not async: a POST's reply is the promise `post` makes, with only a `catch` around it. */
  function exchange(request: InboundRequest): Promise<ServerReply> {
    try {
      const refused = refusal(request);
      if (refused) return Promise.resolve(refused);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    try {
      switch (request.method) {
        case 'POST': return post(request); // its failures are its replies (failed)
        case 'GET': return get(request).catch(failed);
        case 'DELETE': return del(request).catch(failed);
        default: return Promise.resolve(errorReply(405, `Method Not Allowed: ${request.method}`, ErrorCode.InvalidRequest, undefined, { allow: 'GET, POST, DELETE' }));
      }
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }

  /** {@link exchange} through `sink`: a POST read with the adapter's callback makes no promise when its reply is ready at once (an answer's 202, bench f). */
  function exchangeTo(request: InboundRequest, sink: ReplySink): void {
    if (request.method !== 'POST' || request.readText === undefined) return replyTo(exchange(request), sink);
    try {
      const refused = refusal(request) ?? checkPostHeaders(request);
      if (refused) sink.replied(refused);
      else readPostTo(request, o.maxBodyBytes, postBody, failed, sink);
    } catch (error) {
      sink.failed(error as Error);
    }
  }

  /** The reply to a request whose handling failed (reported through onError); `id`: its single request. */
  function failed(error: unknown, id?: RequestId): ServerReply {
    report(error as Error);
    return failureReply(error, id);
  }

  return {
    get sessionCount() { return sessions.size; },
    exchange,
    exchangeTo: exchangeToOf(exchangeTo, exchange),
    listeningOn: (address) => peers.listeningOn(address),
    async handle(request) {
      const { fromWebRequest, toWebResponse } = webAdapter.loaded ?? await webAdapter.load();
      return toWebResponse(await exchange(fromWebRequest(request)));
    },
    async restore() {
      // A shared store serves sessions by id when they are asked for, not all at start.
      if (sharedStore) return 0;
      const [{ restoreSessions }] = await Promise.all([recovery.load(), repeats.load()]);
      return restoreSessions(store, { sessions, newSession, attach, report, recoverInflight: options.recoverInflight === true });
    },
    async close() {
      closed = true;
      stopRelay?.();
      if (sweepTimer !== undefined) timers.clearTimeout(sweepTimer);
      keepAlive?.stop();
      await Promise.allSettled([...sessions.values()].map((s) => s.close('shutdown')));
      jsonTurns?.stop();
      if (ownStore) await store.close();
    },
  };
}
