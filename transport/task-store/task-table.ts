/**
 * The in-memory index every TaskStore keeps: records by id in creation order, with the
 * store rules of types.ts (terminal records frozen, TTL, the count bound, stable cursors).
 * The memory store is this table; the file store is this table plus its log.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError } from '../../protocol/index.ts';
import { applyTaskChange } from './task-change.ts';
import { decodeTaskCursor as decodeCursor, encodeTaskCursor as encodeCursor } from './cursor.ts';
import {
  DEFAULT_MAX_TASKS, DEFAULT_TASK_PAGE, isExpired, isTerminal,
  type TaskChange, type TaskPage, type TaskQuery, type TaskRecord, type TaskStoreLimits,
} from './types.ts';

interface Slot {
  record: TaskRecord;
  /** Creation order; cursors name it, so they survive deletions. */
  seq: number;
}

/** Records in creation order, with the store rules. */
export class TaskTable {
  readonly #slots = new Map<string, Slot>();
  readonly #maxTasks: number;
  readonly now: () => number;
  #seq = 0;

  constructor(limits: TaskStoreLimits = {}) {
    const max = limits.maxTasks ?? DEFAULT_MAX_TASKS;
    if (!Number.isSafeInteger(max) || max < 1) throw new McpError(LocalErrorCode.Validation, `maxTasks must be a positive integer, got ${max}`);
    this.#maxTasks = max;
    this.now = limits.now ?? Date.now;
  }

  get size(): number { return this.#slots.size; }

  /** Forget every record (a log found unusable midway is set aside whole). */
  clear(): void {
    this.#slots.clear();
  }

  /** Every record, oldest first (the file store's compaction writes them out). */
  records(): TaskRecord[] {
    return [...this.#slots.values()].map((s) => s.record);
  }

  /**
   * Ids to delete before `record` can be added (expired ones, then, when full, the oldest
   * terminal one of `record`'s owner, else the oldest terminal one: an owner making tasks
   * without end evicts its own results before anyone else's); throws MCP_ERR_STORE when the
   * store is full of unfinished tasks.
   */
  makeRoom(record: TaskRecord): string[] {
    if (this.#slots.has(record.taskId)) throw new McpError(LocalErrorCode.Validation, `task ${record.taskId} already exists`);
    const doomed = this.expired();
    if (this.#slots.size - doomed.length < this.#maxTasks) return doomed;
    let oldest: string | undefined;
    for (const [id, slot] of this.#slots) {
      if (doomed.includes(id) || !isTerminal(slot.record.status)) continue;
      if (slot.record.owner === record.owner) return [...doomed, id];
      oldest ??= id;
    }
    if (oldest !== undefined) return [...doomed, oldest];
    throw new McpError(LocalErrorCode.Store, `the task store is full: ${this.#maxTasks} unfinished tasks (option maxTasks)`);
  }

  /** Ids whose TTL has run out. */
  expired(): string[] {
    const now = this.now();
    const ids: string[] = [];
    for (const [id, slot] of this.#slots) if (isExpired(slot.record, now)) ids.push(id);
    return ids;
  }

  /** Add (or, loading a log, replace) a record. */
  put(record: TaskRecord): void {
    const slot = this.#slots.get(record.taskId);
    if (slot) slot.record = record;
    else this.#slots.set(record.taskId, { record, seq: this.#seq++ });
  }

  delete(taskId: string): boolean {
    return this.#slots.delete(taskId);
  }

  /** The live record (undefined when unknown or expired). */
  get(taskId: string): TaskRecord | undefined {
    const slot = this.#slots.get(taskId);
    return slot && !isExpired(slot.record, this.now()) ? slot.record : undefined;
  }

  /** The record after `change`; throws MCP_ERR_STATE when the task already finished. */
  changed(taskId: string, change: TaskChange): TaskRecord | undefined {
    const record = this.get(taskId);
    if (!record) return undefined;
    if (isTerminal(record.status)) throw new McpError(LocalErrorCode.State, `task ${taskId} is ${record.status}; a finished task never changes`);
    return applyTaskChange(record, change, this.now());
  }

  list(query: TaskQuery = {}): TaskPage {
    const from = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_TASK_PAGE;
    const now = this.now();
    const tasks: TaskRecord[] = [];
    for (const { record, seq } of this.#slots.values()) {
      if (seq < from || isExpired(record, now)) continue;
      if (query.owner !== undefined && record.owner !== query.owner) continue;
      if (query.active && isTerminal(record.status)) continue;
      if (tasks.length === limit) return { tasks, nextCursor: encodeCursor(seq) };
      tasks.push(record);
    }
    return { tasks };
  }
}
