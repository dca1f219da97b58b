/** A TaskStore in memory: for stdio servers and tests; tasks end with the process. */
import { TaskLeases } from './task-leases.ts';
import { TaskTable } from './task-table.ts';
import type { TaskChange, TaskPage, TaskQuery, TaskRecord, TaskStore, TaskStoreLimits } from './types.ts';

/** Options of {@link createMemoryTaskStore}. */
export type MemoryTaskStoreOptions = TaskStoreLimits;

/** A TaskStore that keeps records in memory, bounded by `maxTasks` and each task's TTL. */
export function createMemoryTaskStore(options: MemoryTaskStoreOptions = {}): TaskStore {
  return new MemoryTaskStore(new TaskTable(options));
}

class MemoryTaskStore implements TaskStore {
  readonly #table: TaskTable;
  readonly #leases: TaskLeases;

  constructor(table: TaskTable) {
    this.#table = table;
    this.#leases = new TaskLeases(table.now);
  }

  async create(record: TaskRecord): Promise<void> {
    const sized = this.#table.sized(record);
    for (const id of this.#table.makeRoom(sized)) this.#table.delete(id);
    this.#table.put(sized);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.#table.get(taskId);
  }

  async update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    const next = this.#table.changed(taskId, change);
    if (!next) return undefined;
    const sized = this.#table.sized(next);
    for (const id of this.#table.makeRoom(sized, true)) this.#table.delete(id);
    this.#table.put(sized);
    return next;
  }

  async list(query?: TaskQuery): Promise<TaskPage> {
    for (const id of this.#table.expired()) this.#table.delete(id);
    return this.#table.list(query);
  }

  async lease(taskId: string, holder: string, ms: number): Promise<boolean> {
    return this.#leases.take(taskId, holder, ms);
  }

  async releaseLease(taskId: string, holder: string): Promise<void> {
    this.#leases.release(taskId, holder);
  }

  async close(): Promise<void> {}
}
