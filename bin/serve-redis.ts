/** `mcpwire serve --redis URL`: the stores several instances share (issue #18). */
import type { ServerEvent, ServerEventBus } from 'mcpwire/server';
import type { TaskStore, SessionEventStore } from 'mcpwire/transport';
import type { RedisStores } from 'mcpwire/redis';
import { UsageError } from './args.ts';
import { say } from './serve-report.ts';

/** The flags, for parseCommandArgs. */
export const REDIS_FLAGS = {
  redis: { type: 'string' },
  'redis-prefix': { type: 'string' },
  'redis-lease-ms': { type: 'string' },
  'redis-allow-eviction': { type: 'boolean' },
  'redis-timeout-ms': { type: 'string' },
} as const;

/** The help lines of the flags. */
export const REDIS_HELP = `  --redis URL              share sessions, stream history, tasks and events with every
                           instance on the same Redis (redis://host:port, unix:///path); no sticky routing
  --redis-prefix P         key prefix in Redis, not empty (default mcpwire:)
  --redis-lease-ms N       a dead instance's calls and tasks are re-run elsewhere after N ms
                           (default 10000)
  --redis-allow-eviction   start even when Redis may evict keys (maxmemory with a policy other
                           than noeviction), which loses sessions and tasks silently
  --redis-timeout-ms N     longest wait for one Redis reply before the request that needed it
                           fails (507, naming Redis) (default 5000)
`;

/** What the servers and the HTTP handler take from Redis. */
export interface ServeRedis {
  readonly stores: RedisStores;
  /** For createServer: the shared bus and (when the server offers tasks) task store. */
  readonly eventBus: ServerEventBus;
  readonly taskStore: TaskStore;
  /** For createServer's `tasks`: `--redis-lease-ms` as the tasks' lease and sweep period. */
  readonly taskLease: { leaseMs?: number; sweepMs?: number };
  /** For createMcpHttpHandler. */
  readonly http: { eventStore: SessionEventStore; recoverInflight: true; modern: { inputRounds: { key: Uint8Array; nonces: RedisStores['markers'] } } };
  /** For the listening line: where state is shared (the URL without its password) and the prefix. */
  readonly shown: string;
  close(): Promise<void>;
}

/** Connect when `--redis` is given; usage errors for flags that need it or clash with it. */
export async function openServeRedis(values: { redis?: string | undefined; 'redis-prefix'?: string | undefined; 'redis-lease-ms'?: string | undefined; 'redis-allow-eviction'?: boolean | undefined; 'redis-timeout-ms'?: string | undefined; state?: string | undefined; http?: boolean | undefined }, sessionIdleMs?: number): Promise<ServeRedis | undefined> {
  if (values.redis === undefined) {
    if (values['redis-prefix'] !== undefined || values['redis-lease-ms'] !== undefined || values['redis-allow-eviction'] !== undefined || values['redis-timeout-ms'] !== undefined) {
      throw new UsageError('--redis-prefix, --redis-lease-ms, --redis-timeout-ms and --redis-allow-eviction go with --redis');
    }
    return undefined;
  }
  if (!values.http) throw new UsageError('--redis goes with --http (several instances serve one endpoint)');
  if (values.state !== undefined) throw new UsageError('choose --state DIR (one instance) or --redis URL (several), not both');
  // Refused as given but with any password hidden: a command line's error lands in logs.
  if (!/^(rediss?:\/\/.|unix:\/\/[^/]*\/.)/.test(values.redis)) throw new UsageError(`--redis takes a URL like redis://127.0.0.1:6379 or unix:///run/redis.sock, got "${values.redis.replace(/\/\/[^@/]*@/, '//***@')}"`);
  if (values['redis-prefix'] === '') throw new UsageError('--redis-prefix must not be empty: keys without a prefix may clash with anything else stored in that Redis (default mcpwire:)');
  const lease = values['redis-lease-ms'];
  const leaseMs = lease === undefined ? undefined : Number(lease);
  if (leaseMs !== undefined && (!Number.isSafeInteger(leaseMs) || leaseMs < 30)) throw new UsageError(`--redis-lease-ms must be an integer of at least 30, got "${lease}"`);
  const timeout = values['redis-timeout-ms'];
  const commandTimeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (commandTimeoutMs !== undefined && (!/^\d+$/.test(timeout!) || !Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs < 1)) throw new UsageError(`--redis-timeout-ms must be a positive integer, got "${timeout}"`);
  // Loaded only with --redis: the Redis client is most of `mcpwire serve`'s start-up otherwise.
  const { createRedisStores } = await import('mcpwire/redis');
  const stores = await createRedisStores(values.redis, {
    ...(values['redis-prefix'] !== undefined ? { prefix: values['redis-prefix'] } : {}),
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(values['redis-allow-eviction'] ? { allowEviction: true } : {}),
    ...(commandTimeoutMs !== undefined ? { commandTimeoutMs } : {}),
    // --session-idle-ms: an unused session ends on every instance, not only in this one's memory.
    ...(sessionIdleMs !== undefined ? { ttlMs: sessionIdleMs } : {}),
    onError: (e) => say(`redis: ${e.message}`),
  });
  return {
    stores,
    eventBus: stores.eventBus as ServerEventBus & { publish(event: ServerEvent): Promise<number> },
    taskStore: stores.taskStore,
    taskLease: leaseMs === undefined ? {} : { leaseMs, sweepMs: leaseMs },
    http: { eventStore: stores.eventStore, recoverInflight: true, modern: { inputRounds: { key: stores.requestStateKey, nonces: stores.markers } } },
    shown: `Redis ${values.redis.replace(/\/\/[^@/]*@/, '//***@')}, prefix ${values['redis-prefix'] ?? 'mcpwire:'}`,
    close: () => stores.close(),
  };
}
