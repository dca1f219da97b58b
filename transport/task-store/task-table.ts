/**
 * The in-memory index every TaskStore keeps: records by id in creation order, with the
 * store rules of types.ts (terminal records frozen, TTL, the count bound, stable cursors).
 * The memory store is this table; the file store is this table plus its log.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError } from '../../protocol/index.ts';
import { applyTaskChange } from './task-change.ts';
import { byteLimits, sizeRecord, type SizedRecord } from './record-size.ts';
import { positiveIntegerOption } from '../../protocol/limits.ts';
import { decodeTaskCursor as decodeCursor, encodeTaskCursor as encodeCursor } from './cursor.ts';
import {
  DEFAULT_MAX_TASKS, DEFAULT_TASK_PAGE, isExpired, isTerminal, ownedBy,
  type TaskChange, type TaskPage, type TaskQuery, type TaskRecord, type TaskStoreLimits,
} from './types.ts';

interface Slot {
  record: TaskRecord;
  /** Its JSON's UTF-8 length (record-size.ts). */
  bytes: number;
  /** Creation order; cursors name it, so they survive deletions. */
  seq: number;
}

/** Records in creation order, with the store rules. */
export class TaskTable {
  readonly #slots = new Map<string, Slot>();
  readonly #maxTasks: number;
  readonly #maxRecordBytes: number;
  readonly #maxTotalBytes: number;
  readonly now: () => number;
  #seq = 0;
  /** Bytes of every record held. */
  #bytes = 0;

  constructor(limits: TaskStoreLimits = {}) {
    this.#maxTasks = positiveIntegerOption('maxTasks', limits.maxTasks, DEFAULT_MAX_TASKS);
    ({ maxRecordBytes: this.#maxRecordBytes, maxTotalBytes: this.#maxTotalBytes } = byteLimits(limits));
    this.now = limits.now ?? Date.now;
  }

  get size(): number { return this.#slots.size; }

  /** Bytes of every record held (`maxTotalBytes`). */
  get bytes(): number { return this.#bytes; }

  /** Forget every record (a log found unusable midway is set aside whole). */
  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }

  /** `record` measured; throws MCP_ERR_MESSAGE_TOO_LARGE over `maxRecordBytes` (record-size.ts). */
  sized(record: TaskRecord): SizedRecord {
    return sizeRecord(record, this.#maxRecordBytes);
  }

  /** Every record, oldest first (the file store's compaction writes them out). */
  records(): TaskRecord[] {
    return [...this.#slots.values()].map((s) => s.record);
  }

  /**
   * Ids to delete before `sized` can be added, or replace its record (expired ones, then,
   * while the store would hold more than `maxTasks` records or `maxTotalBytes`, the oldest
   * terminal ones of its owner, else the oldest terminal ones: an owner making tasks without
   * end evicts its own results before anyone else's); throws MCP_ERR_STORE when only
   * unfinished tasks are left to evict.
   */
  makeRoom(sized: SizedRecord, replace = false): string[] {
    const { record } = sized;
    const current = this.#slots.get(record.taskId);
    if (current && !replace) throw new McpError(LocalErrorCode.Validation, `task ${record.taskId} already exists`);
    const doomed = this.expired().filter((id) => id !== record.taskId);
    let count = this.#slots.size - doomed.length + (current ? 0 : 1);
    let bytes = this.#bytes - (current?.bytes ?? 0) + sized.bytes;
    for (const id of doomed) bytes -= this.#slots.get(id)!.bytes;
    const fits = () => count <= this.#maxTasks && bytes <= this.#maxTotalBytes;
    if (fits()) return doomed;
    const mine: string[] = [];
    const others: string[] = [];
    for (const [id, slot] of this.#slots) {
      if (id === record.taskId || doomed.includes(id) || !isTerminal(slot.record.status)) continue;
      (slot.record.owner === record.owner ? mine : others).push(id);
    }
    for (const id of [...mine, ...others]) {
      doomed.push(id);
      count -= 1;
      bytes -= this.#slots.get(id)!.bytes;
      if (fits()) return doomed;
    }
    throw new McpError(LocalErrorCode.Store, count > this.#maxTasks
      ? `the task store is full: ${this.#maxTasks} unfinished tasks (option maxTasks)`
      : `the task store is full: task ${record.taskId} needs ${sized.bytes} bytes and unfinished tasks hold the rest of maxTotalBytes (${this.#maxTotalBytes})`);
  }

  /**
   * Ids to delete so the records held fit `maxTasks` and `maxTotalBytes` (a log written under
   * larger bounds): expired ones, then the oldest finished ones (`evicted` of them). `over` says
   * what is still past a bound when only unfinished tasks are left (kept: a restart resumes them).
   */
  excess(): { doomed: string[]; evicted: number; over?: string } {
    const doomed = this.expired();
    const gone = new Set(doomed);
    let count = this.#slots.size - doomed.length;
    let bytes = this.#bytes;
    for (const id of doomed) bytes -= this.#slots.get(id)!.bytes;
    const fits = () => count <= this.#maxTasks && bytes <= this.#maxTotalBytes;
    const expired = doomed.length;
    for (const [id, slot] of this.#slots) {
      if (fits()) break;
      if (gone.has(id) || !isTerminal(slot.record.status)) continue;
      doomed.push(id);
      count -= 1;
      bytes -= slot.bytes;
    }
    const evicted = doomed.length - expired;
    if (fits()) return { doomed, evicted };
    return {
      doomed, evicted,
      over: count > this.#maxTasks ? `${count} unfinished tasks are over maxTasks (${this.#maxTasks})` : `unfinished tasks hold ${bytes} bytes, over maxTotalBytes (${this.#maxTotalBytes})`,
    };
  }

  /** Ids whose TTL has run out. */
  expired(): string[] {
    const now = this.now();
    const ids: string[] = [];
    for (const [id, slot] of this.#slots) if (isExpired(slot.record, now)) ids.push(id);
    return ids;
  }

  /**
   * Add or replace a record; `sized` from {@link sized} (a record loaded from a log is measured
   * here, unbounded: the log holds it already).
   */
  put(sized: SizedRecord | TaskRecord): void {
    const { record, bytes } = 'json' in sized ? sized : { record: sized, bytes: sizeRecord(sized, Infinity).bytes };
    const slot = this.#slots.get(record.taskId);
    this.#bytes += bytes - (slot?.bytes ?? 0);
    if (slot) Object.assign(slot, { record, bytes });
    else this.#slots.set(record.taskId, { record, bytes, seq: this.#seq++ });
  }

  delete(taskId: string): boolean {
    const slot = this.#slots.get(taskId);
    if (slot) this.#bytes -= slot.bytes;
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
      if (!ownedBy(record, query.owner)) continue;
      if (query.active && isTerminal(record.status)) continue;
      if (tasks.length === limit) return { tasks, nextCursor: encodeCursor(seq) };
      tasks.push(record);
    }
    return { tasks };
  }
}
