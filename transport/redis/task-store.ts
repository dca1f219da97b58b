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
import type { RedisLink } from './connection.ts';
import { CREATE, FIT, LEASE, PURGE, READ, RELEASE, SWAP } from './task-scripts.ts';
import { redisKeys, type RedisKeys } from './keys.ts';
import { checkLease } from '../task-store/task-leases.ts';
import { applyTaskChange } from '../task-store/task-change.ts';
import { taskRecordProblem } from '../task-store/record-shape.ts';
import { byteLimits, sizeRecord } from '../task-store/record-size.ts';
import { positiveIntegerOption } from '../../protocol/limits.ts';

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

/** How much longer than the lease its key lives, ms. */
const LEASE_KEY_SLACK = 1000;

/**
 * Create a TaskStore on `link`. It applies `maxTasks` and `maxTotalBytes` at its writes only:
 * records stored under larger bounds stay until the next create or change.
 * {@link openRedisTaskStore} (used by `createRedisStores`) applies them at open too.
 */
export function createRedisTaskStore(link: RedisLink, options: RedisTaskStoreOptions = {}): TaskStore {
  return new RedisTaskStore(link, redisKeys(options.prefix), options);
}

/**
 * Create a TaskStore on `link` and bring the records already under its prefix within its
 * `maxTasks` and `maxTotalBytes` now: expired records, then the oldest finished ones, are
 * deleted; unfinished ones are kept (another instance may be running them). Told once through
 * `onError` when anything was over. Every instance sharing the prefix should be given the same
 * bounds: each applies its own at open and at its writes, so during a change of bounds the
 * lower one holds only after every instance has it.
 */
export async function openRedisTaskStore(link: RedisLink, options: RedisTaskStoreOptions = {}): Promise<TaskStore> {
  const store = new RedisTaskStore(link, redisKeys(options.prefix), options);
  await store.fitBounds();
  return store;
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
    this.#max = positiveIntegerOption('maxTasks', options.maxTasks, DEFAULT_MAX_TASKS);
    ({ maxRecordBytes: this.#maxRecordBytes, maxTotalBytes: this.#maxTotalBytes } = byteLimits(options));
    this.#now = options.now ?? Date.now;
    this.#clock = options.now;
    this.#onError = options.onError;
  }

  /** See {@link openRedisTaskStore}; one atomic script (FIT), so it races no other instance. */
  async fitBounds(): Promise<void> {
    const reply = await this.#link.eval(FIT, [], [this.#keys.prefix, this.#max, this.#maxTotalBytes, this.#clock?.() ?? '']) as unknown[];
    const [heldCount, heldBytes, expired, evicted, count, bytes] = reply.map(Number) as [number, number, number, number, number, number];
    if (heldCount <= this.#max && heldBytes <= this.#maxTotalBytes) return;
    const over = count > this.#max ? `; ${count} unfinished tasks are over maxTasks (${this.#max})`
      : bytes > this.#maxTotalBytes ? `; unfinished tasks hold ${bytes} bytes, over maxTotalBytes (${this.#maxTotalBytes})` : '';
    this.#onError?.(new McpError(LocalErrorCode.Store, `the Redis task store (prefix ${this.#keys.prefix}) held ${heldCount} records of ${heldBytes} bytes, more than this instance's maxTasks (${this.#max}) or maxTotalBytes (${this.#maxTotalBytes}): `
      + `${expired} expired and the ${evicted} oldest finished records were deleted${over === '' ? '' : `${over}, so new tasks are refused until some end`}`));
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
