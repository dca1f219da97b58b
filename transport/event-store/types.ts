/**
 * The EventStore contract: resumable history of the SSE streams of the legacy Streamable
 * HTTP transport (2025-11-25 basic/transports: "Resumability and redelivery").
 *
 * A server puts an id on each event it sends; a client that lost the connection GETs the
 * endpoint with `Last-Event-ID`, and the server replays what followed on *that* stream, then
 * continues it. The store keeps that history. Every implementation runs the behavioural
 * suite in `contract.ts`.
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';

/** Names one SSE stream. A stream belongs to exactly one session. */
export interface StreamKey {
  readonly sessionId: string;
  readonly streamId: string;
}

/**
 * Receives one replayed event. A returned promise is awaited before the next event, so a
 * handler can apply backpressure (e.g. wait for the response body to drain).
 */
export type ReplayHandler = (eventId: string, message: JsonRpcMessage) => void | Promise<void>;

/**
 * Stream history, keyed by opaque event ids.
 *
 * Event ids are visible ASCII without spaces (they travel in the SSE `id` field and the
 * `Last-Event-ID` header), name their stream, and are not guessable: knowing one id tells
 * nothing about another stream's ids. 2025-11-25 basic/transports: ids are unique across
 * all streams of a session and SHOULD encode their stream.
 */
/** How a stream is opened ({@link EventStore.openStream}). */
export interface OpenStreamOptions {
  /**
   * A restarted server carries on this stream to re-run the calls it was carrying: a store
   * that found the stream's last event damaged at recovery keeps the history before it, and
   * the re-run's events follow that history (a client that had not read the damaged event
   * resumes without a gap; the file store gives them new seqs, log-epochs.ts). Without it
   * that event stays a gap: a resume from before it is refused as evicted. Stores that never
   * recover damage ignore it.
   */
  rerun?: boolean;
}

export interface EventStore {
  /**
   * Register the stream when it is new, and return an event id for its current end:
   * replaying after it yields only events appended later. A server sends it in the priming
   * event (2025-11-25 basic/transports) so a client can resume before the first message.
   * `options.rerun`: see {@link OpenStreamOptions}.
   */
  openStream(key: StreamKey, options?: OpenStreamOptions): Promise<string>;
  /**
   * Store `message` as the next event of the stream (creating the stream when new) and
   * resolve with its event id. Concurrent calls keep their call order. The message is
   * copied (serialized): later changes to the object do not change the history.
   * `serialized` is `JSON.stringify(message)` when the caller has it already (the HTTP
   * server writes the same text to the connection); a store keeps it instead of serializing
   * again. It must be exactly that text.
   */
  append(key: StreamKey, message: JsonRpcMessage, serialized?: string): Promise<string>;
  /**
   * Deliver, in order, every event of the stream `eventId` belongs to that followed it, and
   * resolve with that stream's key so the caller can continue the stream live. Only the
   * stream's own events are delivered: never another stream's, never another session's.
   * The events delivered are those stored when the call starts; events appended while it
   * runs are not included (a caller continuing live dedupes by event id).
   *
   * Rejects with a {@link ResumeError} (MCP_ERR_RESUME) before delivering anything when the
   * id is malformed, was never issued by this store, belongs to a session other than
   * `expectedSessionId`, or when any part of the history after it is gone: a replay is
   * complete or does not happen. Rejects with the handler's error if the handler throws.
   */
  replayAfter(eventId: string, onEvent: ReplayHandler, expectedSessionId?: string): Promise<StreamKey>;
  /**
   * Optional, for a store that may refuse writes for a while (Redis full or away): like
   * {@link append}, and when the store refuses, the append is kept and written once it takes
   * writes again, before the stream's {@link endStream}. The server uses it only for the error
   * that replaced a response the store refused, which its client was told already.
   */
  appendOwed?(key: StreamKey, message: JsonRpcMessage): Promise<string>;
  /**
   * The stream is finished: no event follows (a POST stream whose requests are all answered
   * or cancelled). Its history stays resumable for the store's retention window, then it is
   * dropped and a resume from it is refused as evicted. Appends after it are still kept.
   * Optional: a store without it keeps streams until their session is deleted.
   */
  endStream?(key: StreamKey): Promise<void>;
  /**
   * Optional live tail, for stores shared by several server instances: replay like
   * {@link replayAfter}, then keep delivering the stream's new events (appended by any
   * instance) until the stream ends or `options.stop()` answers true. Resolves once the
   * stored history is delivered; `done` settles when the tail stops.
   */
  follow?(eventId: string, onEvent: ReplayHandler, options: FollowOptions): Promise<FollowResult>;
  /** Drop every stream of the session and its saved metadata. Its event ids stop resolving. */
  deleteSession(sessionId: string): Promise<void>;
  /** Finish pending writes and release files and timers. Later calls reject (MCP_ERR_CLOSED). */
  close(): Promise<void>;
}

/** Options of {@link EventStore.follow}. */
export interface FollowOptions {
  expectedSessionId?: string;
  /** Checked between reads: true stops the tail (the client went away). */
  stop?: () => boolean;
  /** Called when nothing arrived for a while (another instance may have died mid-call). */
  onQuiet?: () => void | Promise<void>;
}

/** What {@link EventStore.follow} resolves with. */
export interface FollowResult {
  key: StreamKey;
  /** Settles when the tail stops: the stream ended, `stop()` answered true, or the store closed. */
  done: Promise<void>;
  /** True when the stream had already ended: all it held after the id was delivered before `follow` resolved. */
  ended?: boolean;
}

/** One session brought back by {@link SessionStateStore.loadSessions}. */
export interface SavedSessionState {
  sessionId: string;
  meta: Record<string, unknown>;
}

/**
 * Optional session metadata persistence, so a restarted server can bring sessions back
 * (protocol version, client capabilities, ...). Both stores in this folder implement it.
 */
export interface SessionStateStore {
  /** Save (replace) the metadata of a session. `meta` must be JSON-serializable. */
  saveSession(sessionId: string, meta: Record<string, unknown>): Promise<void>;
  /** Every session with saved metadata, each with its latest metadata. */
  loadSessions(): Promise<SavedSessionState[]>;
  /**
   * Optional, for a store shared by several server instances: one session's metadata by id
   * (without calls in flight), or undefined. A server with such a store loads a session when
   * a request names it, never all at start, and an idle local copy is dropped, not deleted.
   */
  loadSession?(sessionId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Optional, with {@link loadSession}: the in-flight call records that instances which died
   * (their lease lapsed) left in the session, each handed to one caller only, which re-runs them.
   */
  claimInterrupted?(sessionId: string): Promise<unknown[]>;
  /** Optional, with {@link loadSession}: true once the session was deleted (by any instance). */
  sessionEnded?(sessionId: string): Promise<boolean>;
  /** Optional, with {@link loadSession}: carries client answers to the instance that asked. */
  relay?: SessionRelay;
  /**
   * Optional, with {@link loadSession}: how long (ms) the store keeps a session nobody used.
   * A server's `sessionIdleMs` defaults to it and may not exceed it: an instance would go on
   * serving from its own copy a session the store, and so every other instance, had dropped.
   */
  readonly sessionTtlMs?: number;
}

/** Client messages handed between instances sharing a store. */
export interface SessionRelay {
  /** Hand `payload` (client messages of `sessionId`) to the other instances. */
  send(sessionId: string, payload: unknown): Promise<void>;
  /** Hear what other instances relay; returns the function that stops it. */
  listen(onMessage: (sessionId: string, payload: unknown) => void): () => void;
}

/** A store of stream history and session metadata, as both stores here provide. */
export type SessionEventStore = EventStore & SessionStateStore;
