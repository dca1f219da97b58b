/**
 * The TTL timers of the unfinished tasks of one process (SEP-2663 "if the TTL elapses, the
 * server MAY fail and then delete the task"; the 2025 rule is the same without the failing):
 * at `createdAt + ttl` the runtime's `onExpire` stops and fails the task.
 */
import { isTerminal, type TaskRecord } from '../../transport/task-store/types.ts';

/** Longest single timer (setTimeout takes a 32-bit delay); a longer TTL re-arms. */
const MAX_TIMER_MS = 2_147_483_647;

export class TaskExpiries {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #onExpire: (record: TaskRecord) => void;

  constructor(onExpire: (record: TaskRecord) => void) {
    this.#onExpire = onExpire;
  }

  /** Arm the timer of `record` (nothing for a task without TTL or already finished). */
  schedule(record: TaskRecord): void {
    if (record.ttl === null || isTerminal(record.status)) return;
    const at = record.createdAt + record.ttl;
    const timer = setTimeout(() => {
      if (Date.now() < at) return this.schedule(record); // a TTL longer than one timer
      this.#timers.delete(record.taskId);
      this.#onExpire(record);
    }, Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
    (timer as { unref?: () => void }).unref?.();
    this.#timers.set(record.taskId, timer);
  }

  /** Disarm the timer of a task that finished. */
  forget(taskId: string): void {
    const timer = this.#timers.get(taskId);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(taskId);
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
