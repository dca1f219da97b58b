/**
 * The TaskStore: where durable tasks (2025-11-25 basic/utilities/tasks) live between a
 * task-augmented request and the client fetching its result, possibly across restarts. A
 * store keeps whole records; the rules of the protocol (who may see a task, which status may
 * follow which) live in the tasks runtime, except the two every store must keep: a terminal
 * record never changes, and a record past its TTL is gone.
 */
import type { RpcErrorObject, TaskStatus } from '../../protocol/index.ts';

/** How a finished task ended: the result of the request it ran, or a JSON-RPC error. */
export type TaskOutcome = { readonly result: Record<string, unknown> } | { readonly error: RpcErrorObject };

/** The request a task runs, kept so a restarted server can run it again. */
export interface TaskRequestRecord {
  readonly method: 'tools/call';
  readonly params: { readonly name: string; readonly arguments?: Record<string, unknown> };
  /** What the client declared when it made the request (2025 era: its `initialize`). */
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  readonly clientInfo?: Record<string, unknown>;
  /** The HTTP session it was made in (2025 era), when there was one. */
  readonly sessionId?: string;
  /**
   * The call's progress token (2025 era). 2025-11-25 basic/utilities/progress: it stays valid
   * for the task's lifetime, so a run resumed after a restart still reports to that session.
   */
  readonly progressToken?: string | number;
}

/** One task as stored. Times are ms since the epoch. */
export interface TaskRecord {
  /** Unguessable (task-id.ts). */
  readonly taskId: string;
  /** The principal that created it; only it may see the task (principal.ts). */
  readonly owner: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string;
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
  /** Retention from creation in ms; null for unlimited. */
  readonly ttl: number | null;
  readonly pollInterval?: number;
  readonly request: TaskRequestRecord;
  /**
   * Answers the client gave to the task's input requests, in the order asked: a re-run after
   * a restart replays them instead of asking again.
   */
  readonly inputs: readonly unknown[];
  /**
   * The questions waiting for an answer, by input key (2026-07-28 tasks extension, SEP-2663
   * `inputRequests`): stored so every instance sharing the store shows them and takes their
   * answers, not only the one running the task. An answered question leaves the map.
   */
  readonly inputRequests?: Readonly<Record<string, TaskInputRequest>>;
  /** Set once, with a terminal status. */
  readonly outcome?: TaskOutcome;
  /**
   * The run ended at this time (ms) but its outcome is not stored yet (the store refused it:
   * a full disk). A run taking the task over after its process died fails it instead of
   * running the tool again (takeover.ts): the outcome is lost, the work is not done twice.
   */
  readonly endedAt?: number;
  /**
   * Stored, its run not begun yet: set at creation for a tool that must not run twice
   * (`restart: 'fail'`, server/tools.ts) and cleared by the write that precedes its handler.
   * A run taking the task over runs a task so marked (its handler never ran) and fails one
   * without the mark, which may have run (also one a version without the mark wrote).
   */
  readonly notStarted?: true;
}

/** A question a task waits on: its place among the task's questions, and the request. */
export interface TaskInputRequest {
  /** Where its answer goes in {@link TaskRecord.inputs}. */
  readonly index: number;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/** What may change in a record. */
export interface TaskChange {
  status?: TaskStatus;
  /** `undefined` clears the message. */
  statusMessage?: string | undefined;
  inputs?: readonly unknown[];
  outcome?: TaskOutcome;
  /** See {@link TaskRecord.endedAt}. */
  endedAt?: number;
  /** `undefined` clears {@link TaskRecord.notStarted}: the run begins. */
  notStarted?: undefined;
  /** Questions to add to {@link TaskRecord.inputRequests} (a key asked again is replaced). */
  ask?: Readonly<Record<string, TaskInputRequest>>;
  /**
   * Answers by input key: each one that names a waiting question is recorded at its index in
   * `inputs` and the question leaves `inputRequests`; keys that name none (unknown, or
   * answered already) are ignored, so of two answers to one question the first is kept.
   */
  answer?: Readonly<Record<string, unknown>>;
}

/** One page of {@link TaskStore.list}. */
export interface TaskPage {
  readonly tasks: TaskRecord[];
  /** Pass back to get the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** Which tasks {@link TaskStore.list} returns. */
export interface TaskQuery {
  /**
   * Only this principal's tasks (or these principals': one owner stored under two names,
   * tasks/principal.ts `legacyOwnerIssuer`); all principals when absent (the runtime, on restart).
   */
  owner?: string | readonly string[];
  /** Only tasks that have not finished. */
  active?: boolean;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size; default 100. */
  limit?: number;
}

/**
 * Durable task records. Rules every implementation keeps (the contract suite checks them):
 * - `create` resolves only once the record would survive a crash (file store: fsynced);
 * - a terminal record (`completed`, `failed`, `cancelled`) never changes: `update` rejects
 *   with MCP_ERR_STATE;
 * - a record past `createdAt + ttl` is never returned and is deleted;
 * - `update` applies a change as {@link TaskChange} says (task-change.ts): questions and
 *   answers merge into the record, and a question keeps its first answer, also when several
 *   instances answer it at once;
 * - at most `maxTasks` records: a new one evicts the oldest terminal one of its owner, else
 *   the oldest terminal one, or, when none is terminal, `create` rejects with MCP_ERR_STORE;
 * - `list` returns records in creation order; its cursor survives deletions (a cursor the
 *   store did not issue rejects with the -32602 RpcError of 2025-11-25 pagination).
 */
export interface TaskStore {
  /**
   * Store a new record (its `taskId` must be new). `options.maxUnfinishedPerOwner`: a store
   * shared by instances (Redis) refuses an unfinished record whose owner has that many
   * unfinished records already, counted in the store by one atomic step, with MCP_ERR_STORE;
   * a store one process owns (memory, file) may leave the count to that process's runtime.
   */
  create(record: TaskRecord, options?: TaskCreateOptions): Promise<void>;
  /** The record, or undefined when unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Apply `change`; resolves with the new record, or undefined when the task is gone. */
  update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  /** Records matching `query`, one page at a time. */
  list(query?: TaskQuery): Promise<TaskPage>;
  /**
   * Take or renew the run lease of `taskId` for `holder` until `now + ms`: true when
   * `holder` holds it now (it was free, had lapsed, or was already its own), false while
   * another holder's lease runs. Atomic: of holders asking at once, exactly one wins. The
   * lease is independent of the record (it may be taken before the record is created).
   */
  lease(taskId: string, holder: string, ms: number): Promise<boolean>;
  /** Give the run lease of `taskId` up, if `holder` holds it. */
  releaseLease(taskId: string, holder: string): Promise<void>;
  /**
   * How many ms are left of `taskId`'s TTL on the store's own clock: null for a task without
   * TTL, undefined when unknown or expired. Optional: without it the tasks runtime reckons it
   * from `createdAt` on its own clock, which is right for a store one process owns (memory,
   * file) but not for one shared by instances whose clocks disagree (Redis implements it).
   */
  ttlLeft?(taskId: string): Promise<number | null | undefined>;
  /** Finish pending writes and release the store. */
  close(): Promise<void>;
}

/** Options of {@link TaskStore.create}. */
export interface TaskCreateOptions {
  /** The tasks runtime's `maxTasksPerPrincipal` for this record's owner (absent: no bound). */
  maxUnfinishedPerOwner?: number;
}

/** Limits shared by every store. */
export interface TaskStoreLimits {
  /** Records kept at once. Default {@link DEFAULT_MAX_TASKS}. */
  maxTasks?: number;
  /**
   * Bytes of one record as stored (its JSON, UTF-8): the request's arguments, the client's
   * capabilities and info, the answers and the outcome together. A create or change that
   * would make a record larger is refused with MCP_ERR_MESSAGE_TOO_LARGE naming this option
   * and the size, and nothing is stored; a task whose outcome is refused so fails with an
   * error saying so (server/tasks/outcome.ts). Default {@link DEFAULT_MAX_TASK_RECORD_BYTES}.
   */
  maxRecordBytes?: number;
  /**
   * Bytes of every record together (Redis: counted in Redis, for every instance). A record
   * that would go past it first evicts finished ones as `maxTasks` does; when only unfinished
   * ones are left, it is refused with MCP_ERR_STORE naming this option. Default
   * {@link DEFAULT_MAX_TASK_STORE_BYTES}.
   */
  maxTotalBytes?: number;
  /** The clock (ms since the epoch); tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** Default of {@link TaskStoreLimits.maxTasks}. */
export const DEFAULT_MAX_TASKS = 1000;

/** Default of {@link TaskStoreLimits.maxRecordBytes}: 1 MiB. */
export const DEFAULT_MAX_TASK_RECORD_BYTES = 1024 * 1024;

/** Default of {@link TaskStoreLimits.maxTotalBytes}: 64 MiB. */
export const DEFAULT_MAX_TASK_STORE_BYTES = 64 * 1024 * 1024;

/** Default page size of {@link TaskStore.list}. */
export const DEFAULT_TASK_PAGE = 100;

/** The statuses after which a task never changes (2025-11-25 basic/utilities/tasks: terminal). */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Whether an entry of {@link TaskRecord.inputs} holds an answer (JSON stores keep holes as null). */
export function isAnswered(input: unknown): boolean {
  return input !== undefined && input !== null;
}

/** Whether `record` matches {@link TaskQuery.owner} (absent: every owner). */
export function ownedBy(record: TaskRecord, owner: TaskQuery['owner']): boolean {
  return owner === undefined || (typeof owner === 'string' ? record.owner === owner : owner.includes(record.owner));
}

/** True once `record`'s TTL has run out at `now`. */
export function isExpired(record: TaskRecord, now: number): boolean {
  return record.ttl !== null && now >= record.createdAt + record.ttl;
}
