/**
 * The key layout of the Redis stores: every key starts with the prefix (default `mcpwire:`),
 * so several deployments can share one Redis. Layout and retention are in the README
 * ("Running several instances"); the Lua scripts build the same names from the prefix.
 */

import { LocalErrorCode, McpError } from '../../protocol/index.ts';

/** The default key prefix. */
export const DEFAULT_REDIS_PREFIX = 'mcpwire:';

/**
 * Refuse a prefix that cannot keep deployments apart: an empty one writes bare keys
 * (`session:<id>`, channel `bus`) that any other user of the Redis may hold. Glob characters
 * (`*`, `?`, `[`) are allowed: the one scan (`loadSessions`) escapes them, see {@link scanPattern}.
 */
export function checkRedisPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || prefix === '') {
    throw new McpError(LocalErrorCode.Validation, `the Redis key prefix must be a non-empty string (default ${DEFAULT_REDIS_PREFIX}), got ${JSON.stringify(prefix)}: an empty one writes unprefixed keys that other users of the Redis may hold`);
  }
}

/** A SCAN MATCH pattern for the keys that start with `literal` (its glob characters escaped). */
export function scanPattern(literal: string): string {
  return `${literal.replace(/[*?[\\\]]/g, '\\$&')}*`;
}

/** Key names for one prefix. */
export interface RedisKeys {
  readonly prefix: string;
  /** The shared key that tags stream tokens (event-id.ts). */
  tagKey(): string;
  /** Session + stream id -> stream token. */
  streamOf(sessionId: string, streamId: string): string;
  /** A stream's metadata hash: sid, stream, last (seq), ended (seq). */
  streamMeta(token: string): string;
  /** A stream's events (a Redis Stream, entry id `<seq>-0`; `<seq>-1` marks its end). */
  events(token: string): string;
  /** The tokens of a session's streams. */
  sessionStreams(sessionId: string): string;
  /** A session's saved state (hash: base, ver, inf:<instance>). */
  session(sessionId: string): string;
  /** Marks a deleted session (every instance answers 404 for it). */
  ended(sessionId: string): string;
  /** The pub/sub channel that carries client answers to the instance that asked. */
  relayChannel(): string;
  /** An instance's liveness lease. */
  alive(instanceId: string): string;
  /** Who re-runs the interrupted calls an instance left in a session. */
  takeover(sessionId: string, instanceId: string): string;
  task(taskId: string): string;
  /** Task ids by creation sequence (sorted set). */
  taskOrder(): string;
  /** Task ids by expiry time (sorted set). */
  taskExpiry(): string;
  /** Ids of finished tasks (set). */
  taskTerminal(): string;
  /** Task id -> its owner (hash): a full store evicts the creating owner's finished tasks first. */
  taskOwner(): string;
  /** An owner's unfinished task ids (set): maxTasksPerPrincipal across instances. */
  taskLive(owner: string): string;
  taskSeq(): string;
  /** Who runs a task, and until when (`<until ms> <holder>`; expires on its own). */
  taskLease(taskId: string): string;
  /** A single-use marker. */
  marker(scope: string, id: string): string;
  /** The pub/sub channel of the event bus. */
  busChannel(): string;
}

/** The key names under `prefix`. */
export function redisKeys(prefix: string = DEFAULT_REDIS_PREFIX): RedisKeys {
  checkRedisPrefix(prefix);
  const p = prefix;
  return {
    prefix: p,
    tagKey: () => `${p}es:tagkey`,
    // The session id's length first: a ':' inside it cannot make two pairs one key.
    streamOf: (sessionId, streamId) => `${p}es:key:${sessionId.length}:${sessionId}:${streamId}`,
    streamMeta: (token) => `${p}es:meta:${token}`,
    events: (token) => `${p}es:ev:${token}`,
    sessionStreams: (sessionId) => `${p}es:sess:${sessionId}`,
    session: (sessionId) => `${p}session:${sessionId}`,
    ended: (sessionId) => `${p}ended:${sessionId}`,
    relayChannel: () => `${p}relay`,
    alive: (instanceId) => `${p}alive:${instanceId}`,
    takeover: (sessionId, instanceId) => `${p}takeover:${sessionId.length}:${sessionId}:${instanceId}`,
    task: (taskId) => `${p}task:${taskId}`,
    taskOrder: () => `${p}tasks:order`,
    taskExpiry: () => `${p}tasks:expiry`,
    taskTerminal: () => `${p}tasks:terminal`,
    taskOwner: () => `${p}tasks:owner`,
    taskLive: (owner) => `${p}tasks:live:${owner}`,
    taskSeq: () => `${p}tasks:seq`,
    taskLease: (taskId) => `${p}task-lease:${taskId}`,
    marker: (scope, id) => `${p}once:${scope}:${id}`,
    busChannel: () => `${p}bus`,
  };
}
