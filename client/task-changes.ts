/**
 * The 2025-11-25 status notifications (`notifications/tasks/status`) by task, for
 * `TaskClientDeps.nextChange`: every client holds one, so it is apart from the waiting code of
 * task-wait.ts, which loads with the task client on first use (issue #20's stdio client footprint).
 */

/** Status notifications by task, for `TaskClientDeps.nextChange`. */
export function createTaskChanges(): { changed(taskId: string): void; next(taskId: string, signal: AbortSignal): Promise<void> } {
  const waiting = new Map<string, Set<() => void>>();
  return {
    changed(taskId) {
      const wakes = waiting.get(taskId);
      waiting.delete(taskId);
      for (const wake of wakes ?? []) wake();
    },
    next(taskId, signal) {
      return new Promise((resolve) => {
        const set = waiting.get(taskId) ?? new Set();
        waiting.set(taskId, set);
        const wake = () => { signal.removeEventListener('abort', wake); set.delete(wake); if (set.size === 0 && waiting.get(taskId) === set) waiting.delete(taskId); resolve(); };
        set.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    },
  };
}
