/**
 * The client side of the legacy Streamable HTTP transport (2025-03-26 .. 2025-11-25
 * basic/transports): every message is a POST, answered with JSON or an SSE stream; an
 * optional GET stream carries what the server sends unprompted; a lost SSE stream is
 * resumed with GET + `Last-Event-ID`; `Mcp-Session-Id` and `MCP-Protocol-Version` go on
 * every request once known; closing DELETEs the session.
 */
import {
  DEFAULT_MAX_MESSAGE_BYTES, isNotification, isRequest, LocalErrorCode, McpError, parseJson, systemTimers,
  type JsonRpcMessage, type MessageExtra, type RequestId, type SendOptions, type Timers, type Transport, type TransportHandlers,
} from '../../protocol/index.ts';
import { createOwnedFetch, type FetchLike, type OwnedFetch } from './client-fetch.ts';
import { checkSessionId, discardBody, httpErrorFrom, mediaTypeOf, readBodyText } from './client-response.ts';
import { createEventStream, type EventStream, type EventStreamInit, type StreamConnection, type StreamDeps } from './client-streams.ts';
import { createReconnectPolicy, type ReconnectOptions } from './reconnect.ts';

/** Options of {@link createHttpClientTransport}. */
export interface HttpClientTransportOptions {
  /** The server's MCP endpoint. */
  url: string | URL;
  /** Reaches the server. Default: undici's fetch over a keep-alive Agent closed by `close()`. */
  fetch?: FetchLike;
  /** Extra headers on every request (e.g. `Authorization`); the protocol's own headers win. */
  headers?: Readonly<Record<string, string>>;
  /** Rejoin an existing session (e.g. from a stored token) instead of learning one from initialize. */
  sessionId?: string;
  /** The protocol version negotiated earlier, when rejoining a session. */
  protocolVersion?: string;
  /** Open the standalone GET stream once the session is initialized. Default true. */
  openStandaloneStream?: boolean;
  /** Reconnection of lost SSE streams; see {@link ReconnectOptions} for the defaults. */
  reconnect?: ReconnectOptions;
  /** Largest inbound message in bytes: one SSE event, or one JSON response body. Default 4 MiB. */
  maxEventBytes?: number;
  /** How long `close()` waits for the DELETE of the session. Default 5 000 ms. */
  closeTimeoutMs?: number;
  /** The server forgot the session (HTTP 404); the client must initialize again. */
  onSessionExpired?: (sessionId: string) => void;
  /** Timers for reconnection delays and the close timeout. Default: the platform's. */
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
}

/** Options of {@link HttpClientTransport.resume}. */
export interface ResumeOptions {
  /** Told each event id seen on the resumed stream. */
  onResumptionToken?: (token: string) => void;
  /** The requests whose responses travel on that stream; once all arrived, it ends. */
  requestIds?: RequestId[];
}

/** A Streamable HTTP client transport. */
export interface HttpClientTransport extends Transport {
  /** The session id, once the server issued one (or the one given to rejoin). */
  readonly sessionId: string | undefined;
  /** The protocol version sent in `MCP-Protocol-Version`, once known. */
  readonly protocolVersion: string | undefined;
  /**
   * Resume a request's SSE stream from a stored event id, e.g. in a new process: GET with
   * `Last-Event-ID`. Resolves once the stream is open; the replayed and live messages are
   * delivered like any others, and the stream is resumed again if it drops. Rejects with an
   * HttpError when the server refuses (404: session gone; 400/410: unknown or evicted id).
   */
  resume(lastEventId: string, options?: ResumeOptions): Promise<void>;
  /**
   * DELETE the session without closing the transport. Resolves true when the session is
   * gone (the id is forgotten), false when the server does not allow it (405).
   */
  terminateSession(): Promise<boolean>;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

const closedError = (what: string): McpError => new McpError(LocalErrorCode.Closed, `cannot ${what}: the HTTP transport is closed`);

/** Create the client side of a Streamable HTTP transport (see the module comment). */
export function createHttpClientTransport(options: HttpClientTransportOptions): HttpClientTransport {
  const url = String(options.url);
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const timers = options.timers ?? systemTimers;
  const policy = createReconnectPolicy(options.reconnect);
  const owned: OwnedFetch | undefined = options.fetch ? undefined : createOwnedFetch();
  const fetchImpl: FetchLike = options.fetch ?? (owned as OwnedFetch).fetch;
  let sessionId = options.sessionId;
  let protocolVersion = options.protocolVersion;
  let handlers: TransportHandlers | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** `notifications/initialized` went through, or a session was given to rejoin. */
  let initialized = sessionId !== undefined;
  let standalone: EventStream | undefined;
  /** Fetches in flight and bodies being drained; aborted by close(). */
  const inflight = new Set<AbortController>();
  const streams = new Set<EventStream>();
  const running = new Set<Promise<void>>();

  function reportError(error: Error): void {
    if (!closed) handlers?.onError(error);
  }

  function headersFor(method: 'POST' | 'GET' | 'DELETE', lastEventId?: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    // 2025-11-25 basic/transports: POST accepts both JSON and SSE; GET accepts SSE.
    if (method === 'POST') {
      headers.accept = 'application/json, text/event-stream';
      headers['content-type'] = 'application/json';
    } else if (method === 'GET') headers.accept = 'text/event-stream';
    // 2025-11-25 basic/transports, session management: the id goes on every later request.
    if (sessionId !== undefined) headers['mcp-session-id'] = sessionId;
    // 2025-06-18+ basic/transports: MCP-Protocol-Version on every request after initialize.
    if (protocolVersion !== undefined) headers['mcp-protocol-version'] = protocolVersion;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    return headers;
  }

  const streamDeps: StreamDeps = {
    get: (lastEventId, signal) => fetchImpl(url, { method: 'GET', headers: headersFor('GET', lastEventId), signal }),
    deliver(value, relatedRequestId) {
      if (closed || !handlers) return;
      const extra: MessageExtra = {};
      if (relatedRequestId !== undefined) extra.relatedRequestId = relatedRequestId;
      if (sessionId !== undefined) extra.sessionId = sessionId;
      try {
        handlers.onMessage(value, extra);
      } catch (error) {
        reportError(asError(error));
      }
    },
    requestFailed(id, error) {
      if (closed || !handlers) return;
      if (handlers.onRequestFailed) handlers.onRequestFailed(id, error);
      else handlers.onError(error);
    },
    reportError,
    policy,
    timers,
    maxEventBytes,
  };

  function launch(init: EventStreamInit, first?: StreamConnection): EventStream {
    const stream = createEventStream(streamDeps, init);
    streams.add(stream);
    const done = stream.run(first).finally(() => {
      streams.delete(stream);
      running.delete(done);
      if (standalone === stream) standalone = undefined;
    });
    running.add(done);
    return stream;
  }

  function maybeOpenStandalone(): void {
    if (closed || !handlers || standalone || options.openStandaloneStream === false) return;
    if (!initialized || protocolVersion === undefined) return;
    standalone = launch({ kind: 'standalone' });
  }

  /** The server forgot `oldId` (2025-11-25 basic/transports: 404 means re-initialize). */
  function expire(oldId: string): void {
    if (sessionId !== oldId) return; // already handled, or a new session took its place
    sessionId = undefined;
    initialized = false;
    standalone?.stop();
    try {
      options.onSessionExpired?.(oldId);
    } catch (error) {
      reportError(asError(error));
    }
  }

  function drain(response: Response, controller: AbortController): void {
    inflight.add(controller);
    const done = discardBody(response, maxEventBytes, controller.signal, (e) => reportError(asError(e)))
      .catch((e: unknown) => reportError(new McpError(LocalErrorCode.Http, 'reading an ignored response body failed', { cause: e })))
      .finally(() => {
        inflight.delete(controller);
        running.delete(done);
      });
    running.add(done);
  }

  async function post(messages: JsonRpcMessage[], body: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions): Promise<void> {
    const requestIds = messages.filter(isRequest).map((m) => m.id);
    const isInitialize = messages.some((m) => isRequest(m) && m.method === 'initialize');
    const sentWith = sessionId;
    const controller = new AbortController();
    inflight.add(controller);
    let handedOver = false;
    try {
      let response: Response;
      try {
        response = await fetchImpl(url, { method: 'POST', headers: headersFor('POST'), body: JSON.stringify(body), signal: controller.signal });
      } catch (error) {
        if (closed) throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed while sending', { cause: error });
        throw new McpError(LocalErrorCode.Http, `POST failed: ${asError(error).message}`, { cause: error });
      }
      if (!response.ok) {
        if (response.status === 404 && sentWith !== undefined) {
          const error = await httpErrorFrom(response, 'POST', 'the session expired (the server answered 404 to its session id) and must be re-initialized');
          expire(sentWith);
          throw error;
        }
        throw await httpErrorFrom(response, 'POST');
      }
      if (isInitialize) {
        const issued = response.headers.get('mcp-session-id');
        if (issued !== null) {
          const checked = checkSessionId(issued);
          if (checked instanceof McpError) {
            await response.body?.cancel().catch((e: unknown) => reportError(asError(e)));
            throw checked;
          }
          sessionId = checked;
        }
      }
      if (messages.some((m) => isNotification(m) && m.method === 'notifications/initialized')) {
        initialized = true;
        maybeOpenStandalone();
      }
      // 2025-11-25 basic/transports: notifications and responses get 202 with no body; a
      // body sent anyway is read and dropped.
      if (response.status === 202 || requestIds.length === 0) {
        handedOver = true;
        inflight.delete(controller);
        drain(response, controller);
        return;
      }
      const related = requestIds.length === 1 ? requestIds[0] : undefined;
      const type = mediaTypeOf(response);
      if (type === 'text/event-stream') {
        if (closed) throw closedError('read the response stream');
        handedOver = true;
        inflight.delete(controller);
        const init: EventStreamInit = { kind: 'post', awaiting: requestIds };
        if (related !== undefined) init.relatedRequestId = related;
        if (sendOptions.onResumptionToken) init.onResumptionToken = sendOptions.onResumptionToken;
        launch(init, { response, controller });
        return;
      }
      if (type === 'application/json') {
        const text = await readBodyText(response, maxEventBytes);
        streamDeps.deliver(parseJson(text), related);
        return;
      }
      await response.body?.cancel().catch((e: unknown) => reportError(asError(e)));
      throw new McpError(LocalErrorCode.Protocol, `the server answered a POST with content type ${JSON.stringify(type)}, neither application/json nor text/event-stream`);
    } finally {
      if (!handedOver) inflight.delete(controller);
    }
  }

  /** DELETE the session; true when it is gone, false on 405. */
  async function deleteSession(signal?: AbortSignal): Promise<boolean> {
    const id = sessionId;
    if (id === undefined) return true;
    let response: Response;
    try {
      response = await fetchImpl(url, { method: 'DELETE', headers: headersFor('DELETE'), ...(signal ? { signal } : {}) });
    } catch (error) {
      throw new McpError(LocalErrorCode.Http, `DELETE of the session failed: ${asError(error).message}`, { cause: error });
    }
    // 2025-11-25 basic/transports: the server MAY refuse client termination with 405.
    if (response.status === 405) {
      await response.body?.cancel();
      return false;
    }
    if (!response.ok && response.status !== 404) throw await httpErrorFrom(response, 'DELETE of the session');
    await response.body?.cancel();
    if (sessionId === id) {
      sessionId = undefined;
      initialized = false;
      standalone?.stop();
    }
    return true;
  }

  async function closeNow(): Promise<void> {
    closed = true;
    const reason = new McpError(LocalErrorCode.Closed, 'the HTTP transport closed');
    for (const controller of inflight) controller.abort(reason);
    for (const stream of streams) stream.stop();
    await Promise.allSettled([...running]);
    const problems: Error[] = [];
    if (sessionId !== undefined) {
      // 2025-11-25 basic/transports: a client leaving the session SHOULD send DELETE.
      const controller = new AbortController();
      const timer = timers.setTimeout(() => controller.abort(new McpError(LocalErrorCode.Timeout, `DELETE took longer than ${closeTimeoutMs} ms`)), closeTimeoutMs);
      try {
        await deleteSession(controller.signal);
      } catch (error) {
        problems.push(asError(error));
      } finally {
        timers.clearTimeout(timer);
      }
    }
    try {
      await owned?.close();
    } catch (error) {
      problems.push(asError(error));
    }
    // Faults while closing are reported before onClose; close() itself succeeds.
    for (const problem of problems) handlers?.onError(problem);
    handlers?.onClose();
  }

  const transport: HttpClientTransport = {
    get sessionId() {
      return sessionId;
    },
    get protocolVersion() {
      return protocolVersion;
    },

    async start(h) {
      if (handlers) throw new McpError(LocalErrorCode.State, 'the HTTP transport was already started');
      if (closed) throw closedError('start');
      handlers = h;
      maybeOpenStandalone(); // a rejoined session
    },

    async send(message, sendOptions = {}) {
      if (closed) throw closedError('send');
      if (!handlers) throw new McpError(LocalErrorCode.NotConnected, 'cannot send: the HTTP transport was not started');
      const messages = Array.isArray(message) ? message : [message];
      for (const m of messages) {
        // A cancelled request's response is not coming; its stream need not be resumed.
        if (isNotification(m) && m.method === 'notifications/cancelled') {
          const id = m.params?.requestId;
          if (typeof id === 'string' || typeof id === 'number') for (const stream of streams) stream.abandon(id);
        }
      }
      await post(messages, message, sendOptions);
    },

    setProtocolVersion(version) {
      protocolVersion = version;
      maybeOpenStandalone();
    },

    async resume(lastEventId, resumeOptions = {}) {
      if (closed) throw closedError('resume');
      if (!handlers) throw new McpError(LocalErrorCode.NotConnected, 'cannot resume: the HTTP transport was not started');
      const controller = new AbortController();
      inflight.add(controller);
      let handedOver = false;
      try {
        let response: Response;
        try {
          response = await streamDeps.get(lastEventId, controller.signal);
        } catch (error) {
          throw new McpError(closed ? LocalErrorCode.Closed : LocalErrorCode.Http, `GET to resume from event ${JSON.stringify(lastEventId)} failed: ${asError(error).message}`, { cause: error });
        }
        if (!response.ok) throw await httpErrorFrom(response, `GET to resume from event ${JSON.stringify(lastEventId)}`);
        if (mediaTypeOf(response) !== 'text/event-stream') {
          await response.body?.cancel().catch((e: unknown) => reportError(asError(e)));
          throw new McpError(LocalErrorCode.Protocol, `the server answered a resuming GET with ${JSON.stringify(mediaTypeOf(response))}, not text/event-stream`);
        }
        if (closed) throw closedError('resume');
        const ids = resumeOptions.requestIds ?? [];
        const init: EventStreamInit = { kind: 'resume', awaiting: ids, lastEventId };
        if (ids.length === 1) init.relatedRequestId = ids[0] as RequestId;
        if (resumeOptions.onResumptionToken) init.onResumptionToken = resumeOptions.onResumptionToken;
        handedOver = true;
        inflight.delete(controller);
        launch(init, { response, controller });
      } finally {
        if (!handedOver) inflight.delete(controller);
      }
    },

    async terminateSession() {
      if (closed) throw closedError('terminate the session');
      return deleteSession();
    },

    close() {
      closing ??= closeNow();
      return closing;
    },
  };
  return transport;
}

