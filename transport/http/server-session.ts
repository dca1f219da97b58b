/**
 * One HTTP session of the Streamable HTTP server: the Transport its MCP session talks
 * to, its streams, and the routing rule "every message on exactly one stream"
 * (2025-11-25 basic/transports: multiple connections).
 */
import {
  LocalErrorCode, McpError,
  type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse, type MessageExtra, type RequestId, type SendOptions, type Transport,
  type TransportHandlers,
} from '../../protocol/index.ts';
import { isRequest, isResponse } from '../../protocol/jsonrpc.ts';
import { parseEventId } from '../event-store/event-id.ts';
import type { SessionEventStore } from '../event-store/index.ts';
import { ServerStream, type StreamSettings } from './server-stream.ts';
import { errorReply } from './server-guards.ts';
import { sseReply, type Reply } from './exchange.ts';
import { SseConnection } from './sse-connection.ts';
import { encodeSseMessage } from '../sse/index.ts';
import type { PendingRequestBudget } from './server-quotas.ts';

/** The standalone GET stream's id within its session. */
const STANDALONE = 'standalone';

interface InflightRecord {
  streamId: string;
  token: string;
  requests: JsonRpcRequest[];
}

/** What every session of one server shares (one object per server, not per session). */
export interface HttpSessionShared {
  store: SessionEventStore;
  settings: StreamSettings;
  retryMs: number;
  maxConnectionMs: number | undefined;
  recoverInflight: boolean;
  /** Server-wide cap on server-to-client requests awaiting answers. */
  budget?: PendingRequestBudget;
  now(): number;
  onClosed(session: HttpSession): void;
}

export class HttpSession {
  readonly id: string;
  protocolVersion: string | undefined;
  lastUsed: number;
  /** Told each response once it is written (the server watches its initialize with it). */
  onResponse: ((response: JsonRpcResponse) => void) | undefined;
  #options: HttpSessionShared;
  #handlers: TransportHandlers | undefined;
  // The maps below are made on first use and dropped when empty: an idle session (most of
  // a busy server's) carries none of them.
  #byRequest: Map<RequestId, ServerStream> | undefined;
  #byToken: Map<string, ServerStream> | undefined;
  #standalone: ServerStream | undefined;
  #streamCounter = 0;
  #closed = false;
  #appMeta: Record<string, unknown> | undefined;
  #inflight: Map<string, InflightRecord> | undefined;
  /** Recently cancelled request ids: what their handlers still emit is dropped, not rerouted. */
  #cancelled: Set<RequestId> | undefined;

  constructor(id: string, shared: HttpSessionShared) {
    this.id = id;
    this.#options = shared;
    this.lastUsed = shared.now();
  }

  /** The Transport its MCP session talks to: the session itself. */
  get transport(): Transport { return this; }
  get sessionId(): string { return this.id; }

  async start(handlers: TransportHandlers): Promise<void> {
    this.#handlers = handlers;
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): Promise<void> {
    return this.#route(message, options);
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  /** 2025-11-25 basic/transports: a priming event (id, empty data) and a retry hint first. */
  primingFor(): { retryMs: number } | undefined {
    return this.#polling() ? { retryMs: this.#options.retryMs } : undefined;
  }

  get closed(): boolean { return this.#closed; }
  /** True while some connection is open (the session is in use, whatever its idle time). */
  get connected(): boolean {
    if (this.#standalone?.connected) return true;
    if (this.#byRequest) for (const s of this.#byRequest.values()) if (s.connected) return true;
    return false;
  }

  /** True while a call runs or a connection is open: not to be evicted for room. */
  get busy(): boolean { return this.#byRequest !== undefined || this.connected; }

  /** Hand inbound messages to the MCP session. */
  deliver(payload: unknown, extra: MessageExtra): void {
    for (const m of Array.isArray(payload) ? payload : [payload]) this.#noteCancellation(m);
    this.#options.budget?.inbound(this.id, payload);
    this.#handlers?.onMessage(payload, extra);
  }

  /**
   * A cancelled request gets no response, so its stream would never finish and a restart
   * would re-run it: finish its stream and forget it as in flight.
   */
  #noteCancellation(message: unknown): void {
    const m = message as { method?: unknown; params?: { requestId?: unknown } };
    if (m?.method !== 'notifications/cancelled') return;
    const id = m.params?.requestId;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const stream = this.#byRequest?.get(id);
    if (!stream) return;
    this.#unroute(id);
    const cancelled = (this.#cancelled ??= new Set());
    cancelled.add(id);
    if (cancelled.size > 1024) cancelled.delete(cancelled.values().next().value!);
    stream.cancelRequest(id);
    if (stream.finished) this.#finish(stream);
  }

  /** POST carrying at least one request: open its stream and answer with SSE or JSON. */
  async post(payload: unknown, requests: JsonRpcRequest[], extra: MessageExtra, json: boolean, headers: Record<string, string>): Promise<Reply> {
    for (const r of requests) {
      if (this.#byRequest?.has(r.id)) return errorReply(400, `Bad Request: request id ${JSON.stringify(r.id)} is already in flight`, -32600, r.id);
    }
    const stream = this.#newStream(`p${++this.#streamCounter}`, 'post');
    const byRequest = (this.#byRequest ??= new Map());
    for (const r of requests) {
      stream.pending!.add(r.id);
      byRequest.set(r.id, stream);
    }
    if (json) {
      const pending = new Promise<Reply>((resolve) => stream.replyWithJson({ responses: [], resolve }));
      this.deliver(payload, extra);
      const reply = await pending;
      Object.assign(reply.headers, headers);
      return reply;
    }
    const conn = new SseConnection(this.#options.settings, this.#pollingMs());
    const attached = stream.attach(conn).then(() => this.#track(stream, requests));
    // 2025-11-25 basic/transports: only a stream that sent a priming event can be resumed.
    const closeConnection = () => {
      if (!this.#polling()) return false;
      stream.disconnect();
      return true;
    };
    this.deliver(payload, { ...extra, closeConnection });
    await attached;
    return sseReply(conn, headers);
  }

  /** GET: the standalone stream, or the resumption of any stream with `Last-Event-ID`. */
  async get(lastEventId: string | undefined): Promise<Reply> {
    if (lastEventId === undefined) {
      if (this.#standalone?.connected) return errorReply(409, 'Conflict: this session already has a standalone SSE stream open');
      this.#standalone ??= this.#newStream(STANDALONE, 'standalone');
      const conn = new SseConnection(this.#options.settings, this.#pollingMs());
      await this.#standalone.attach(conn);
      this.#register(this.#standalone);
      return sseReply(conn);
    }
    const parsed = parseEventId(lastEventId);
    if (!parsed) return errorReply(400, 'Bad Request: malformed Last-Event-ID');
    const conn = new SseConnection(this.#options.settings, this.#pollingMs());
    const live = this.#byToken?.get(parsed.token);
    try {
      if (live) await live.resume(lastEventId, conn);
      else {
        // A finished stream (or one from before a restart): replay its rest, then end.
        await this.#options.store.replayAfter(lastEventId, (id, message) => { conn.send(encodeSseMessage(message, id)); }, this.id);
        conn.end();
      }
    } catch (error) {
      conn.end();
      return resumeFailure(error);
    }
    return sseReply(conn);
  }

  /**
   * After a restart: the application state restored from the store, kept so the next save
   * (a call going in flight) writes it again instead of dropping it.
   */
  adoptState(meta: Record<string, unknown> | undefined): void {
    this.#appMeta = meta;
  }

  /** Remember what the application wants restored after a restart. */
  async saveState(meta: Record<string, unknown>): Promise<void> {
    this.#appMeta = meta;
    await this.#persist();
  }

  /**
   * After a restart: re-run the requests that were in flight, on streams that keep their
   * tokens, so clients resume them with the ids they hold.
   */
  async recover(inflight: InflightRecord[]): Promise<void> {
    for (const record of inflight) {
      const stream = this.#newStream(record.streamId, 'post');
      const history: JsonRpcMessage[] = [];
      await this.#options.store.replayAfter(`${record.token}.0`, (_id, m) => { history.push(m); }, this.id);
      stream.guardReplay(history);
      await stream.open();
      (this.#byToken ??= new Map()).set(record.token, stream);
      (this.#inflight ??= new Map()).set(record.streamId, record);
      const byRequest = (this.#byRequest ??= new Map());
      for (const r of record.requests) {
        stream.pending!.add(r.id);
        byRequest.set(r.id, stream);
      }
      for (const r of record.requests) this.deliver(r, { sessionId: this.id });
    }
  }

  /** End the session: its MCP session closes (aborting handlers) and its history is dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of new Set([...this.#byRequest?.values() ?? [], ...this.#byToken?.values() ?? []])) s.close();
    this.#standalone?.close();
    this.#options.budget?.forget(this.id);
    this.#handlers?.onClose();
    this.#options.onClosed(this);
  }

  async #route(message: JsonRpcMessage | JsonRpcMessage[], options: SendOptions | undefined): Promise<void> {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, `session ${this.id} is closed`);
    for (const m of Array.isArray(message) ? message : [message]) await this.#routeOne(m, options);
  }

  async #routeOne(message: JsonRpcMessage, options: SendOptions | undefined): Promise<void> {
    if (isResponse(message)) {
      const id = message.id;
      const stream = id === undefined || id === null ? undefined : this.#byRequest?.get(id);
      if (!stream) {
        this.#options.settings.onError(new McpError(LocalErrorCode.Protocol, `no stream carries the response to ${JSON.stringify(id)}; dropped`));
        return;
      }
      this.#unroute(id!);
      await stream.write(message);
      if (stream.finished) this.#finish(stream);
      this.onResponse?.(message);
      return;
    }
    this.#options.budget?.outbound(this.id, message);
    if (options?.relatedRequestId !== undefined && this.#cancelled?.has(options.relatedRequestId)) return;
    const related = options?.relatedRequestId === undefined ? undefined : this.#byRequest?.get(options.relatedRequestId);
    // Never fall back to the GET stream while the request's own stream is alive.
    if (related && !related.finished) return related.write(message);
    if (this.#standalone) return this.#standalone.write(message);
    if (isRequest(message)) {
      this.#options.budget?.inbound(this.id, { id: message.id }); // never sent: its slot is given back
      throw new McpError(LocalErrorCode.NotConnected, `cannot send ${message.method}: the client has no standalone GET stream open`);
    }
    // An unrelated notification with no stream to carry it: nobody is listening.
  }

  #newStream(streamId: string, kind: 'post' | 'standalone'): ServerStream {
    return new ServerStream({ key: { sessionId: this.id, streamId }, kind, settings: this.#options.settings, session: this });
  }

  #unroute(id: RequestId): void {
    const byRequest = this.#byRequest!;
    byRequest.delete(id);
    if (byRequest.size === 0) this.#byRequest = undefined;
  }

  #polling(): boolean {
    const v = this.protocolVersion;
    return v !== undefined && v >= '2025-11-25';
  }

  #pollingMs(): number | undefined {
    return this.#polling() ? this.#options.maxConnectionMs : undefined;
  }

  #register(stream: ServerStream): void {
    void stream.open().then((startId) => { (this.#byToken ??= new Map()).set(tokenOf(startId), stream); });
  }

  async #track(stream: ServerStream, requests: JsonRpcRequest[]): Promise<void> {
    const startId = await stream.open();
    const token = tokenOf(startId);
    if (!stream.finished) (this.#byToken ??= new Map()).set(token, stream);
    if (this.#options.recoverInflight && !stream.finished) {
      (this.#inflight ??= new Map()).set(stream.key.streamId, { streamId: stream.key.streamId, token, requests });
      await this.#persist();
    }
  }

  #finish(stream: ServerStream): void {
    // The store may drop a finished stream's history after its retention window.
    this.#options.store.endStream?.(stream.key).catch((e: Error) => this.#options.settings.onError(e));
    const byToken = this.#byToken;
    if (byToken) {
      for (const [token, s] of byToken) if (s === stream) byToken.delete(token);
      if (byToken.size === 0) this.#byToken = undefined;
    }
    if (this.#inflight?.delete(stream.key.streamId)) {
      if (this.#inflight.size === 0) this.#inflight = undefined;
      void this.#persist();
    }
  }

  async #persist(): Promise<void> {
    const meta: Record<string, unknown> = { app: this.#appMeta ?? null, protocolVersion: this.protocolVersion ?? null };
    if (this.#inflight) meta.inflight = [...this.#inflight.values()];
    await this.#options.store.saveSession(this.id, meta).catch((e: Error) => this.#options.settings.onError(e));
  }
}

/** The stream token part of an event id (`<token>.<seq>`). */
function tokenOf(eventId: string): string {
  return eventId.slice(0, eventId.indexOf('.'));
}

/** Map a failed resume to a status: malformed or foreign ids 400, lost history 410. */
function resumeFailure(error: unknown): Reply {
  const reason = (error as { reason?: string }).reason;
  const message = error instanceof Error ? error.message : String(error);
  if (reason === 'evicted') return errorReply(410, `Gone: ${message}`);
  if (reason === 'malformed' || reason === 'unknown' || reason === 'wrong-session') return errorReply(400, `Bad Request: ${message}`);
  return errorReply(500, `Internal error while resuming: ${message}`, -32603);
}

export type { InflightRecord };
