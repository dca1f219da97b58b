/**
 * The TaskStore on Redis, shared by every instance (2025-11-25 basic/utilities/tasks): a
 * task created on instance A is polled, answered and cancelled on B. One JSON record per key
 * plus indexes (creation order, expiry time, finished ids, owners, each owner's unfinished
 * ids); creation runs as one Lua script (limits, eviction of the owner's oldest finished task,
 * else the oldest, TTL purge), changes as a
 * compare-and-set, so two instances changing one task never lose a change. Run leases
 * (who runs a task) are one key per task, taken and renewed by one script, so of instances
 * that find a task orphaned at once exactly one takes it over. Expiry and leases are timed
 * by Redis's clock (`TIME`), one clock for every instance: an instance whose wall clock runs
 * ahead neither deletes other instances' tasks as expired nor takes leases they still renew.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError } from '../../protocol/index.ts';
import { decodeTaskCursor as decodeCursor, encodeTaskCursor as encodeCursor } from '../task-store/cursor.ts';
import {
  DEFAULT_MAX_TASKS, DEFAULT_TASK_PAGE, isTerminal, ownedBy,
  type TaskChange, type TaskCreateOptions, type TaskPage, type TaskQuery, type TaskRecord, type TaskStore, type TaskStoreLimits,
} from '../task-store/types.ts';
import { fencedScript, redisScript, type RedisLink } from './connection.ts';
import { redisKeys, type RedisKeys } from './keys.ts';
import { checkLease } from '../task-store/task-leases.ts';
import { applyTaskChange } from '../task-store/task-change.ts';
import { taskRecordProblem } from '../task-store/record-shape.ts';
import { byteLimits, sizeRecord } from '../task-store/record-size.ts';

/** Options of {@link createRedisTaskStore}. */
export interface RedisTaskStoreOptions extends TaskStoreLimits {
  prefix?: string;
  /**
   * A stored record this version cannot use (written by another version sharing the Redis, a
   * rolling upgrade): `list` skips it and tells this once per task; `get` rejects naming it.
   */
  onError?: (error: Error) => void;
}

/** Task ids whose unusable record was told already (bounded: the oldest forgotten). */
const MAX_TOLD = 1024;

const DROP = `
local function drop(p, id)
  local owner = redis.call('HGET', p..'tasks:owner', id)
  if owner then redis.call('SREM', p..'tasks:live:'..owner, id) end
  redis.call('DEL', p..'task:'..id)
  redis.call('ZREM', p..'tasks:order', id)
  redis.call('ZREM', p..'tasks:expiry', id)
  redis.call('SREM', p..'tasks:terminal', id)
  redis.call('HDEL', p..'tasks:owner', id)
  local b = redis.call('HGET', p..'tasks:bytes', id)
  if b then redis.call('HDEL', p..'tasks:bytes', id) redis.call('DECRBY', p..'tasks:total', b) end
end
`;

/**
 * Make room for a record of `owner` (id `self`) so that the store holds at most `max`
 * records and `maxBytes` bytes, given `count` as it would be with it and `delta`, the
 * bytes it adds. Over maxBytes, the sum is counted again from `tasks:bytes` first (keys
 * evicted under an evicting maxmemory-policy would otherwise leave it too high for good). The
 * owner's oldest finished records go first, then the oldest finished ones (maxTasks,
 * maxTotalBytes). Nothing is dropped unless that makes room; then 'full' (records) or
 * 'bytes' (bytes). A record stored by an older version has no size in `tasks:bytes`: 0.
 */
const ROOM = `
local function room(p, owner, self, count, max, delta, maxBytes)
  local bytes = (tonumber(redis.call('GET', p..'tasks:total')) or 0) + delta
  if bytes > maxBytes then
    local sum = 0
    for _, b in ipairs(redis.call('HVALS', p..'tasks:bytes')) do sum = sum + tonumber(b) end
    redis.call('SET', p..'tasks:total', sum)
    bytes = sum + delta
  end
  if count <= max and bytes <= maxBytes then return 'ok' end
  local mine, others = {}, {}
  for _, id in ipairs(redis.call('ZRANGE', p..'tasks:order', 0, -1)) do
    if id ~= self and redis.call('SISMEMBER', p..'tasks:terminal', id) == 1 then
      if redis.call('HGET', p..'tasks:owner', id) == owner then mine[#mine + 1] = id else others[#others + 1] = id end
    end
  end
  local victims = {}
  for _, list in ipairs({ mine, others }) do
    for _, id in ipairs(list) do
      victims[#victims + 1] = id
      count = count - 1
      bytes = bytes - (tonumber(redis.call('HGET', p..'tasks:bytes', id)) or 0)
      if count <= max and bytes <= maxBytes then
        for _, v in ipairs(victims) do drop(p, v) end
        return 'ok'
      end
    end
  end
  if count > max then return 'full' end
  return 'bytes'
end
`;

/**
 * The time the expiry scores are on, as `now` in Lua: ARGV[i] when the caller passes one (an
 * injected clock: tests), else Redis's `TIME`, in ms.
 */
function nowFrom(arg: string): string {
  return `local now = tonumber(${arg})
if not now then local t = redis.call('TIME') now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
`;
}

/**
 * ARGV: prefix, id, json, terminal (0/1), maxTasks, now or '' (Redis's clock), ms left of the
 * TTL or '+inf' (the expiry score is now + that), real ttl ms or '',
 * owner, unfinished tasks allowed per owner or '', maxTotalBytes, deadline (last: connection.ts).
 * When full (ROOM), the oldest finished task of the same owner goes first, else the oldest
 * finished one (`tasks:owner`; a task stored by an older version has no entry there). Each
 * record's size is kept in `tasks:bytes`, their sum in `tasks:total`. An owner's unfinished tasks are the set
 * `tasks:live:<owner>` (counted here, atomically, for every instance: maxTasksPerPrincipal).
 * Fenced (connection.ts): a creation reported failed that landed later would be a task its
 * client never heard of, run by the next sweep.
 */
const CREATE = fencedScript('task creation', `${DROP}${ROOM}
${nowFrom('ARGV[6]')}
local p = ARGV[1]
local order = p..'tasks:order'
local live = p..'tasks:live:'..ARGV[9]
if redis.call('ZSCORE', order, ARGV[2]) then return 'exists' end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p..'tasks:expiry', '-inf', now)) do drop(p, id) end
if ARGV[4] == '0' and ARGV[10] ~= '' and redis.call('SCARD', live) >= tonumber(ARGV[10]) then return 'owner-full' end
local size = string.len(ARGV[3])
local made = room(p, ARGV[9], ARGV[2], redis.call('ZCARD', order) + 1, tonumber(ARGV[5]), size, tonumber(ARGV[11]))
if made ~= 'ok' then return made end
local seq = redis.call('INCR', p..'tasks:seq')
local key = p..'task:'..ARGV[2]
redis.call('SET', key, ARGV[3])
if ARGV[8] ~= '' then redis.call('PEXPIRE', key, ARGV[8]) end
redis.call('ZADD', order, seq, ARGV[2])
redis.call('ZADD', p..'tasks:expiry', ARGV[7] == '+inf' and '+inf' or now + tonumber(ARGV[7]), ARGV[2])
if ARGV[4] == '1' then redis.call('SADD', p..'tasks:terminal', ARGV[2]) else redis.call('SADD', live, ARGV[2]) end
redis.call('HSET', p..'tasks:owner', ARGV[2], ARGV[9])
redis.call('HSET', p..'tasks:bytes', ARGV[2], size)
redis.call('INCRBY', p..'tasks:total', size)
return 'ok'
`);

/**
 * Replace KEYS[1] by ARGV[2] only if it still holds ARGV[1]. ARGV: old, new, terminal,
 * prefix, id, owner (a finished task leaves its owner's unfinished set), maxTasks,
 * maxTotalBytes, deadline. A record that grows past maxTotalBytes first evicts finished ones
 * (ROOM), else is refused ('bytes'). Fenced: a change reported failed (a cancel, an answer)
 * is not made.
 */
const SWAP = fencedScript('task change', `${DROP}${ROOM}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local p, size = ARGV[4], string.len(ARGV[2])
local was = tonumber(redis.call('HGET', p..'tasks:bytes', ARGV[5])) or 0 -- an older version's record: not counted
local made = room(p, ARGV[6], ARGV[5], redis.call('ZCARD', p..'tasks:order'), tonumber(ARGV[7]), size - was, tonumber(ARGV[8]))
if made ~= 'ok' then return made end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('HSET', p..'tasks:bytes', ARGV[5], size)
redis.call('INCRBY', p..'tasks:total', size - was)
if ARGV[3] == '1' then
  redis.call('SADD', ARGV[4]..'tasks:terminal', ARGV[5])
  redis.call('SREM', ARGV[4]..'tasks:live:'..ARGV[6], ARGV[5])
end
return 1
`);

/**
 * The record at KEYS[1], or nil when unknown or past its expiry score (then deleted).
 * ARGV: prefix, id, now or '' (Redis's clock).
 */
const READ = redisScript(`${DROP}
${nowFrom('ARGV[3]')}
local json = redis.call('GET', KEYS[1])
if not json then return nil end
local expiry = tonumber(redis.call('ZSCORE', ARGV[1]..'tasks:expiry', ARGV[2]))
if expiry and expiry <= now then drop(ARGV[1], ARGV[2]) return nil end
return json
`);

/** ARGV: prefix, ids... */
const PURGE = redisScript(`${DROP}
for i = 2, #ARGV do drop(ARGV[1], ARGV[i]) end
return 1
`);

/**
 * Take KEYS[1] (`<until> <holder>`) for ARGV[1] unless another holder's lease runs past now.
 * ARGV: holder, now ('' : Redis's own clock, `TIME`, read by the fence), ms, px (the key
 * outlives the lease a little; the stored time decides, so an injected clock works),
 * deadline. Redis's clock by default: one clock for every instance, so an instance whose
 * wall clock is ahead (skew, a step after a VM resumes) does not take a lease another still
 * renews, and run its task a second time. Fenced: a lease reported not taken must not be
 * held later, barring the task from others for a lease.
 */
const LEASE = fencedScript('task lease', `
local now = tonumber(ARGV[2])
if not now then now = tonumber(mcpwire_now[1]) * 1000 + math.floor(tonumber(mcpwire_now[2]) / 1000) end
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, ' ', 1, true)
  local holder = string.sub(cur, sep + 1)
  if holder ~= ARGV[1] and tonumber(string.sub(cur, 1, sep - 1)) > now then return 0 end
end
redis.call('SET', KEYS[1], (now + tonumber(ARGV[3]))..' '..ARGV[1], 'PX', ARGV[4])
return 1
`);

/** Delete KEYS[1] if ARGV[1] holds it. */
const RELEASE = redisScript(`
local cur = redis.call('GET', KEYS[1])
if cur and string.sub(cur, string.find(cur, ' ', 1, true) + 1) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** How much longer than the lease its key lives, ms. */
const LEASE_KEY_SLACK = 1000;

/** Create a TaskStore on `link`. */
export function createRedisTaskStore(link: RedisLink, options: RedisTaskStoreOptions = {}): TaskStore {
  return new RedisTaskStore(link, redisKeys(options.prefix), options);
}

class RedisTaskStore implements TaskStore {
  readonly #link: RedisLink;
  readonly #keys: RedisKeys;
  readonly #max: number;
  /** `maxRecordBytes` and `maxTotalBytes` (record-size.ts). */
  readonly #maxRecordBytes: number;
  readonly #maxTotalBytes: number;
  readonly #now: () => number;
  /** The injected clock (tests), which leases then use too; else leases use Redis's. */
  readonly #clock: (() => number) | undefined;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #told = new Set<string>();

  constructor(link: RedisLink, keys: RedisKeys, options: RedisTaskStoreOptions) {
    this.#link = link;
    this.#keys = keys;
    this.#max = options.maxTasks ?? DEFAULT_MAX_TASKS;
    if (!Number.isSafeInteger(this.#max) || this.#max < 1) throw new McpError(LocalErrorCode.Validation, `maxTasks must be a positive integer, got ${this.#max}`);
    ({ maxRecordBytes: this.#maxRecordBytes, maxTotalBytes: this.#maxTotalBytes } = byteLimits(options));
    this.#now = options.now ?? Date.now;
    this.#clock = options.now;
    this.#onError = options.onError;
  }

  /** The record `json` holds, or the error that says why this version cannot use it. */
  #parse(taskId: string, json: string): TaskRecord | McpError {
    let value: unknown;
    let problem: string | undefined;
    try {
      value = JSON.parse(json);
      problem = taskRecordProblem(value);
    } catch (error) {
      problem = `not JSON: ${(error as Error).message}`;
    }
    return problem === undefined ? value as TaskRecord : new McpError(LocalErrorCode.Store, `the record of task ${taskId} in Redis cannot be used by this version (${problem})`);
  }

  async create(record: TaskRecord, options: TaskCreateOptions = {}): Promise<void> {
    const perOwner = options.maxUnfinishedPerOwner;
    const { json, bytes } = sizeRecord(record, this.#maxRecordBytes);
    // What is left of the TTL on the clock that stamped createdAt (this process's); the script
    // puts the expiry that far ahead on the store's clock (Redis's), so skew between
    // instances moves no expiry.
    const left = record.ttl === null ? undefined : record.createdAt + record.ttl - this.#now();
    // Redis drops the record on its own too, a little after its TTL (the clock may be injected).
    const realTtl = left === undefined ? '' : Math.max(1, left) + 1000;
    const outcome = await this.#link.eval(CREATE, [], [
      this.#keys.prefix, record.taskId, json, isTerminal(record.status) ? 1 : 0, this.#max, this.#clock?.() ?? '', left ?? '+inf', realTtl, record.owner, perOwner ?? '', this.#maxTotalBytes, this.#link.writeDeadline(),
    ]);
    if (outcome === 'owner-full') throw new McpError(LocalErrorCode.Store, `this principal has ${perOwner} unfinished tasks already, counted across every instance (maxTasksPerPrincipal); wait for one to end`);
    if (outcome === 'exists') throw new McpError(LocalErrorCode.Validation, `task ${record.taskId} already exists`);
    if (outcome === 'full') throw new McpError(LocalErrorCode.Store, `the task store is full: ${this.#max} unfinished tasks (option maxTasks)`);
    if (outcome === 'bytes') throw this.#bytesFull(record.taskId, bytes);
  }

  #bytesFull(taskId: string, bytes: number): McpError {
    return new McpError(LocalErrorCode.Store, `the task store is full: task ${taskId} needs ${bytes} bytes and unfinished tasks hold the rest of maxTotalBytes (${this.#maxTotalBytes})`);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return (await this.#read(taskId))?.record;
  }

  async #read(taskId: string): Promise<{ json: string; record: TaskRecord } | undefined> {
    const json = await this.#link.eval(READ, [this.#keys.task(taskId)], [this.#keys.prefix, taskId, this.#clock?.() ?? '']) as string | null;
    if (json === null) return undefined;
    const record = this.#parse(taskId, json);
    if (record instanceof McpError) throw record;
    return { json, record };
  }

  async update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    // Compare-and-set: a change made meanwhile by another instance is read again, never lost.
    for (let attempt = 0; attempt < 16; attempt++) {
      const current = await this.#read(taskId);
      if (!current) return undefined;
      const { record } = current;
      if (isTerminal(record.status)) throw new McpError(LocalErrorCode.State, `task ${taskId} is ${record.status}; a finished task never changes`);
      const done = applyTaskChange(record, change, this.#now());
      const { json, bytes } = sizeRecord(done, this.#maxRecordBytes);
      const swapped = await this.#link.eval(SWAP, [this.#keys.task(taskId)], [
        current.json, json, isTerminal(done.status) ? 1 : 0, this.#keys.prefix, taskId, record.owner, this.#max, this.#maxTotalBytes, this.#link.writeDeadline(),
      ]);
      if (swapped === 'bytes') throw this.#bytesFull(taskId, bytes);
      if (Number(swapped) === 1) return done;
    }
    throw new McpError(LocalErrorCode.Store, `task ${taskId} changed 16 times while this instance tried to change it`);
  }

  async list(query: TaskQuery = {}): Promise<TaskPage> {
    const from = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_TASK_PAGE;
    const listed = await this.#link.send(['ZRANGE', this.#keys.taskOrder(), from, '+inf', 'BYSCORE', 'WITHSCORES']) as unknown[];
    const pairs = readPairs(listed);
    if (pairs.length === 0) return { tasks: [] };
    const ids = pairs.map(([id]) => id);
    const [jsons, expiries, now] = await Promise.all([
      this.#link.send(['MGET', ...ids.map((id) => this.#keys.task(id))]) as Promise<Array<string | null>>,
      this.#link.send(['ZMSCORE', this.#keys.taskExpiry(), ...ids]) as Promise<Array<string | number | null>>,
      this.#storeNow(),
    ]);
    const tasks: TaskRecord[] = [];
    const expired: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const json = jsons[i];
      if (json === null || json === undefined) continue;
      const record = this.#parse(ids[i]!, json);
      if (record instanceof McpError) {
        this.#tell(ids[i]!, record);
        continue;
      }
      const expiry = expiries[i];
      if (expiry !== null && expiry !== undefined && Number(expiry) <= now) {
        expired.push(record.taskId);
        continue;
      }
      if (!ownedBy(record, query.owner)) continue;
      if (query.active && isTerminal(record.status)) continue;
      if (tasks.length === limit) {
        await this.#purge(expired);
        return { tasks, nextCursor: encodeCursor(pairs[i]![1]) };
      }
      tasks.push(record);
    }
    await this.#purge(expired);
    return { tasks };
  }

  /** Report `error` about task `taskId` once (a sweep lists the task every `sweepMs`). */
  #tell(taskId: string, error: McpError): void {
    if (this.#told.has(taskId)) return;
    this.#told.add(taskId);
    if (this.#told.size > MAX_TOLD) this.#told.delete(this.#told.values().next().value!);
    this.#onError?.(error);
  }

  /** The time expiry scores are on: the injected clock, else Redis's (`TIME`). */
  async #storeNow(): Promise<number> {
    if (this.#clock) return this.#clock();
    const [sec, usec] = await this.#link.send(['TIME']) as [string, string];
    return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
  }

  async #purge(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.#link.eval(PURGE, [], [this.#keys.prefix, ...ids]);
  }

  async lease(taskId: string, holder: string, ms: number): Promise<boolean> {
    checkLease(holder, ms);
    return Number(await this.#link.eval(LEASE, [this.#keys.taskLease(taskId)], [holder, this.#clock?.() ?? '', ms, ms + LEASE_KEY_SLACK, this.#link.writeDeadline()])) === 1;
  }

  async ttlLeft(taskId: string): Promise<number | null | undefined> {
    // The expiry score is on Redis's clock (see create): the difference from TIME is what is
    // left, whatever the clock of the instance asking (one that took a dead instance's task over).
    const [score, now] = await Promise.all([
      this.#link.send(['ZSCORE', this.#keys.taskExpiry(), taskId]) as Promise<string | number | null>,
      this.#storeNow(),
    ]);
    if (score === null || score === undefined) return undefined;
    const expiry = Number(score);
    if (Number.isNaN(expiry) || expiry === Infinity) return null; // '+inf' (RESP2 'inf'): no TTL
    return expiry > now ? expiry - now : undefined;
  }

  async releaseLease(taskId: string, holder: string): Promise<void> {
    await this.#link.eval(RELEASE, [this.#keys.taskLease(taskId)], [holder]);
  }

  async close(): Promise<void> {}
}

/** `[id, score]` pairs of a WITHSCORES reply (RESP2: flat list; RESP3: pairs). */
function readPairs(reply: unknown[]): Array<[string, number]> {
  if (reply.length > 0 && Array.isArray(reply[0])) return (reply as Array<[string, unknown]>).map(([id, s]) => [String(id), Number(s)]);
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), Number(reply[i + 1])]);
  return pairs;
}
