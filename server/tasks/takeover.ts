/**
 * Running here again the unfinished tasks whose run stopped: all of them after a restart, and,
 * beside live instances on one store, those whose instance died (its lease lapsed, leases.ts).
 * A task is taken when a request about it arrives or at the periodic sweep. The question it
 * waited on is asked again by the new run, whose recorded answers are replayed (task-run.ts).
 */
import { ErrorCode, LocalErrorCode, McpError } from '../../protocol/index.ts';
import { isTerminal, type TaskChange, type TaskRecord, type TaskStore } from '../../transport/task-store/types.ts';
import { interruptedMessage } from '../tools.ts';
import type { TaskLeaseKeeper } from './leases.ts';
import type { TaskRun } from './task-run.ts';

/** The status message of a task another instance took over. */
export const TAKEN_OVER = 'taken over: the instance running it stopped';

/** What taking tasks over needs from the runtime. */
export interface TakeoverHost {
  readonly store: TaskStore;
  readonly leases: TaskLeaseKeeper;
  /** The runs of this process, by task id. */
  readonly runs: ReadonlyMap<string, TaskRun>;
  change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  /** Whether the task's tool is registered with `restart: 'fail'` (tools.ts): its run is not started again. */
  mustNotRerun(record: TaskRecord): boolean;
  /** Start a run of `record` here (its lease is held). */
  restart(record: TaskRecord): void;
}

/** The outcome of one attempt: the record as it is now, and whether this process took it. */
export interface Taken {
  record: TaskRecord;
  taken: boolean;
}

/**
 * Run `record` here if it is unfinished and its lease is free (its instance died, or this
 * is a restart). Resolves with the record as it is now.
 */
export async function takeOver(host: TakeoverHost, record: TaskRecord, why: string): Promise<Taken> {
  const id = record.taskId;
  if (isTerminal(record.status) || host.runs.has(id) || !await host.leases.claim(id)) return { record, taken: false };
  let restarted: TaskRecord | undefined;
  try {
    if (record.endedAt !== undefined) return { record: await lostOutcome(host, record), taken: false };
    // A task stored whose handler never ran (notStarted) runs: only work that may have run is failed.
    if (host.mustNotRerun(record) && record.notStarted !== true) return { record: await notRerun(host, record, why), taken: false };
    // Also a check that the task did not finish between the read and the lease.
    restarted = await host.change(id, record.status === 'input_required' ? { status: 'working', statusMessage: why } : { statusMessage: why });
  } catch (error) {
    await host.leases.release(id);
    if (error instanceof McpError && error.code === LocalErrorCode.State) return { record: await host.store.get(id) ?? record, taken: false };
    throw error;
  }
  if (!restarted) {
    await host.leases.release(id);
    return { record, taken: false };
  }
  host.restart(restarted);
  return { record: restarted, taken: true };
}

/**
 * The task's run ended but its process died before the outcome was stored (outcome.ts): fail
 * it, saying so, rather than run the tool again (its work would be done twice).
 */
function lostOutcome(host: TakeoverHost, record: TaskRecord): Promise<TaskRecord> {
  return failed(host, record, `The task's tool ran to its end at ${new Date(record.endedAt!).toISOString()}, but its outcome was lost before it could be stored (the store refused it, then the server stopped); it is not run again, so its work is not done twice.`);
}

/** The task's tool must not run twice (`restart: 'fail'`, tools.ts) and its run was cut short: fail it, naming the tool and why. */
function notRerun(host: TakeoverHost, record: TaskRecord, why: string): Promise<TaskRecord> {
  const name = (record.request.params as { name?: unknown } | undefined)?.name;
  return failed(host, record, interruptedMessage(String(name), why === TAKEN_OVER ? 'the instance running it stopped' : 'the server stopped while it ran'));
}

/** Fail a task this process holds the lease of, instead of running it; the lease is given up once it has failed. */
async function failed(host: TakeoverHost, record: TaskRecord, message: string): Promise<TaskRecord> {
  try {
    return await host.change(record.taskId, { status: 'failed', statusMessage: message, outcome: { error: { code: ErrorCode.InternalError, message } } }) ?? record;
  } finally {
    await host.leases.release(record.taskId);
  }
}

/** Take over every unfinished task whose lease is free; how many were taken. */
export async function sweep(host: TakeoverHost, why: string): Promise<number> {
  // Runs started before the listing: each is listed while unfinished. One that is not was
  // cancelled (or expired) elsewhere, and this instance missed the bus message (relay.ts).
  const unlisted = new Set(host.runs.keys());
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await host.store.list({ active: true, ...(cursor !== undefined ? { cursor } : {}) });
    for (const record of page.tasks) {
      unlisted.delete(record.taskId);
      host.runs.get(record.taskId)?.sync(record); // answers whose bus message was missed
      if ((await takeOver(host, record, why)).taken) count += 1;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  for (const id of unlisted) host.runs.get(id)?.controller.abort(new McpError(LocalErrorCode.Aborted, 'the task finished elsewhere'));
  return count;
}
