/**
 * A bounded in-memory EventStore (2025-11-25 basic/transports: resumability), for a single
 * server process. History is lost on restart; use the file store to keep it.
 *
 * Each stream keeps its events as serialized JSON (one event bare, more in an array with a
 * moving head), so an append and the eviction of the oldest event are O(1) amortized. Streams are linked in
 * least-recently-used order, so expired and excess streams are found at the list's head
 * without scanning, and no timer is needed.
 *
 * Why a list rather than a Map's insertion order: V8 leaves a deleted Map entry in place
 * until the table is rebuilt, and `keys().next()` steps over every one of them. A store at
 * `maxStreams` evicts its oldest stream for each new one, so the front of the Map filled with
 * deleted entries: ~25 µs per new stream at the default 10 000 (every legacy POST answered
 * over SSE opens one), against ~12 µs below the limit. Tombstones ({@link Tombstones}) are
 * kept in a ring, for the same reason.
 *
 * Streams are found by token without a map: each stream is a row of columns indexed by its
 * slot (memory-streams.ts, which says why columns), and its token carries the slot
 * (event-id.ts), so a lookup is an index and a check that the row there has that token. What it buys: a store at `maxStreams` evicts a stream for each new
 * one, and the store-wide map's set and the evicted token's delete were each a cache-missing
 * operation on a large, churning table; a new stream now takes the evicted one's slot
 * (bench/README "Session 12: the legacy server's CPU per SSE call").
 */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { formatEventId, hasStreamTag, MAX_TOKEN_SLOT, newStreamToken, newTagKey, parseEventId, slotOf } from './event-id.ts';
import { Tombstones } from './memory-tombstones.ts';
import { StreamIndex } from './memory-index.ts';
import { NONE, StreamTable, utf8Length } from './memory-streams.ts';
import { ResumeError } from './resume-error.ts';
import { limitOption, positiveIntegerOption } from '../../protocol/limits.ts';
import { serializeMessage, serializeMeta } from './serialize.ts';
import type { ReplayHandler, SessionEventStore, SavedSessionState, StreamKey } from './types.ts';

/** Options of {@link createMemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are evicted from the head. Default 10 000. */
  maxEventsPerStream?: number;
  /**
   * Bytes (UTF-8 of the serialized messages) kept per stream; older events are evicted from
   * the head. The newest event is always kept, whatever its size. Default 16 MiB.
   */
  maxBytesPerStream?: number;
  /** A stream not appended to or replayed for this long (ms) is dropped. Default 30 minutes. */
  ttlMs?: number;
  /**
   * Streams kept in all; the least recently used is dropped first. Default 10 000, at most
   * 16 777 216 (a stream's token carries its slot in 3 bytes).
   */
  maxStreams?: number;
  /**
   * Bytes (UTF-8 of the serialized messages) kept by the whole store: past it, the least
   * recently used streams are dropped first (a resume of one is told it was evicted), and the
   * stream being appended to loses its oldest events last. The per-stream bounds alone let
   * many streams add up to `maxStreams` x `maxBytesPerStream`. Default 128 MiB.
   */
  maxBytes?: number;
  /** Clock in ms, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Create a bounded in-memory event and session store (see the module comment). */
export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): SessionEventStore {
  return new MemoryEventStore(options);
}

/**
 * The memory store's calls that need no waiting, made synchronously: what the HTTP server's
 * streams use when their store is a memory store (not part of the EventStore contract).
 */
export interface SyncStreamStore {
  openNow(key: StreamKey): string;
  appendNow(key: StreamKey, message: JsonRpcMessage, serialized?: string): string;
  endNow(key: StreamKey): void;
}

/**
 * `store` itself when it is a memory store, else undefined. A private-field check, so a
 * Proxy or a wrapper around a memory store is not one: what intercepts its calls still sees them.
 */
export function syncStreamStore(store: object): SyncStreamStore | undefined {
  return MemoryEventStore.owns(store) ? store : undefined;
}

/**
 * The memory store: streams by slot and in least-recently-used order, the streams of each
 * session, tombstones of evicted streams, and saved session metadata. `close` empties it;
 * every call after it rejects.
 */
class MemoryEventStore implements SessionEventStore {
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #maxStreams: number;
  readonly #maxTotalBytes: number;
  readonly #now: () => number;
  /** UTF-8 bytes of every stream's events (the sum of their `bytes`). */
  #bytes = 0;
  /** Every stream, at the slot its token carries (see the module comment; memory-streams.ts). */
  #t = new StreamTable();
  /** Slots taken so far: those below it are in use or in `#free`. */
  #used = 0;
  /** Free slots below `#used`, reused first. */
  #free: number[] = [];
  /** Streams kept (slots taken). */
  #count = 0;
  /** Ends of the least-recently-used list: `#oldest` is evicted first. */
  #oldest = NONE;
  #newest = NONE;
  /** Streams by session and stream id, and each session's streams (memory-index.ts). */
  readonly #index = new StreamIndex();
  /** The key object last found and its slot ({@link MemoryEventStore.#find}). */
  #lastKey: StreamKey | undefined;
  #lastSlot = 0;
  /** Tokens of streams dropped by TTL or maxStreams -> their session: a resume is 'evicted'. */
  readonly #tombstones: Tombstones;
  readonly #metas = new Map<string, string>();
  /**
   * The last stream-opening event and the last metadata stored. Text equal to it is stored as
   * that same string: clients of one build send equal initialize requests, so every idle
   * session's initialize result and metadata are equal, and sharing them saves ~0.5 KB per
   * session (bench/README "Session 11: memory per idle session").
   */
  #lastFirstEvent = '';
  #lastMeta = '';
  /** Tags every token (event-id.ts): an evicted stream is recognised as ours after its tombstone is gone. */
  readonly #tagKey = newTagKey();
  #closed = false;

  static owns(store: object): store is MemoryEventStore {
    return #closed in store;
  }

  constructor(options: MemoryEventStoreOptions) {
    // Checked where given: 0 or -1 evicted every event at once, a string compared as text.
    this.#maxEvents = limitOption('maxEventsPerStream', options.maxEventsPerStream, 10_000);
    this.#maxBytes = limitOption('maxBytesPerStream', options.maxBytesPerStream, 16 * 1024 * 1024);
    this.#ttlMs = limitOption('ttlMs', options.ttlMs, 30 * 60 * 1000);
    this.#maxStreams = positiveIntegerOption('maxStreams', options.maxStreams, 10_000);
    this.#maxTotalBytes = limitOption('maxBytes', options.maxBytes, 128 * 1024 * 1024);
    if (this.#maxStreams > MAX_TOKEN_SLOT) throw new RangeError(`maxStreams must be at most ${MAX_TOKEN_SLOT}`);
    this.#now = options.now ?? Date.now;
    this.#tombstones = new Tombstones(this.#maxStreams);
  }

  async openStream(key: StreamKey): Promise<string> {
    return this.openNow(key);
  }

  async append(key: StreamKey, message: JsonRpcMessage, serialized?: string): Promise<string> {
    return this.appendNow(key, message, serialized);
  }

  /** {@link openStream}, synchronous (see {@link SyncStreamStore}). */
  openNow(key: StreamKey): string {
    this.#checkOpen();
    const at = this.#now();
    this.#sweep(at);
    const slot = this.#streamFor(key, at);
    return formatEventId(this.#t.token(slot), this.#t.lastSeq[slot]!);
  }

  /** {@link append}, synchronous. */
  appendNow(key: StreamKey, message: JsonRpcMessage, serialized?: string): string {
    this.#checkOpen();
    let json = serialized ?? serializeMessage(message);
    const at = this.#now();
    this.#sweep(at);
    const slot = this.#streamFor(key, at);
    const t = this.#t;
    const size = utf8Length(json);
    t.bytes[slot] = t.bytes[slot]! + size;
    this.#bytes += size;
    const seq = t.lastSeq[slot]! + 1;
    t.lastSeq[slot] = seq;
    if (t.events[slot] === undefined) {
      if (json === this.#lastFirstEvent) json = this.#lastFirstEvent;
      else this.#lastFirstEvent = json;
    }
    t.push(slot, json);
    // The store's own bound: other streams go first, least recently used first (`slot` was
    // just touched: it is the newest, so the loop ends at it), then this stream's oldest events.
    while (this.#bytes > this.#maxTotalBytes && this.#oldest !== slot) this.#forget(this.#oldest, true);
    while (seq - t.base[slot]! > this.#maxEvents) this.#bytes -= t.evictHead(slot);
    while ((t.bytes[slot]! > this.#maxBytes || this.#bytes > this.#maxTotalBytes) && seq - t.base[slot]! > 1) this.#bytes -= t.evictHead(slot);
    return formatEventId(t.token(slot), seq);
  }

  async endStream(key: StreamKey): Promise<void> {
    this.#checkOpen();
    this.endNow(key);
  }

  /**
   * {@link endStream}, synchronous; nothing once the store is closed (a server's streams end
   * as it closes). The stream stays resumable as before (retention is the TTL and the
   * bounds, as for any stream); it lets go of its token's text.
   */
  endNow(key: StreamKey): void {
    if (this.#closed) return;
    const slot = this.#find(key);
    if (slot !== NONE) this.#t.tokens[slot] = undefined;
  }

  async replayAfter(eventId: string, onEvent: ReplayHandler, expectedSessionId?: string): Promise<StreamKey> {
    this.#checkOpen();
    const at = this.#now();
    this.#sweep(at);
    const { slot, seq } = this.#resolve(eventId, expectedSessionId);
    this.#touch(slot, at);
    const t = this.#t;
    // Snapshot now: appends and evictions during an awaited handler do not change it.
    const token = t.token(slot);
    const key = { sessionId: t.sessions[slot]!, streamId: t.streamIds[slot]! };
    const snapshot = t.after(slot, seq);
    for (let i = 0; i < snapshot.length; i++) {
      const pending = onEvent(formatEventId(token, seq + 1 + i), JSON.parse(snapshot[i]!) as JsonRpcMessage);
      if (pending !== undefined) await pending;
    }
    return key;
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#checkOpen();
    for (const slot of this.#index.slotsOf(sessionId)) this.#forget(slot, false);
    this.#metas.delete(sessionId);
  }

  async saveSession(sessionId: string, meta: Record<string, unknown>): Promise<void> {
    this.#checkOpen();
    const json = serializeMeta(meta);
    if (json === this.#lastMeta) this.#metas.set(sessionId, this.#lastMeta);
    else this.#metas.set(sessionId, (this.#lastMeta = json));
  }

  async loadSessions(): Promise<SavedSessionState[]> {
    this.#checkOpen();
    return [...this.#metas].map(([sessionId, json]) => ({ sessionId, meta: JSON.parse(json) as Record<string, unknown> }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#t = new StreamTable();
    this.#used = 0;
    this.#free = [];
    this.#count = 0;
    this.#bytes = 0;
    this.#oldest = NONE;
    this.#newest = NONE;
    this.#index.clear();
    this.#lastKey = undefined;
    this.#tombstones.clear();
    this.#metas.clear();
    this.#lastFirstEvent = '';
    this.#lastMeta = '';
  }

  #checkOpen(): void {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
  }

  #forget(slot: number, tombstone: boolean): void {
    const t = this.#t;
    const sessionId = t.sessions[slot]!;
    this.#free.push(slot);
    this.#count -= 1;
    this.#bytes -= t.bytes[slot]!;
    this.#unlink(slot);
    this.#index.remove(slot, sessionId);
    if (tombstone) this.#tombstones.add(slot, t.tokenWords, 4 * slot, sessionId);
    t.clear(slot);
  }

  /** Drop streams idle past the TTL: they are at the head of the LRU list. */
  #sweep(at: number): void {
    const t = this.#t;
    let slot = this.#oldest;
    while (slot !== NONE && at - t.touched[slot]! >= this.#ttlMs) {
      const newer = t.newer[slot]!;
      this.#forget(slot, true);
      slot = newer;
    }
  }

  #touch(slot: number, at: number): void {
    this.#t.touched[slot] = at;
    if (slot === this.#newest) return;
    this.#unlink(slot);
    this.#link(slot);
  }

  /** Put `slot` at the newest end of the LRU list. */
  #link(slot: number): void {
    const t = this.#t;
    t.older[slot] = this.#newest;
    t.newer[slot] = NONE;
    if (this.#newest !== NONE) t.newer[this.#newest] = slot;
    else this.#oldest = slot;
    this.#newest = slot;
  }

  #unlink(slot: number): void {
    const t = this.#t;
    const older = t.older[slot]!;
    const newer = t.newer[slot]!;
    if (older !== NONE) t.newer[older] = newer;
    else if (this.#oldest === slot) this.#oldest = newer;
    if (newer !== NONE) t.older[newer] = older;
    else if (this.#newest === slot) this.#newest = older;
    t.older[slot] = NONE;
    t.newer[slot] = NONE;
  }

  /**
   * The slot of `key`'s stream, or NONE. The last key object found is remembered: the server
   * opens, appends to and ends a stream with one key object, so two of a call's three lookups
   * skip the hash (the slot still checked to hold that session's stream id).
   */
  #find(key: StreamKey): number {
    const t = this.#t;
    const last = this.#lastSlot;
    if (key === this.#lastKey && t.streamIds[last] === key.streamId && t.sessions[last] === key.sessionId) return last;
    const slot = this.#index.find(key.sessionId, key.streamId, t.streamIds);
    if (slot !== NONE) {
      this.#lastKey = key;
      this.#lastSlot = slot;
    }
    return slot;
  }

  /** The slot of `key`'s stream, made (and the least recently used dropped past `maxStreams`) when new. */
  #streamFor(key: StreamKey, at: number): number {
    const t = this.#t;
    const found = this.#find(key);
    if (found !== NONE) {
      this.#touch(found, at);
      return found;
    }
    if (this.#count >= this.#maxStreams && this.#oldest !== NONE) this.#forget(this.#oldest, true);
    const slot = this.#free.pop() ?? this.#used++;
    t.reserve(slot);
    t.init(slot, newStreamToken({ key: this.#tagKey, sessionId: key.sessionId }, slot, t.tokenWords, 4 * slot), key.sessionId, key.streamId, at);
    this.#count += 1;
    this.#link(slot);
    this.#index.add(slot, key.sessionId, key.streamId);
    this.#lastKey = key;
    this.#lastSlot = slot;
    return slot;
  }

  #resolve(eventId: string, expectedSessionId: string | undefined): { slot: number; seq: number } {
    const parsed = parseEventId(eventId);
    if (!parsed) throw new ResumeError('malformed', eventId);
    const slot = slotOf(parsed.token);
    const t = this.#t;
    if (slot < 0 || !t.hasToken(slot, parsed.token)) {
      const owner = this.#tombstones.get(slot, parsed.token);
      if (owner === undefined) {
        // Tombstones are bounded; the tag still tells a stream this store evicted (410) from one it never issued (400).
        if (expectedSessionId !== undefined && hasStreamTag(parsed.token, this.#tagKey, expectedSessionId)) throw new ResumeError('evicted', eventId);
        throw new ResumeError('unknown', eventId);
      }
      if (expectedSessionId !== undefined && owner !== expectedSessionId) throw new ResumeError('wrong-session', eventId);
      throw new ResumeError('evicted', eventId);
    }
    if (expectedSessionId !== undefined && t.sessions[slot] !== expectedSessionId) {
      throw new ResumeError('wrong-session', eventId);
    }
    if (parsed.seq > t.lastSeq[slot]!) throw new ResumeError('unknown', eventId);
    if (parsed.seq < t.base[slot]!) throw new ResumeError('evicted', eventId);
    return { slot, seq: parsed.seq };
  }
}
