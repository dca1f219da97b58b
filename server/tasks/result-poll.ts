/**
 * The 2025-11-25 `tasks/result` long-poll (basic/utilities/tasks: "the receiver MUST block
 * until the task reaches a terminal status") and the carriers it makes: while a `tasks/result`
 * request is open, it is the stream a task's questions go out on (input required: "the
 * requestor SHOULD call tasks/result"). A run waiting for a carrier takes the first live one.
 */
import { ErrorCode, RpcError, type Result } from '../../protocol/index.ts';
import type { ServerRequest } from '../request.ts';
import { isTerminal, type TaskRecord } from '../../transport/task-store/types.ts';
import { RELATED_TASK } from './wire.ts';
import type { TaskWatchers } from './watchers.ts';

/** What the long-poll needs from the runtime. */
export interface ResultPollHost {
  /** The record of `taskId` if `req`'s principal owns it (taken over when orphaned); -32602 otherwise. */
  owned(taskId: unknown, req: ServerRequest): Promise<TaskRecord>;
  read(taskId: string): Promise<TaskRecord | undefined>;
  /** Whether the task runs in this process. */
  runsHere(taskId: string): boolean;
  /** Run `record` here when its instance died; the record as it is now. */
  takeOver(record: TaskRecord): Promise<TaskRecord>;
}

/**
 * -32602 for a task that is unknown (or not the caller's: the same answer). 2025-11-25
 * basic/utilities/tasks, error handling: an invalid or nonexistent `taskId` is -32602.
 */
export function unknownTask(taskId: unknown): never {
  throw new RpcError(ErrorCode.InvalidParams, `Failed to retrieve task: task ${JSON.stringify(taskId)} not found`);
}

/** Open `tasks/result` requests per task, and the wait each of them does. */
export class TaskResultPoll {
  /** Live `tasks/result` requests per task: the streams a task's questions go out on. */
  readonly #carriers = new Map<string, Set<ServerRequest>>();
  readonly #watchers: TaskWatchers;
  readonly #pollIntervalMs: number;
  readonly #host: ResultPollHost;

  constructor(watchers: TaskWatchers, pollIntervalMs: number, host: ResultPollHost) {
    this.#watchers = watchers;
    this.#pollIntervalMs = pollIntervalMs;
    this.#host = host;
  }

  /** Blocks until the task is terminal, carrying its questions meanwhile; then what the call would have returned. */
  async result(taskId: unknown, req: ServerRequest): Promise<Result> {
    let record = await this.#host.owned(taskId, req);
    const id = record.taskId;
    const carriers = this.#carriers.get(id) ?? new Set<ServerRequest>();
    this.#carriers.set(id, carriers);
    carriers.add(req);
    this.#watchers.touch(id); // a run waiting for a carrier takes this one
    try {
      while (!isTerminal(record.status)) {
        // Watch, then read: a change that lands while a read is on its way (a round trip to
        // Redis) would otherwise wake nobody, and a task running here is never polled.
        const watch = new AbortController();
        const changed = this.#nextChange(id, req.signal, watch.signal);
        changed.catch(() => undefined); // awaited below unless the read ends the loop first
        try {
          record = await this.#host.read(id) ?? unknownTask(id);
          if (!this.#host.runsHere(id)) record = await this.#host.takeOver(record);
          if (!isTerminal(record.status)) await changed;
        } finally {
          watch.abort();
        }
      }
    } finally {
      carriers.delete(req);
      if (carriers.size === 0) this.#carriers.delete(id);
    }
    return resultOf(record);
  }

  /** A live `tasks/result` request of `taskId` to carry a question; waits for one. */
  async carrier(taskId: string, signal: AbortSignal): Promise<ServerRequest> {
    for (;;) {
      for (const req of this.#carriers.get(taskId) ?? []) if (!req.signal.aborted) return req;
      await this.#watchers.next(taskId, signal);
    }
  }

  /**
   * The task's next change in this process; for a task running on another instance (whose
   * changes this one does not hear), at most `pollIntervalMs`, so the store is read again.
   * Resolves early when `stop` aborts; rejects when `signal` (the request's) does.
   */
  async #nextChange(taskId: string, signal: AbortSignal, stop: AbortSignal): Promise<void> {
    const bounds = this.#host.runsHere(taskId) ? [signal, stop] : [signal, stop, AbortSignal.timeout(this.#pollIntervalMs)];
    try {
      await this.#watchers.next(taskId, AbortSignal.any(bounds));
    } catch (error) {
      if (signal.aborted) throw error;
    }
  }
}

/** A terminal task's `tasks/result`: the tool's result tagged with its task, or its JSON-RPC error. */
function resultOf(record: TaskRecord): Result {
  const outcome = record.outcome;
  const meta = { [RELATED_TASK]: { taskId: record.taskId } };
  if (!outcome || 'error' in outcome) {
    const error = outcome?.error ?? { code: ErrorCode.InternalError, message: `task ${record.status} without a result` };
    throw new RpcError(error.code, error.message, error.data);
  }
  return { ...outcome.result, _meta: { ...(outcome.result._meta as object | undefined), ...meta } };
}
