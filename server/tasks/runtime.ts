/**
 * The tasks runtime of a server (2025-11-25 basic/utilities/tasks): creates a task for a
 * task-augmented `tools/call` once it is durably stored, runs the tool in the background,
 * and serves `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel`, each checked
 * against the principal that created the task (principal.ts). Status changes go out on the
 * server's event bus. After a restart, {@link TaskRuntime.resume} runs unfinished tasks
 * again; the answers they already got are replayed (task-run.ts), and a tool keeps its side
 * effects single with `ctx.taskId` as an idempotency key.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolParams, type CallToolResult, type CancelTaskResult, type CreateTaskResult, type GetTaskResult,
  type ListTasksResult, type Result, type Task,
} from '../../protocol/index.ts';
import { toRpcErrorObject } from '../../protocol/errors.ts';
import type { ToolContext } from '../context.ts';
import type { ServerEvent } from '../event-bus.ts';
import type { ServerRequest } from '../request.ts';
import { taskPrincipal } from './principal.ts';
import { newTaskId } from './task-id.ts';
import { TaskRun } from './task-run.ts';
import { isTerminal, type TaskChange, type TaskRecord, type TaskStore } from '../../transport/task-store/types.ts';
import { RELATED_TASK, wireTask } from './wire.ts';

/** Options of a server's tasks (`createServer(info, { tasks })`). */
export interface TaskOptions {
  /** Where tasks live: `createMemoryTaskStore()` or `await createFileTaskStore({ dir })`. */
  store: TaskStore;
  /** TTL when the client asks for none, ms. Default 3 600 000 (one hour). */
  defaultTtlMs?: number;
  /** Longest TTL granted, ms (a longer request is cut to it). Default 86 400 000 (one day). */
  maxTtlMs?: number;
  /** `pollInterval` suggested to clients, ms. Default 1000. */
  pollIntervalMs?: number;
  /** Tasks per page of `tasks/list`. Default 100. */
  pageSize?: number;
  /**
   * Declare and serve `tasks/list`. Default true: lists hold only the caller's own tasks
   * (principal.ts), which is what makes offering the list safe without authentication.
   */
  list?: boolean;
}

/** Defaults of {@link TaskOptions}. */
export const TASK_DEFAULTS = { defaultTtlMs: 3_600_000, maxTtlMs: 86_400_000, pollIntervalMs: 1000, pageSize: 100 } as const;

/** What the runtime needs from its server. */
export interface TaskRuntimeHost {
  /** Run the tool call (the tools registry: validation, the handler, output checks). */
  run(params: CallToolParams, ctx: ToolContext): CallToolResult | Promise<CallToolResult>;
  context(req: ServerRequest): ToolContext;
  publish(event: ServerEvent): void;
  report(error: Error): void;
}

function unknownTask(taskId: unknown): never {
  throw new RpcError(ErrorCode.InvalidParams, `Failed to retrieve task: task ${JSON.stringify(taskId)} not found`);
}

/** The tasks of one server. */
export class TaskRuntime {
  readonly store: TaskStore;
  readonly listed: boolean;
  readonly #options: Required<Omit<TaskOptions, 'store' | 'list'>>;
  readonly #host: TaskRuntimeHost;
  readonly #runs = new Map<string, TaskRun>();
  /** Callbacks waiting for a task's next change. */
  readonly #watchers = new Map<string, Set<() => void>>();
  /** Live `tasks/result` requests per task: the streams a task's questions go out on. */
  readonly #carriers = new Map<string, Set<ServerRequest>>();

  constructor(options: TaskOptions, host: TaskRuntimeHost) {
    this.store = options.store;
    this.listed = options.list ?? true;
    const { store: _store, list: _list, ...limits } = options;
    this.#options = { ...TASK_DEFAULTS, ...withoutUndefined(limits) };
    for (const [name, value] of Object.entries(this.#options)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new McpError(LocalErrorCode.Validation, `tasks.${name} must be a positive whole number, got ${value}`);
    }
    this.#host = host;
  }

  /** 2025-11-25 basic/utilities/tasks: create the task, durably, then run it; answer at once. */
  async create(params: CallToolParams, req: ServerRequest): Promise<CreateTaskResult> {
    const owner = this.#owner(req);
    const requested = params.task?.ttl;
    if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) {
      throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: task.ttl must be a whole number of ms');
    }
    const now = Date.now();
    const record: TaskRecord = {
      taskId: newTaskId(), owner, status: 'working', createdAt: now, lastUpdatedAt: now,
      ttl: Math.min(requested ?? this.#options.defaultTtlMs, this.#options.maxTtlMs),
      pollInterval: this.#options.pollIntervalMs,
      inputs: [],
      request: {
        method: 'tools/call',
        params: params.arguments === undefined ? { name: params.name } : { name: params.name, arguments: params.arguments },
        protocolVersion: req.protocolVersion,
        clientCapabilities: req.clientCapabilities as Record<string, unknown>,
        ...(req.clientInfo ? { clientInfo: req.clientInfo as unknown as Record<string, unknown> } : {}),
        ...(req.sessionId !== undefined ? { sessionId: req.sessionId } : {}),
      },
    };
    try {
      await this.store.create(record);
    } catch (error) {
      throw new RpcError(ErrorCode.InternalError, `cannot create the task: ${(error as Error).message}`);
    }
    const run = this.#prepare(record, req);
    // After the CreateTaskResult is on its way, so no status of the task precedes it; a
    // task cancelled before then never starts.
    setTimeout(() => this.#start(record, run), 0);
    return { task: wireTask(record) };
  }

  async get(taskId: unknown, req: ServerRequest): Promise<GetTaskResult> {
    return wireTask(await this.#owned(taskId, req));
  }

  /** Blocks until the task is terminal, carrying its questions meanwhile; then what the call would have returned. */
  async result(taskId: unknown, req: ServerRequest): Promise<Result> {
    let record = await this.#owned(taskId, req);
    const id = record.taskId;
    const carriers = this.#carriers.get(id) ?? new Set<ServerRequest>();
    this.#carriers.set(id, carriers);
    carriers.add(req);
    this.#touch(id); // a run waiting for a carrier takes this one
    try {
      while (!isTerminal(record.status)) {
        await this.#nextChange(id, req.signal);
        record = await this.store.get(id) ?? unknownTask(id);
      }
    } finally {
      carriers.delete(req);
      if (carriers.size === 0) this.#carriers.delete(id);
    }
    const outcome = record.outcome;
    const meta = { [RELATED_TASK]: { taskId: id } };
    if (!outcome || 'error' in outcome) {
      const error = outcome?.error ?? { code: ErrorCode.InternalError, message: `task ${record.status} without a result` };
      throw new RpcError(error.code, error.message, error.data);
    }
    return { ...outcome.result, _meta: { ...(outcome.result._meta as object | undefined), ...meta } };
  }

  async list(cursor: unknown, req: ServerRequest): Promise<ListTasksResult> {
    if (cursor !== undefined && typeof cursor !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid cursor for tasks/list');
    const page = await this.store.list({ owner: this.#owner(req), limit: this.#options.pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    const tasks: Task[] = page.tasks.map(wireTask);
    return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
  }

  /** 2025-11-25 basic/utilities/tasks: cancellation; a terminal task is -32602. */
  async cancel(taskId: unknown, req: ServerRequest): Promise<CancelTaskResult> {
    const record = await this.#owned(taskId, req);
    const refuse = (status: string) => new RpcError(ErrorCode.InvalidParams, `Cannot cancel task: already in terminal status '${status}'`);
    if (isTerminal(record.status)) throw refuse(record.status);
    let next: TaskRecord | undefined;
    try {
      next = await this.#change(record.taskId, {
        status: 'cancelled', statusMessage: 'The task was cancelled by request.',
        outcome: { error: { code: ErrorCode.InvalidRequest, message: 'The task was cancelled by request.' } },
      });
    } catch (error) {
      if (error instanceof McpError && error.code === LocalErrorCode.State) throw refuse((await this.store.get(record.taskId))?.status ?? 'finished');
      throw error;
    }
    this.#runs.get(record.taskId)?.controller.abort(new McpError(LocalErrorCode.Aborted, 'the task was cancelled'));
    return wireTask(next ?? unknownTask(taskId));
  }

  /** Run again every unfinished task in the store (after a restart); resolves with how many. */
  async resume(): Promise<number> {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await this.store.list({ active: true, ...(cursor !== undefined ? { cursor } : {}) });
      for (const record of page.tasks) {
        if (this.#runs.has(record.taskId)) continue;
        const restarted = record.status === 'input_required'
          ? await this.#change(record.taskId, { status: 'working', statusMessage: 'resumed after a restart' })
          : record;
        if (restarted) this.#start(restarted, this.#prepare(restarted, undefined));
        count += 1;
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return count;
  }

  /** Stop every run without finishing its task (a restart resumes them), then close the store. */
  async close(): Promise<void> {
    for (const run of this.#runs.values()) run.controller.abort(new McpError(LocalErrorCode.Closed, 'the server is closing'));
    await this.store.close();
  }

  #owner(req: ServerRequest): string {
    const owner = taskPrincipal(req);
    if (owner === undefined) throw new RpcError(ErrorCode.InvalidRequest, 'Invalid Request: tasks need a session or an authenticated client');
    return owner;
  }

  /** The task if `req`'s principal owns it; unknown and foreign tasks get the same -32602. */
  async #owned(taskId: unknown, req: ServerRequest): Promise<TaskRecord> {
    if (typeof taskId !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: taskId must be a string');
    const record = await this.store.get(taskId);
    if (!record || record.owner !== this.#owner(req)) unknownTask(taskId);
    return record;
  }

  async #change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    const next = await this.store.update(taskId, change);
    this.#touch(taskId);
    if (next && change.status !== undefined) this.#host.publish({ type: 'task_status', owner: next.owner, task: wireTask(next) });
    return next;
  }

  #touch(taskId: string): void {
    const watchers = this.#watchers.get(taskId);
    this.#watchers.delete(taskId);
    for (const wake of watchers ?? []) wake();
  }

  /** Resolves at the task's next change (or a new carrier); rejects when `signal` aborts. */
  #nextChange(taskId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const set = this.#watchers.get(taskId) ?? new Set();
      this.#watchers.set(taskId, set);
      const onAbort = () => {
        set.delete(wake);
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

  async #carrier(taskId: string, signal: AbortSignal): Promise<ServerRequest> {
    for (;;) {
      for (const req of this.#carriers.get(taskId) ?? []) if (!req.signal.aborted) return req;
      await this.#nextChange(taskId, signal);
    }
  }

  /** The run of a task, known (so cancellable) before it starts. */
  #prepare(record: TaskRecord, origin: ServerRequest | undefined): TaskRun {
    const run = new TaskRun(record, {
      change: (id, change) => this.#change(id, change),
      carrier: (id, signal) => this.#carrier(id, signal),
      report: (e) => this.#host.report(e),
    }, origin?.connection, origin?.progressToken);
    this.#runs.set(record.taskId, run);
    return run;
  }

  /** Run the task's tool; record how it ended unless it was cancelled or the server closes. */
  #start(record: TaskRecord, run: TaskRun): void {
    const done = () => { if (this.#runs.get(record.taskId) === run) this.#runs.delete(record.taskId); };
    if (run.signal.aborted) return done();
    this.#execute(record, run).catch((e: Error) => this.#host.report(e)).finally(done);
  }

  async #execute(record: TaskRecord, run: TaskRun): Promise<void> {
    let change: TaskChange;
    try {
      const result = await this.#host.run(record.request.params as CallToolParams, this.#host.context(run.req));
      // 2025-11-25 basic/utilities/tasks: a tool result with isError fails the task; tasks/result still returns it.
      change = result.isError
        ? { status: 'failed', statusMessage: errorText(result), outcome: { result: result as unknown as Record<string, unknown> } }
        : { status: 'completed', outcome: { result: result as unknown as Record<string, unknown> } };
    } catch (error) {
      if (run.signal.aborted) return; // cancelled (already recorded) or the server is closing (resumed later)
      const wire = toRpcErrorObject(error);
      change = { status: 'failed', statusMessage: wire.message, outcome: { error: wire } };
    }
    try {
      await this.#change(record.taskId, change);
    } catch (error) {
      // Cancelled meanwhile: 2025-11-25 basic/utilities/tasks, a cancelled task stays cancelled.
      if (!(error instanceof McpError && error.code === LocalErrorCode.State)) throw error;
    }
  }
}

function errorText(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text');
  return text && 'text' in text ? text.text : 'the tool reported an error';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
