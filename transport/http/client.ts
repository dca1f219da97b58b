/**
 * The client side of the legacy Streamable HTTP transport (2025-03-26 .. 2025-11-25
 * basic/transports): every message is a POST, answered with JSON or an SSE stream; an
 * optional GET stream carries what the server sends unprompted; a lost SSE stream is
 * resumed with GET + `Last-Event-ID`; `Mcp-Session-Id` and `MCP-Protocol-Version` go on
 * every request once known; closing DELETEs the session.
 */
import {
  LocalErrorCode, McpError, parseJson,
  type JsonRpcMessage, type MessageExtra, type RequestId, type SendOptions, type TransportHandlers,
} from '../../protocol/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../protocol/limits.ts';
import { isNotification, isRequest } from '../../protocol/jsonrpc.ts';
import { systemTimers } from '../../protocol/correlation.ts';
import { allowsBatches } from '../../protocol/versions.ts';
import type { Exchange, Exchanger, OutboundRequest, Reply } from './client-exchange.ts';
import { createFetchExchanger, type FetchLike } from './client-fetch.ts';
import { createRequestHeaders, type HeaderState } from './client-headers.ts';
import { checkSessionId, discardBody, httpErrorFrom, mediaTypeOf, readBodyText } from './client-response.ts';
import { createUndiciExchanger } from './client-undici.ts';
import { createEventStream, type EventStream, type EventStreamInit, type StreamConnection, type StreamDeps } from './client-streams.ts';
import type { HttpClientTransport, HttpClientTransportOptions } from './client-options.ts';
import { createReconnectPolicy } from './reconnect.ts';
import { asError } from '../../protocol/errors.ts';

export type { HttpClientTransport, HttpClientTransportOptions, ResumeOptions } from './client-options.ts';

const closedError = (what: string): McpError => new McpError(LocalErrorCode.Closed, `cannot ${what}: the HTTP transport is closed`);

const isOk = (reply: Reply): boolean => reply.status >= 200 && reply.status < 300;

/** What one POST carries, found in one pass over its messages. */
interface PostContents {
  requestIds: RequestId[];
  isInitialize: boolean;
  isInitialized: boolean;
}

function contentsOf(messages: readonly JsonRpcMessage[]): PostContents {
  const contents: PostContents = { requestIds: [], isInitialize: false, isInitialized: false };
  for (const m of messages) {
    if (isRequest(m)) {
      contents.requestIds.push(m.id);
      if (m.method === 'initialize') contents.isInitialize = true;
    } else if (isNotification(m) && m.method === 'notifications/initialized') contents.isInitialized = true;
  }
  return contents;
}

/** Create the client side of a Streamable HTTP transport (see the module comment). */
export function createHttpClientTransport(options: HttpClientTransportOptions): HttpClientTransport {
  const url = String(options.url);
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const timers = options.timers ?? systemTimers;
  const policy = createReconnectPolicy(options.reconnect);
  let sessionId = options.sessionId;
  let protocolVersion = options.protocolVersion;
  let handlers: TransportHandlers | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** `notifications/initialized` went through, or a session was given to rejoin. */
  let initialized = sessionId !== undefined;
  let standalone: EventStream | undefined;
  /** Requests in flight and bodies being drained; aborted by close(). */
  const inflight = new Set<Exchange>();
  const streams = new Set<EventStream>();
  const running = new Set<Promise<void>>();

  function reportError(error: Error): void {
    if (!closed) handlers?.onError(error);
  }

  const exchanger: Exchanger = options.fetch
    ? createFetchExchanger(options.fetch, url, (e) => reportError(asError(e)))
    : createUndiciExchanger(url, options.dispatcher);

  const headers = createRequestHeaders(options.headers);
  /** What the protocol's headers carry, read when a request is made. */
  const state: HeaderState = {
    get sessionId() {
      return sessionId;
    },
    get protocolVersion() {
      return protocolVersion;
    },
  };

  const streamDeps: StreamDeps = {
    get: (lastEventId) => exchanger.send({ method: 'GET', headers: headers.get(state, lastEventId) }),
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
    refuseBatch: (value) => refuseBatch(value),
  };

  /**
   * A JSON-RPC batch answered in a session whose version has none (2025-06-18 removed them):
   * an error for the requests it answers, at once, rather than a wait for their timeout.
   */
  function refuseBatch(value: unknown): McpError | undefined {
    if (!Array.isArray(value) || protocolVersion === undefined || allowsBatches(protocolVersion)) return undefined;
    return new McpError(LocalErrorCode.Protocol, `the server answered with a JSON-RPC batch, which protocol ${protocolVersion} does not have`);
  }

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

  /** Read and drop the body of `exchange` in the background; close() waits for it. */
  function drain(exchange: Exchange, reply: Reply): void {
    if (exchange.ended) {
      // The usual empty 202: all of it arrived with the head, the connection is free already.
      inflight.delete(exchange);
      return;
    }
    const done = discardBody(reply, exchange, maxEventBytes).then(
      () => {
        inflight.delete(exchange);
        running.delete(done);
      },
      (e: unknown) => {
        inflight.delete(exchange);
        running.delete(done);
        reportError(new McpError(LocalErrorCode.Http, 'reading an ignored response body failed', { cause: e }));
      },
    );
    running.add(done);
  }

  async function post(messages: JsonRpcMessage[], body: JsonRpcMessage | JsonRpcMessage[], sendOptions: SendOptions): Promise<void> {
    const { requestIds, isInitialize, isInitialized } = contentsOf(messages);
    const sentWith = sessionId;
    const request: OutboundRequest = { method: 'POST', headers: headers.post(state), body: JSON.stringify(body) };
    const exchange = exchanger.send(request);
    inflight.add(exchange);
    let handedOver = false;
    try {
      let reply: Reply;
      try {
        reply = await exchange.head;
      } catch (error) {
        if (closed) throw new McpError(LocalErrorCode.Closed, 'the HTTP transport closed while sending', { cause: error });
        throw new McpError(LocalErrorCode.Http, `POST failed: ${asError(error).message}`, { cause: error });
      }
      if (!isOk(reply)) {
        if (reply.status === 404 && sentWith !== undefined) {
          const error = await httpErrorFrom(reply, 'POST', 'the session expired (the server answered 404 to its session id) and must be re-initialized');
          expire(sentWith);
          throw error;
        }
        throw await httpErrorFrom(reply, 'POST');
      }
      if (isInitialize) {
        const issued = reply.header('mcp-session-id');
        if (issued !== undefined) {
          const checked = checkSessionId(issued);
          if (checked instanceof McpError) {
            exchange.abort(checked);
            throw checked;
          }
          sessionId = checked;
        }
      }
      if (isInitialized) {
        initialized = true;
        maybeOpenStandalone();
      }
      // 2025-11-25 basic/transports: notifications and responses get 202 with no body; a
      // body sent anyway is read and dropped.
      if (reply.status === 202 || requestIds.length === 0) {
        handedOver = true;
        drain(exchange, reply);
        return;
      }
      const related = requestIds.length === 1 ? requestIds[0] : undefined;
      const type = mediaTypeOf(reply);
      if (type === 'text/event-stream') {
        if (closed) throw closedError('read the response stream');
        handedOver = true;
        inflight.delete(exchange);
        const init: EventStreamInit = { kind: 'post', awaiting: requestIds };
        if (related !== undefined) init.relatedRequestId = related;
        if (sendOptions.onResumptionToken) init.onResumptionToken = sendOptions.onResumptionToken;
        launch(init, { exchange, reply });
        return;
      }
      if (type === 'application/json') {
        const value = parseJson(await readBodyText(reply, maxEventBytes));
        const refused = refuseBatch(value);
        if (refused) throw refused;
        streamDeps.deliver(value, related);
        return;
      }
      const error = new McpError(LocalErrorCode.Protocol, `the server answered a POST with content type ${JSON.stringify(type)}, neither application/json nor text/event-stream`);
      exchange.abort(error);
      throw error;
    } finally {
      if (!handedOver) inflight.delete(exchange);
    }
  }

  /** DELETE the session; true when it is gone, false on 405. */
  async function deleteSession(timeoutMs?: number): Promise<boolean> {
    const id = sessionId;
    if (id === undefined) return true;
    const exchange = exchanger.send({ method: 'DELETE', headers: headers.delete(state) });
    const timer = timeoutMs === undefined ? undefined
      : timers.setTimeout(() => exchange.abort(new McpError(LocalErrorCode.Timeout, `DELETE took longer than ${timeoutMs} ms`)), timeoutMs);
    let reply: Reply;
    try {
      reply = await exchange.head;
    } catch (error) {
      throw new McpError(LocalErrorCode.Http, `DELETE of the session failed: ${asError(error).message}`, { cause: error });
    } finally {
      if (timer !== undefined) timers.clearTimeout(timer);
    }
    // 2025-11-25 basic/transports: the server MAY refuse client termination with 405.
    const done = new McpError(LocalErrorCode.Closed, 'the body of a DELETE reply is not read');
    if (reply.status === 405) {
      exchange.abort(done);
      return false;
    }
    if (!isOk(reply) && reply.status !== 404) throw await httpErrorFrom(reply, 'DELETE of the session');
    exchange.abort(done);
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
    for (const exchange of inflight) exchange.abort(reason);
    for (const stream of streams) stream.stop();
    await Promise.allSettled([...running]);
    const problems: Error[] = [];
    if (sessionId !== undefined) {
      // 2025-11-25 basic/transports: a client leaving the session SHOULD send DELETE.
      try {
        await deleteSession(closeTimeoutMs);
      } catch (error) {
        problems.push(asError(error));
      }
    }
    try {
      await exchanger.close();
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
      const exchange = streamDeps.get(lastEventId);
      inflight.add(exchange);
      let handedOver = false;
      try {
        let reply: Reply;
        try {
          reply = await exchange.head;
        } catch (error) {
          throw new McpError(closed ? LocalErrorCode.Closed : LocalErrorCode.Http, `GET to resume from event ${JSON.stringify(lastEventId)} failed: ${asError(error).message}`, { cause: error });
        }
        if (!isOk(reply)) throw await httpErrorFrom(reply, `GET to resume from event ${JSON.stringify(lastEventId)}`);
        if (mediaTypeOf(reply) !== 'text/event-stream') {
          const error = new McpError(LocalErrorCode.Protocol, `the server answered a resuming GET with ${JSON.stringify(mediaTypeOf(reply))}, not text/event-stream`);
          exchange.abort(error);
          throw error;
        }
        if (closed) throw closedError('resume');
        const ids = resumeOptions.requestIds ?? [];
        const init: EventStreamInit = { kind: 'resume', awaiting: ids, lastEventId };
        if (ids.length === 1) init.relatedRequestId = ids[0] as RequestId;
        if (resumeOptions.onResumptionToken) init.onResumptionToken = resumeOptions.onResumptionToken;
        handedOver = true;
        inflight.delete(exchange);
        launch(init, { exchange, reply });
      } finally {
        if (!handedOver) inflight.delete(exchange);
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
