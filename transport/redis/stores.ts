/**
 * Everything several server instances share, on one Redis: `createRedisStores(url)` gives the
 * event store (with session state, load by id, leases), the task store, the event bus, the
 * single-use markers and the key that seals MRTR `requestState`, all under one key prefix.
 */
import type { SessionEventStore } from '../event-store/types.ts';
import type { TaskStore } from '../task-store/types.ts';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { connectRedis, redisScript, type RedisLink } from './connection.ts';
import { evictionRisk, evictionSettings } from './eviction.ts';
import { createRedisEventBus, type RedisEventBus } from './event-bus.ts';
import { createRedisEventStore, type RedisEventStore } from './event-store.ts';
import { checkRedisPrefix, DEFAULT_REDIS_PREFIX, redisKeys } from './keys.ts';
import { createRedisMarkers, type SingleUseMarkers } from './markers.ts';
import { createRedisRelay, type RedisRelay } from './relay.ts';
import { createRedisSessionStore, type RedisSessionStore } from './session-store.ts';
import { openRedisTaskStore } from './task-store.ts';
import { createOwedWrites, type OwedWrites } from './owed-writes.ts';

/** Options of {@link createRedisStores}; every limit has the default of the store it sets. */
export interface RedisStoresOptions {
  /**
   * Key and channel prefix, so deployments can share a Redis. Default `mcpwire:`. An empty one
   * is refused (MCP_ERR_VALIDATION); glob characters (`*`, `?`, `[`) are taken literally.
   */
  prefix?: string;
  /** Instance lease (ms): calls of a dead instance are re-run this long after it died. Default 10 000. */
  leaseMs?: number;
  /** Idle expiry of streams and sessions (ms). Default 30 minutes. */
  ttlMs?: number;
  /** Events kept per stream. Default 10 000. */
  maxEventsPerStream?: number;
  /** How long a finished stream stays resumable (ms), at most `ttlMs`. Default 5 minutes. */
  endedRetentionMs?: number;
  /** Task records kept. Default 1 000. */
  maxTasks?: number;
  /** Bytes of one task record as JSON. Default 1 MiB (record-size.ts). */
  maxRecordBytes?: number;
  /**
   * Bytes of every task record under the prefix, counted in Redis and shared by every
   * instance. Default 64 MiB. Applied at open too: records stored under a larger bound are
   * trimmed (expired, then oldest finished) and told once through `onError`. Give every
   * instance the same value; each applies its own.
   */
  maxTotalBytes?: number;
  /** Longest wait for one Redis reply (ms) before the command fails with MCP_ERR_STORE. Default 5 000. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (ms); attempts never stop. Default 1 000. */
  maxReconnectDelayMs?: number;
  /** Connection errors and failed lease renewals (the client reconnects by itself). */
  onError?: (error: Error) => void;
  /**
   * Start on a Redis that may evict keys (`maxmemory` with a policy other than `noeviction`,
   * eviction.ts), told once through `onError`. Default false: such a Redis is refused with
   * MCP_ERR_STORE, as it would lose sessions and tasks without a word.
   */
  allowEviction?: boolean;
  /**
   * Read Redis's eviction settings again this often (ms), so a policy changed to an evicting
   * one while instances run (`CONFIG SET maxmemory-policy`) is told through `onError` (once
   * per change; a running instance is not stopped). 0: only at start and after a reconnect.
   * Default 60 000.
   */
  evictionCheckMs?: number;
  /**
   * Writes that Redis failed and this instance owes it (owed-writes.ts: the end of a stream
   * whose call finished, a session's calls in flight), tried again every
   * `maxReconnectDelayMs` and at each reconnect; past this many the oldest is given up, told
   * through `onError`. Default 10 000.
   */
  maxOwedWrites?: number;
}

/** Default of {@link RedisStoresOptions.maxOwedWrites}. */
export const DEFAULT_MAX_OWED_WRITES = 10_000;

/** Default of {@link RedisStoresOptions.evictionCheckMs}. */
export const DEFAULT_EVICTION_CHECK_MS = 60_000;

/** The shared event and session store the HTTP server takes as `eventStore`. */
export type RedisSessionEventStore = SessionEventStore & Required<Pick<SessionEventStore, 'follow' | 'loadSession' | 'claimInterrupted' | 'endStream' | 'sessionEnded' | 'relay' | 'sessionTtlMs'>>;

/** What {@link createRedisStores} gives. */
export interface RedisStores {
  /** Pass as the HTTP server's `eventStore` (with `recoverInflight: true`). */
  readonly eventStore: RedisSessionEventStore;
  /** Pass as `createServer`'s `tasks.store`. */
  readonly taskStore: TaskStore;
  /** Pass as `createServer`'s `eventBus` (typed `RedisEventBus<ServerEvent>` there). */
  readonly eventBus: RedisEventBus;
  readonly markers: SingleUseMarkers;
  /** The HMAC key every instance seals MRTR `requestState` with (`modern.inputRounds.key`). */
  readonly requestStateKey: Uint8Array;
  /** This instance's id in leases and in-flight records. */
  readonly instanceId: string;
  /** The connection, for health checks. */
  readonly link: RedisLink;
  /** Give up the lease and close the connections. */
  close(): Promise<void>;
}

/** Connect to `url` and build every shared store (see the module comment). */
export async function createRedisStores(url: string, options: RedisStoresOptions = {}): Promise<RedisStores> {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  checkRedisPrefix(prefix);
  const checkMs = options.evictionCheckMs ?? DEFAULT_EVICTION_CHECK_MS;
  if (!Number.isSafeInteger(checkMs) || checkMs < 0) throw new McpError(LocalErrorCode.Validation, `evictionCheckMs must be a whole number of ms (0: off), got ${checkMs}`);
  const maxOwed = options.maxOwedWrites ?? DEFAULT_MAX_OWED_WRITES;
  if (!Number.isSafeInteger(maxOwed) || maxOwed < 1) throw new McpError(LocalErrorCode.Validation, `maxOwedWrites must be a positive integer, got ${maxOwed}`);
  let reconnected = () => {};
  const link = await connectRedis(url, {
    onReconnect: () => reconnected(),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    ...(options.maxReconnectDelayMs !== undefined ? { maxReconnectDelayMs: options.maxReconnectDelayMs } : {}),
  });
  let watch: EvictionWatch | undefined;
  // What holds a timer or a connection of its own, closed when a later step fails.
  const made: Array<{ close(): Promise<void> }> = [];
  try {
    await checkEviction(link, options);
    await checkScripts(link);
    if (checkMs > 0) watch = watchEviction(link, checkMs, options);
    const events = await createRedisEventStore(link, {
      prefix,
      ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
      ...(options.maxEventsPerStream !== undefined ? { maxEventsPerStream: options.maxEventsPerStream } : {}),
      ...(options.endedRetentionMs !== undefined ? { endedRetentionMs: options.endedRetentionMs } : {}),
    });
    const sessions = await createRedisSessionStore(link, {
      prefix,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    made.push(sessions);
    const eventBus = await createRedisEventBus(link, { prefix, ...(options.onError ? { onError: options.onError } : {}) });
    made.push(eventBus);
    const relay = await createRedisRelay(link, { prefix, ...(options.onError ? { onError: options.onError } : {}) });
    made.push(relay);
    // After the SUBSCRIBEs: a user without the channels at all is told so by their refusal.
    await checkPublish(link, redisKeys(prefix));
    const taskStore = await openRedisTaskStore(link, {
      prefix,
      ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
      ...(options.maxRecordBytes !== undefined ? { maxRecordBytes: options.maxRecordBytes } : {}),
      ...(options.maxTotalBytes !== undefined ? { maxTotalBytes: options.maxTotalBytes } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    const keys = redisKeys(prefix);
    const requestStateKey = await sharedKey(link, `${keys.prefix}mrtr:key`);
    // Kept at every lease beat too: a FLUSHALL while instances run has no reconnect to follow.
    sessions.keepShared([[`${keys.prefix}mrtr:key`, Buffer.from(requestStateKey).toString('hex')], [keys.tagKey(), String(await link.send(['GET', keys.tagKey()]))]]);
    // A Redis restarted empty (no persistence) lost the lease and the shared keys: write them
    // again at once, so no instance takes this one for dead and new instances share its keys.
    const retryMs = options.maxReconnectDelayMs ?? 1000;
    const owed = createOwedWrites({ retryMs, max: maxOwed, onError: options.onError ?? (() => {}) });
    reconnected = () => {
      void owed.flush();
      const hex = Buffer.from(requestStateKey).toString('hex');
      // Owed when Redis fails them: a Redis reading its data at start answers LOADING to writes
      // though it takes connections, and these keys, not written again, stayed missing until
      // the next reconnect when its file lacked them (scalewalk7 saw "Redis SET failed: LOADING").
      const shared = owed.run('shared keys', async () => {
        await link.send(['SET', `${keys.prefix}mrtr:key`, hex, 'NX']);
        await events.reassert();
      });
      // The Redis reached may be another one (a failover): its eviction policy is told, not refused.
      Promise.all([sessions.beat(), shared, checkEviction(link, { ...options, allowEviction: true })])
        .catch((e: Error) => options.onError?.(new McpError(LocalErrorCode.Store, `cannot write this instance's lease and the shared keys again after reconnecting to Redis (the lease is renewed every third of leaseMs, the keys tried again every ${retryMs} ms until Redis takes them): ${e.message}`, { cause: e })));
    };
    return {
      eventStore: combine(events, sessions, relay, owed),
      taskStore,
      eventBus,
      markers: createRedisMarkers(link, { prefix }),
      requestStateKey,
      instanceId: sessions.instanceId,
      link,
      async close() {
        // Every part is closed even when one fails (Redis gone), then the first failure is thrown.
        const failures: unknown[] = [];
        watch?.stop();
        owed.close();
        for (const part of [eventBus, relay, sessions, events, link]) await part.close().catch((e: unknown) => failures.push(e));
        if (failures.length > 0) throw failures.length === 1 ? failures[0] : new AggregateError(failures, 'closing the Redis stores failed');
      },
    };
  } catch (error) {
    watch?.stop();
    // Failed already: their own failures to close (Redis refusing) add nothing.
    for (const part of made.reverse()) await part.close().catch(() => undefined);
    await link.close();
    throw permissionHint(error, prefix);
  }
}

/**
 * A key or channel an ACL forbids is refused by Redis as "NOPERM ... one of the keys (or
 * channels) used as arguments", naming neither: the refusal is told with what the stores use.
 */
function permissionHint(error: unknown, prefix: string): unknown {
  const message = (error as Error | undefined)?.message ?? '';
  if (!(error instanceof McpError) || !/^Redis \S+ failed: NOPERM/.test(message)) return error;
  return new McpError(LocalErrorCode.Store, `${message}: this Redis user may not use what the stores need; they use the keys ${prefix}* and the channels ${prefix}bus and ${prefix}relay, with Lua scripts (e.g. ACL SETUSER <user> ~${prefix}* &${prefix}* +@all -@dangerous +info)`, { cause: error });
}

/** A script that touches nothing: {@link checkScripts} runs it. */
const PROBE = redisScript('script probe', 'return 1');

/**
 * Every store writes through Lua scripts (SCRIPT LOAD, then EVALSHA). A Redis user whose ACL
 * forbids them opened the stores, started the server, and then had every request refused
 * (507, "NOPERM ... 'script|load'"): refused here, at start, naming the commands.
 */
async function checkScripts(link: RedisLink): Promise<void> {
  try {
    await link.eval(PROBE, [], []);
  } catch (error) {
    throw new McpError(LocalErrorCode.Store, `this Redis user may not run the stores' Lua scripts (SCRIPT LOAD, EVALSHA): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The bus, the relay and task status PUBLISH on their channels. A user allowed SUBSCRIBE but
 * not PUBLISH opened the stores, and then every list_changed, task status and relayed answer
 * failed. Checked at open without publishing anything the other instances would hear: Redis
 * checks a command's ACL when MULTI queues it, and DISCARD then drops it unsent. A user that
 * may not even run MULTI is not checked here.
 */
async function checkPublish(link: RedisLink, keys: ReturnType<typeof redisKeys>): Promise<void> {
  const probe = await link.duplicate('publish check');
  try {
    try {
      await probe.send(['MULTI']);
    } catch {
      return;
    }
    for (const channel of [keys.busChannel(), keys.relayChannel()]) await probe.send(['PUBLISH', channel, '']);
  } finally {
    // Closing ends the transaction too; DISCARD first, so nothing queued can ever run.
    await probe.send(['DISCARD']).catch(() => undefined);
    await probe.close();
  }
}

/** A running {@link watchEviction}. */
interface EvictionWatch { stop(): void }

/**
 * Read the eviction settings every `ms` and tell `onError` when they become risky (eviction.ts),
 * once per distinct risk; settings that cannot be read are told once until they can again.
 * The timer keeps no process alive.
 */
function watchEviction(link: RedisLink, ms: number, options: RedisStoresOptions): EvictionWatch {
  let told: string | undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a check still waiting on a slow Redis: skip this beat
    running = true;
    evictionSettings(link).then((settings) => {
      const risk = evictionRisk(settings);
      if (risk !== undefined && risk !== told) options.onError?.(new McpError(LocalErrorCode.Store, `${risk}; it was changed while this instance runs (it keeps running): set maxmemory-policy noeviction`));
      told = risk;
    }, (error: Error) => {
      if (told !== 'unreadable') options.onError?.(new Error(`could not read Redis's eviction policy (INFO memory) in the periodic check: ${error.message}`, { cause: error }));
      told = 'unreadable';
    }).finally(() => { running = false; });
  }, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Refuse a Redis that may evict keys (eviction.ts) with MCP_ERR_STORE, or, with
 * `allowEviction`, tell `onError` once. A Redis whose settings cannot be read (INFO disabled) is
 * used, and `onError` says the check was not made.
 */
async function checkEviction(link: RedisLink, options: RedisStoresOptions): Promise<void> {
  let risk: string | undefined;
  try {
    risk = evictionRisk(await evictionSettings(link));
  } catch (error) {
    options.onError?.(new Error(`could not read Redis's eviction policy (INFO memory), so it is not checked: ${(error as Error).message}`, { cause: error }));
    return;
  }
  if (risk === undefined) return;
  if (options.allowEviction) {
    options.onError?.(new Error(`${risk}; running anyway (allowEviction)`));
    return;
  }
  throw new McpError(LocalErrorCode.Store, `${risk}; set maxmemory-policy noeviction (a write past maxmemory then fails and is reported), or pass allowEviction (mcpwire serve: --redis-allow-eviction) to run on it anyway`);
}

/** A 32-byte key made once by whichever instance comes first. */
async function sharedKey(link: RedisLink, key: string): Promise<Uint8Array> {
  await link.send(['SET', key, Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex'), 'NX']);
  return new Uint8Array(Buffer.from(String(await link.send(['GET', key])), 'hex'));
}

/** One object for the HTTP server: stream history from `events`, session state from `sessions`. */
function combine(events: RedisEventStore, sessions: RedisSessionStore, relay: RedisRelay, owed: OwedWrites): RedisSessionEventStore {
  return {
    relay,
    sessionTtlMs: sessions.ttlMs,
    sessionEnded: (id) => sessions.sessionEnded(id),
    openStream: (key) => events.openStream(key),
    append: (key, message, serialized) => events.append(key, message, serialized),
    replayAfter: (id, onEvent, sessionId) => events.replayAfter(id, onEvent, sessionId),
    // Owed before the stream's end (owed later): a resume elsewhere gets the error, then the end.
    appendOwed: (key, message) => owed.run(`failure ${key.sessionId} ${key.streamId}`, () => events.append(key, message)),
    follow: (id, onEvent, followOptions) => events.follow(id, onEvent, followOptions),
    // Both describe what is over here, and only this instance writes them: owed when Redis fails them.
    endStream: (key) => owed.run(`end ${key.sessionId} ${key.streamId}`, () => events.endStream(key)),
    saveSession: (id, meta) => owed.run(`session ${id}`, () => sessions.saveSession(id, meta)),
    loadSession: (id) => sessions.loadSession(id),
    loadSessions: () => sessions.loadSessions(),
    claimInterrupted: (id) => sessions.claimInterrupted(id),
    async deleteSession(id) {
      await events.deleteSession(id);
      await sessions.deleteSession(id);
    },
    // The stores share one connection, closed by RedisStores.close.
    close: () => events.close(),
  };
}
