/**
 * The TTL timers of the unfinished tasks of one process (SEP-2663 "if the TTL elapses, the
 * server MAY fail and then delete the task"; the 2025 rule is the same without the failing):
 * when the TTL has run out the runtime's `onExpire` stops and fails the task.
 *
 * A task this process created is timed from its `createdAt`, on the clock that stamped it. A
 * task it took over (another instance died, or a restart) is timed from what the store says
 * is left (`TaskStore.ttlLeft`, on the store's clock): instances whose clocks disagree would
 * otherwise fail it early, or late. Once armed, a timer counts on the monotonic clock, so a
 * step of the wall clock moves no expiry either.
 */
import { isTerminal, type TaskRecord, type TaskStore } from '../../transport/task-store/types.ts';

/** Longest single timer (setTimeout takes a 32-bit delay); a longer TTL re-arms. */
const MAX_TIMER_MS = 2_147_483_647;

export class TaskExpiries {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Tasks whose time left is being asked of the store; forget() cancels the arming. */
  readonly #asking = new Set<string>();
  readonly #onExpire: (record: TaskRecord) => void;
  readonly #report: (error: Error) => void;

  constructor(onExpire: (record: TaskRecord) => void, report: (error: Error) => void) {
    this.#onExpire = onExpire;
    this.#report = report;
  }

  /** Arm the timer of `record`, made here (nothing for a task without TTL or already finished). */
  schedule(record: TaskRecord): void {
    if (record.ttl === null || isTerminal(record.status)) return;
    this.#arm(record, performance.now() + record.createdAt + record.ttl - Date.now());
  }

  /**
   * Arm the timer of `record`, made elsewhere or earlier, on what `store` says is left of its
   * TTL. A store without `ttlLeft`, or one that fails to answer, leaves it to `createdAt`.
   */
  resume(record: TaskRecord, store: TaskStore): void {
    if (record.ttl === null || isTerminal(record.status)) return;
    if (!store.ttlLeft) return this.schedule(record);
    const id = record.taskId;
    this.#asking.add(id);
    store.ttlLeft(id).then((left) => {
      if (!this.#asking.delete(id)) return; // finished (or closed) meanwhile
      if (left === null) return; // the store keeps it without TTL
      this.#arm(record, performance.now() + (left ?? 0)); // undefined: gone already
    }, (error: unknown) => {
      if (!this.#asking.delete(id)) return;
      this.#report(new Error(`cannot read what is left of task ${id}'s TTL; timing it from its createdAt: ${(error as Error).message}`, { cause: error }));
      this.schedule(record);
    });
  }

  /** Arm a timer that fires at `deadline` (performance.now() ms). */
  #arm(record: TaskRecord, deadline: number): void {
    this.forget(record.taskId);
    const timer = setTimeout(() => {
      if (performance.now() < deadline) return this.#arm(record, deadline); // longer than one timer
      this.#timers.delete(record.taskId);
      this.#onExpire(record);
    }, Math.min(Math.max(0, Math.ceil(deadline - performance.now())), MAX_TIMER_MS));
    (timer as { unref?: () => void }).unref?.();
    this.#timers.set(record.taskId, timer);
  }

  /** Disarm the timer of a task that finished. */
  forget(taskId: string): void {
    const timer = this.#timers.get(taskId);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(taskId);
    this.#asking.delete(taskId);
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#asking.clear();
  }
}
