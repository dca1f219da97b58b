/**
 * The EventStore on Redis Streams, shared by every server instance (2025-11-25
 * basic/transports: resumability and redelivery): one Redis Stream per MCP stream, entry id
 * `<seq>-0`, appended by a Lua script so ids are issued exactly once and in order however
 * many instances append; trimmed to `maxEventsPerStream` (XADD MINID, exact) and expired
 * after `ttlMs` without appends. It also tails a stream live ({@link RedisEventStore.follow}):
 * a client resuming on instance B gets what instance A appends while its call runs.
 */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';
import { formatEventId, hasStreamTag, newStreamToken, parseEventId } from '../event-store/event-id.ts';
import { ResumeError, type ResumeFailure } from '../event-store/resume-error.ts';
import { serializeMessage } from '../event-store/serialize.ts';
import type { EventStore, FollowOptions, FollowResult, ReplayHandler, StreamKey } from '../event-store/types.ts';
import type { RedisLink } from './connection.ts';
import { APPEND, DELETE_SESSION, END, REPLAY } from './event-scripts.ts';
import { redisKeys, type RedisKeys } from './keys.ts';

/** Options of {@link createRedisEventStore}. */
export interface RedisEventStoreOptions {
  /** Key prefix. Default `mcpwire:`. */
  prefix?: string;
  /** Events kept per stream; older ones are trimmed. Default 10 000. */
  maxEventsPerStream?: number;
  /** A stream not appended to for this long (ms) expires. Default 30 minutes. */
  ttlMs?: number;
  /** How long (ms) a finished stream stays resumable, at most `ttlMs`. Default 5 minutes. */
  endedRetentionMs?: number;
  /** How long a live tail blocks before it looks at its options again (ms). Default 1 000. */
  followBlockMs?: number;
  /** Close the link when the store closes. Default false (the caller owns it). */
  ownsLink?: boolean;
}

/** The Redis EventStore, with its live tail. */
export interface RedisEventStore extends EventStore {
  endStream(key: StreamKey): Promise<void>;
  /** Write the shared tag key again if Redis lost it (restarted empty); the first instance's stays. */
  reassert(): Promise<void>;
  follow(eventId: string, onEvent: ReplayHandler, options: FollowOptions): Promise<FollowResult>;
}

/** Create an EventStore on `link` (see the module comment). */
export async function createRedisEventStore(link: RedisLink, options: RedisEventStoreOptions = {}): Promise<RedisEventStore> {
  const keys = redisKeys(options.prefix);
  // One tag key for every instance: each can tell a token another one issued (410, not 400).
  const fresh = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
  await link.send(['SET', keys.tagKey(), fresh, 'NX']);
  const tagKey = Buffer.from(String(await link.send(['GET', keys.tagKey()])), 'hex');
  return new Store(link, keys, tagKey, options);
}

type Entry = [string, string[]];

/** Parse `<seq>-<sub>`: sub 1 is the end marker. */
function entrySeq(id: string): { seq: number; end: boolean } {
  const dash = id.indexOf('-');
  return { seq: Number(id.slice(0, dash)), end: id.slice(dash + 1) !== '0' };
}

/** The entries of a one-stream XREAD reply (RESP3: a map by key; RESP2: [[key, entries]]). */
function readEntries(reply: unknown): Entry[] {
  const first = Array.isArray(reply) ? (reply[0] as [string, Entry[]] | undefined)?.[1] : Object.values(reply as Record<string, Entry[]>)[0];
  return first ?? [];
}

class Store implements RedisEventStore {
  readonly #link: RedisLink;
  readonly #keys: RedisKeys;
  readonly #tagKey: Uint8Array;
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #endedMs: number;
  readonly #blockMs: number;
  readonly #ownsLink: boolean;
  readonly #tails = new Set<RedisLink>();
  #closed = false;

  constructor(link: RedisLink, keys: RedisKeys, tagKey: Uint8Array, options: RedisEventStoreOptions) {
    this.#link = link;
    this.#keys = keys;
    this.#tagKey = tagKey;
    this.#max = options.maxEventsPerStream ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 30 * 60 * 1000;
    this.#endedMs = options.endedRetentionMs ?? 5 * 60 * 1000;
    this.#blockMs = options.followBlockMs ?? 1000;
    this.#ownsLink = options.ownsLink ?? false;
    for (const [name, v] of [['maxEventsPerStream', this.#max], ['ttlMs', this.#ttlMs], ['endedRetentionMs', this.#endedMs], ['followBlockMs', this.#blockMs]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new McpError(LocalErrorCode.Validation, `${name} must be a positive integer, got ${v}`);
    }
  }

  async reassert(): Promise<void> {
    await this.#link.send(['SET', this.#keys.tagKey(), Buffer.from(this.#tagKey).toString('hex'), 'NX']);
  }

  async openStream(key: StreamKey): Promise<string> {
    return this.#append(key, '');
  }

  async append(key: StreamKey, message: JsonRpcMessage, serialized?: string): Promise<string> {
    return this.#append(key, serialized ?? serializeMessage(message));
  }

  async #append(key: StreamKey, json: string): Promise<string> {
    this.#checkOpen();
    const token = newStreamToken({ key: this.#tagKey, sessionId: key.sessionId });
    const [issued, seq] = await this.#link.eval(APPEND, [this.#keys.streamOf(key.sessionId, key.streamId)], [
      token, key.sessionId, key.streamId, json, this.#max, this.#ttlMs, this.#keys.prefix, this.#link.writeDeadline(),
    ]) as [string, number];
    return formatEventId(issued, Number(seq));
  }

  async replayAfter(eventId: string, onEvent: ReplayHandler, expectedSessionId?: string): Promise<StreamKey> {
    this.#checkOpen();
    const { key, entries } = await this.#read(eventId, expectedSessionId);
    const token = parseEventId(eventId)!.token;
    for (const [id, fields] of entries) {
      const { seq, end } = entrySeq(id);
      if (end) continue;
      const pending = onEvent(formatEventId(token, seq), JSON.parse(fields[1]!) as JsonRpcMessage);
      if (pending !== undefined) await pending;
    }
    return key;
  }

  /**
   * Replay like {@link replayAfter}, then keep delivering what is appended until the stream
   * ends, `options.stop()` answers true, or the store closes. Rejects (ResumeError) before
   * delivering anything, like a replay; `done` settles when the tail stops.
   */
  async follow(eventId: string, onEvent: ReplayHandler, options: FollowOptions): Promise<FollowResult> {
    this.#checkOpen();
    const { key, entries } = await this.#read(eventId, options.expectedSessionId);
    const token = parseEventId(eventId)!.token;
    let after = parseEventId(eventId)!.seq;
    const deliver = async (list: Entry[]): Promise<boolean> => {
      for (const [id, fields] of list) {
        const { seq, end } = entrySeq(id);
        if (end) return true;
        if (seq <= after) continue;
        after = seq;
        const pending = onEvent(formatEventId(token, seq), JSON.parse(fields[1]!) as JsonRpcMessage);
        if (pending !== undefined) await pending;
      }
      return false;
    };
    if (await deliver(entries)) return { key, done: Promise.resolve(), ended: true };
    const done = this.#tail(token, () => after, deliver, options);
    return { key, done };
  }

  async #tail(token: string, after: () => number, deliver: (list: Entry[]) => Promise<boolean>, options: FollowOptions): Promise<void> {
    const reader = await this.#link.duplicate('stream follower');
    this.#tails.add(reader);
    try {
      while (!this.#closed && !(options.stop?.() ?? false)) {
        const reply = await reader.send(['XREAD', 'COUNT', 1000, 'BLOCK', this.#blockMs, 'STREAMS', this.#keys.events(token), `${after()}-0`], this.#blockMs);
        if (reply === null) {
          await options.onQuiet?.();
          continue;
        }
        if (await deliver(readEntries(reply))) return;
      }
    } catch (error) {
      if (!this.#closed) throw error;
    } finally {
      this.#tails.delete(reader);
      await reader.close();
    }
  }

  async #read(eventId: string, expectedSessionId: string | undefined): Promise<{ key: StreamKey; entries: Entry[] }> {
    const parsed = parseEventId(eventId);
    if (!parsed) throw new ResumeError('malformed', eventId);
    const reply = await this.#link.eval(REPLAY, [], [parsed.token, parsed.seq, expectedSessionId ?? '', this.#keys.prefix]) as unknown[];
    const status = reply[0] as string;
    if (status !== 'ok') {
      if (status === 'gone') {
        // A stream gone (expired, deleted) leaves no record; its tag still says it was ours.
        const ours = expectedSessionId !== undefined && hasStreamTag(parsed.token, this.#tagKey, expectedSessionId);
        throw new ResumeError(ours ? 'evicted' : 'unknown', eventId);
      }
      if (status === 'lost') {
        // 2025-11-25 basic/transports (resumability): an id past the stream's end was issued
        // (tokens cannot be guessed, seqs are handed out in Redis), and its event was lost with
        // writes Redis did not keep (a restart without AOF, an fsync window): a gap (410), as the
        // file store answers after a power loss, not "never issued" (400).
        throw new ResumeError('evicted', eventId, `the event it names was lost from Redis (the stream's history ends at event ${Number(reply[1])}): Redis lost writes it had acknowledged`, true);
      }
      throw new ResumeError(status as ResumeFailure, eventId);
    }
    return { key: { sessionId: reply[1] as string, streamId: reply[2] as string }, entries: reply[4] as Entry[] };
  }

  async endStream(key: StreamKey): Promise<void> {
    this.#checkOpen();
    // At most ttlMs: a session unused that long is gone everywhere (404), and its histories
    // with it, rather than kept unreachable for the rest of endedRetentionMs.
    await this.#link.eval(END, [this.#keys.streamOf(key.sessionId, key.streamId)], ['', Math.min(this.#endedMs, this.#ttlMs), this.#keys.prefix]);
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#checkOpen();
    await this.#link.eval(DELETE_SESSION, [], [sessionId, this.#keys.prefix]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#tails].map((t) => t.close()));
    if (this.#ownsLink) await this.#link.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new McpError(LocalErrorCode.Closed, 'The event store is closed');
  }
}
