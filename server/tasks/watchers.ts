/** Waiters for a task's next change in this process (`tasks/result`, a run waiting for a carrier). */

/** Callbacks waiting for each task's next change. */
export class TaskWatchers {
  readonly #watchers = new Map<string, Set<() => void>>();

  /** Wake everything waiting on `taskId`. */
  touch(taskId: string): void {
    const watchers = this.#watchers.get(taskId);
    this.#watchers.delete(taskId);
    for (const wake of watchers ?? []) wake();
  }

  /** Resolves at the task's next {@link touch}; rejects when `signal` aborts. */
  next(taskId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const set = this.#watchers.get(taskId) ?? new Set();
      this.#watchers.set(taskId, set);
      const onAbort = () => {
        set.delete(wake);
        // tasks/result stops its watch each round (result-poll.ts): no empty set left per task.
        if (set.size === 0 && this.#watchers.get(taskId) === set) this.#watchers.delete(taskId);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      set.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
