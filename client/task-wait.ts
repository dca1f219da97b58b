/**
 * What ends the pause between two `tasks/get` of `client.tasks.wait()` early, and what it
 * reads from a task's status on the way: the 2025-11-25 status notifications
 * (`notifications/tasks/status`), the 2026-07-28 pushes of the tasks extension
 * (`notifications/tasks` on a `subscriptions/listen` naming the task, SEP-2663), and a
 * working task's status message read back as progress. Polling stays the fallback of both.
 * Loaded with the task client (client/tasks.ts); the status notifications' hub every client
 * holds is task-changes.ts.
 */
import type { Progress, ProgressCallback } from '../protocol/index.ts';
import { progressOfStatus } from '../protocol/task-status-progress.ts';
import { clearLongTimeout, setLongTimeout } from '../protocol/long-timeout.ts';
import { readTask, type TaskSnapshot } from './tasks-wire.ts';

/** A task's pushes for one `wait` (`TaskClientDeps.watch`). */
export interface Pushes {
  /** Forget pushes before this poll's `tasks/get`. */
  clear(): void;
  /** Resolves at the next push that needs a `tasks/get` (at once when one came since `clear`). */
  next(signal: AbortSignal): Promise<void>;
  stop(): void;
}

/** How a waiter is told of one task's pushed changes (`TaskClientDeps.watch`). */
export type TaskWatch = (taskId: string, changed: (task: Record<string, unknown> | undefined) => void) => () => void;

/**
 * 2026: the task's pushed changes while `wait` runs. A working task's pushed status is
 * reported as it comes (no request); anything else (input asked, finished, or changes
 * possibly missed) ends the current pause so `tasks/get` fetches the whole task at once.
 */
export function watchPushes(watch: TaskWatch, taskId: string, report: (task: TaskSnapshot) => void): Pushes {
  let due = false;
  let wake: (() => void) | undefined;
  const stop = watch(taskId, (wire) => {
    const task = wire && typeof wire.status === 'string' ? readTask(wire) : undefined;
    if (task?.status === 'working') return report(task);
    due = true;
    wake?.();
  });
  return {
    clear() { due = false; },
    next(signal) {
      if (due) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => { wake = undefined; signal.removeEventListener('abort', done); resolve(); };
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    },
    stop,
  };
}

/**
 * The pause between two polls: `ms`, cut short by the first of `wakes` (each given the
 * pause's own signal, aborted when it ends); rejects when `signal` aborts.
 */
export async function nap(ms: number, signal: AbortSignal | undefined, wakes: Array<((stop: AbortSignal) => Promise<void>) | undefined>): Promise<void> {
  const present = wakes.filter((w) => w !== undefined);
  if (present.length === 0) return pause(ms, signal);
  const stop = new AbortController();
  const napping = pause(ms, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
  napping.catch(() => {}); // raced below; stopping it after a notification is no error
  try {
    await Promise.race([napping, ...present.map((wake) => wake(stop.signal))]);
  } finally {
    stop.abort();
  }
}

/**
 * 2026: each new status message of a working task as progress (see
 * `TaskCallOptions.onProgress`); values only grow, as progress values must.
 */
export function progressFromStatus(onProgress: ProgressCallback): (task: TaskSnapshot) => void {
  let lastMessage: string | undefined;
  let last: Progress | undefined;
  return (task) => {
    const message = task.statusMessage;
    if (task.status !== 'working' || message === undefined || message === lastMessage) return;
    lastMessage = message;
    const read = progressOfStatus(message);
    const next: Progress | undefined = read
      ? (last === undefined || read.progress > last.progress ? read : undefined)
      : { progress: (last?.progress ?? 0) + 1, message };
    if (!next) return;
    last = next;
    onProgress(next);
  };
}

/** Resolve after `ms`; reject when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    // The server's pollInterval may be past what a platform timer keeps (long-timeout.ts).
    const timer = setLongTimeout(() => { signal?.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearLongTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
