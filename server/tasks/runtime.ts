/**
 * The tasks runtime of a server (2025-11-25 basic/utilities/tasks): creates a task for a
 * task-augmented `tools/call` once it is durably stored, runs the tool in the background,
 * and serves `tasks/get`, `tasks/result` (its long-poll: result-poll.ts), `tasks/list` and
 * `tasks/cancel`, each checked against the principal that created the task (principal.ts).
 * Status changes go out on the
 * server's event bus. After a restart, {@link TaskRuntime.resume} runs unfinished tasks
 * again; the answers they already got are replayed (task-run.ts), and a tool keeps its side
 * effects single with `ctx.taskId` as an idempotency key. Several instances may share one
 * store: each task runs under a lease (leases.ts), and a task whose instance died is taken
 * over (takeover.ts) by the instance a request about it reaches, or by the periodic sweep;
 * answers and cancellations made on another instance reach the run through relay.ts.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolParams, type CallToolResult, type CancelTaskResult, type CreateTaskResult, type GetTaskResult,
  type ListTasksResult, type Result, type Task,
} from '../../protocol/index.ts';
import type { ToolContext } from '../context.ts';
import type { ServerRequest } from '../request.ts';
import type { TaskRuntimeHost } from './runtime-host.ts';
import { ANONYMOUS, currentOwner, ownerNames, taskPrincipal } from './principal.ts';
import { newTaskRecord } from './new-record.ts';
import { TaskRun, type TaskRunOrigin } from './task-run.ts';
import { detailedTask, inputRequestsOf, isModernRecord } from './modern-wire.ts';
import { isTerminal, type TaskChange, type TaskRecord, type TaskStore } from '../../transport/task-store/types.ts';
import { wireTask } from './wire.ts';
import { taskLimits, type TaskLimits, type TaskOptions } from './options.ts';
import { TaskLeaseKeeper } from './leases.ts';
import { TaskWatchers } from './watchers.ts';
import { TaskExpiries } from './expiries.ts';
import { TaskRelay } from './relay.ts';
import { errorChange, resultChange, storeOutcome } from './outcome.ts';
import { TaskResultPoll, unknownTask } from './result-poll.ts';
import { sweep, TAKEN_OVER, takeOver, type TakeoverHost } from './takeover.ts';

/**
 * Default of {@link TaskOptions.maxTasksPerPrincipal}: here, not in options.ts's TASK_DEFAULTS,
 * which every server loads at start (issue #20 item 3: the server entry's footprint).
 */
export const DEFAULT_MAX_TASKS_PER_PRINCIPAL = 100;

export type { TaskRuntimeHost } from './runtime-host.ts';

/** The tasks of one server. */
export class TaskRuntime {
  readonly store: TaskStore;
  readonly listed: boolean;
  readonly #options: TaskLimits;
  readonly #host: TaskRuntimeHost;
  readonly #runs = new Map<string, TaskRun>();
  /** Waiting for a task's next change (or a new carrier). */
  readonly #watchers = new TaskWatchers();
  /** The 2025 `tasks/result` long-polls and the questions they carry. */
  readonly #results: TaskResultPoll;
  /** The TTL timer of each unfinished task of this process. */
  readonly #expiries = new TaskExpiries((record) => this.#expire(record), (error) => this.#host.report(error));
  readonly #inlineFirst = new Set<string>();
  readonly #leases: TaskLeaseKeeper;
  readonly #relay: TaskRelay;
  readonly #unsubscribe: () => void;
  /** What takeover.ts works on. */
  readonly #takeovers: TakeoverHost;
  /** Task id -> owner of each task this process has stored, resumed or taken over and not yet seen end (maxTasksPerPrincipal). */
  readonly #held = new Map<string, string>();
  /** {@link TaskOptions.legacyOwnerIssuer}. */
  readonly #legacyIssuer: string | undefined;

  constructor(options: TaskOptions, host: TaskRuntimeHost) {
    this.store = options.store;
    this.listed = options.list ?? true;
    this.#options = taskLimits(options);
    this.#legacyIssuer = options.legacyOwnerIssuer;
    if (this.#legacyIssuer !== undefined && (typeof this.#legacyIssuer !== 'string' || this.#legacyIssuer === '')) throw new McpError(LocalErrorCode.Validation, 'tasks.legacyOwnerIssuer must be an issuer URL');
    this.#host = host;
    this.#leases = new TaskLeaseKeeper(this.store, this.#options.leaseMs, {
      lost: (id) => this.#runs.get(id)?.controller.abort(new McpError(LocalErrorCode.Closed, `another instance took task ${id} over (its lease lapsed here)`)),
      report: (e) => host.report(e),
    });
    this.#relay = new TaskRelay({
      run: (id) => this.#runs.get(id),
      read: (id) => this.store.get(id),
      change: (id, change) => this.#change(id, change),
      publish: (e) => host.publish(e),
      report: (e) => host.report(e),
    });
    this.#takeovers = {
      store: this.store, leases: this.#leases, runs: this.#runs,
      change: (id, change) => this.#change(id, change),
      mustNotRerun: (record) => host.restartOf?.((record.request.params as Partial<CallToolParams> | undefined)?.name) === 'fail',
      restart: (record) => {
        this.#held.set(record.taskId, record.owner); // counted as its principal's here, as a task created here is
        this.#expiries.resume(record, this.store); // on the store's clock: the creator's may differ
        this.#start(record, this.#prepare(record, this.#rejoin(record)));
      },
    };
    this.#results = new TaskResultPoll(this.#watchers, this.#options.pollIntervalMs, {
      owned: (id, req) => this.#owned(id, req),
      read: (id) => this.store.get(id),
      runsHere: (id) => this.#runs.has(id),
      takeOver: async (record) => (await takeOver(this.#takeovers, record, TAKEN_OVER)).record,
    });
    this.#unsubscribe = host.subscribe((event) => this.#relay.heard(event));
  }

  /** 2025-11-25 basic/utilities/tasks: create the task, durably, then run it; answer at once. */
  async create(params: CallToolParams, req: ServerRequest): Promise<CreateTaskResult> {
    const requested = params.task?.ttl;
    if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) {
      throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: task.ttl must be a whole number of ms');
    }
    const record = await this.persist(params, req, requested);
    this.launch(record, req);
    return { task: wireTask(record) };
  }

  /**
   * Make the task of `params` for `req`'s principal and store it durably; `inputs` are
   * answers it already has (2026: inline rounds before it became a task), and `running`
   * says its handler runs already ({@link adopt}) rather than once {@link launch}ed.
   */
  async persist(params: CallToolParams, req: ServerRequest, ttl?: number, inputs: readonly unknown[] = [], running = false): Promise<TaskRecord> {
    const fresh = newTaskRecord(params, req, this.#owner(req), this.#options, ttl, inputs);
    // A tool that must not run twice: a restart runs the task only if this mark is still there (takeover.ts).
    const record: TaskRecord = !running && this.#host.restartOf?.(params.name) === 'fail' ? { ...fresh, notStarted: true } : fresh;
    this.#hold(record);
    try {
      // The lease first: no other instance may take the task for an orphan once it is stored.
      if (!await this.#leases.claim(record.taskId)) throw new McpError(LocalErrorCode.State, 'the runtime is closed');
      // A shared store (Redis) counts the owner's unfinished tasks of every instance (#hold: this process's).
      await this.store.create(record, record.owner === ANONYMOUS ? {} : { maxUnfinishedPerOwner: this.#options.maxTasksPerPrincipal ?? DEFAULT_MAX_TASKS_PER_PRINCIPAL });
    } catch (error) {
      this.#held.delete(record.taskId);
      await this.#leases.release(record.taskId);
      throw new RpcError(ErrorCode.InternalError, `cannot create the task: ${(error as Error).message}`);
    }
    this.#expiries.schedule(record);
    return record;
  }

  /** Run a stored task's tool in the background, once its CreateTaskResult is on its way. */
  launch(record: TaskRecord, req: ServerRequest): void {
    const run = this.#prepare(record, { connection: req.connection, progressToken: req.progressToken });
    // After the CreateTaskResult is on its way, so no status of the task precedes it; a
    // task cancelled before then never starts.
    setTimeout(() => this.#start(record, run), 0);
  }

  /**
   * A handler already running becomes the task `record` (2026: after its inline rounds,
   * `asked` questions in): `work(req)` gets the task's `req` to go on with, and its outcome
   * is the task's.
   */
  adopt(record: TaskRecord, asked: number, work: (req: ServerRequest) => Promise<CallToolResult>): TaskRun {
    const run = this.#prepare(record, { asked });
    this.#finish(record, run, work(run.req));
    return run;
  }

  /**
   * 2026-07-28: `toolName` asks its first question inline (a multi round-trip round) and
   * becomes a task once the client has answered it (modern-inline.ts), instead of becoming
   * a task at once. Other eras are unaffected.
   */
  setInlineFirst(toolName: string): void {
    this.#inlineFirst.add(toolName);
  }

  /** Whether {@link setInlineFirst} marked `toolName`. */
  inlineFirst(toolName: string): boolean {
    return this.#inlineFirst.has(toolName);
  }

  /** The run of a task in this process, if it runs here. */
  runOf(taskId: string): TaskRun | undefined {
    return this.#runs.get(taskId);
  }

  /** SEP-2663 `tasks/update`, on whichever instance it lands (relay.ts). */
  answer(record: TaskRecord, responses: Record<string, unknown>): Promise<void> {
    return this.#relay.answer(record, responses);
  }

  /**
   * The record of `taskId` if `req`'s principal owns it; -32602 otherwise. An unfinished
   * task whose instance died is taken over first, unless `takeOver` is false.
   */
  owned(taskId: unknown, req: ServerRequest, takeOver = true): Promise<TaskRecord> {
    return this.#owned(taskId, req, takeOver);
  }

  /** Move a task to `cancelled` and stop its run; false when it had already finished. */
  async stop(record: TaskRecord, change: TaskChange): Promise<TaskRecord | false> {
    let next: TaskRecord | undefined;
    try {
      next = await this.#change(record.taskId, { ...change, status: 'cancelled' });
    } catch (error) {
      if (error instanceof McpError && error.code === LocalErrorCode.State) return false;
      throw error;
    }
    this.#runs.get(record.taskId)?.controller.abort(new McpError(LocalErrorCode.Aborted, 'the task was cancelled'));
    return next ?? unknownTask(record.taskId);
  }

  async get(taskId: unknown, req: ServerRequest): Promise<GetTaskResult> {
    return wireTask(await this.#owned(taskId, req));
  }

  /** 2025-11-25 basic/utilities/tasks: blocks until the task is terminal (result-poll.ts). */
  result(taskId: unknown, req: ServerRequest): Promise<Result> {
    return this.#results.result(taskId, req);
  }

  async list(cursor: unknown, req: ServerRequest): Promise<ListTasksResult> {
    if (cursor !== undefined && typeof cursor !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid cursor for tasks/list');
    const page = await this.store.list({ owner: ownerNames(this.#owner(req), this.#legacyIssuer), limit: this.#options.pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    const tasks: Task[] = page.tasks.map(wireTask);
    return page.nextCursor === undefined ? { tasks } : { tasks, nextCursor: page.nextCursor };
  }

  /** 2025-11-25 basic/utilities/tasks: cancellation; a terminal task is -32602. */
  async cancel(taskId: unknown, req: ServerRequest): Promise<CancelTaskResult> {
    const record = await this.#owned(taskId, req, false);
    const refuse = (status: string) => new RpcError(ErrorCode.InvalidParams, `Cannot cancel task: already in terminal status '${status}'`);
    if (isTerminal(record.status)) throw refuse(record.status);
    const next = await this.stop(record, {
      statusMessage: 'The task was cancelled by request.',
      outcome: { error: { code: ErrorCode.InvalidRequest, message: 'The task was cancelled by request.' } },
    });
    if (next === false) throw refuse((await this.store.get(record.taskId))?.status ?? 'finished');
    return wireTask(next);
  }

  /**
   * Run again every unfinished task in the store whose lease is free (after a restart: all
   * of them; beside live instances: those whose instance died), then keep doing so every
   * `sweepMs`; resolves with how many it took now. Call it once the tools are registered,
   * and after the HTTP handler's `restore()`: a 2025 re-run then reports to its restored
   * session, whose stream keeps what its client, away, has not read yet.
   */
  async resume(): Promise<number> {
    const count = await sweep(this.#takeovers, 'resumed after a restart');
    this.#leases.startSweep(this.#options.sweepMs, () => sweep(this.#takeovers, TAKEN_OVER));
    return count;
  }

  /** Stop every run without finishing its task and give its lease up (another instance, or a restart, resumes it), then close the store. */
  async close(): Promise<void> {
    this.#unsubscribe();
    for (const run of this.#runs.values()) run.controller.abort(new McpError(LocalErrorCode.Closed, 'the server is closing'));
    this.#expiries.clear();
    await this.#leases.close();
    await this.store.close();
  }

  /** Count `record` against its owner's {@link TaskOptions.maxTasksPerPrincipal}; -32603 past it. */
  #hold(record: TaskRecord): void {
    const { owner } = record;
    const max = this.#options.maxTasksPerPrincipal ?? DEFAULT_MAX_TASKS_PER_PRINCIPAL;
    let held = 0;
    // One scan of this process's unfinished tasks (at most the store's maxTasks) per creation.
    if (owner !== ANONYMOUS) for (const o of this.#held.values()) if (o === owner) held++;
    if (held >= max) throw new RpcError(ErrorCode.InternalError, `Internal error: cannot create the task: this principal has ${max} unfinished tasks already (maxTasksPerPrincipal); wait for one to end`);
    this.#held.set(record.taskId, owner);
  }

  #owner(req: ServerRequest): string {
    const owner = taskPrincipal(req);
    if (owner === undefined) throw new RpcError(ErrorCode.InvalidRequest, 'Invalid Request: tasks need a session or an authenticated client');
    return owner;
  }

  /** The task if `req`'s principal owns it (unknown and foreign tasks get the same -32602), taken over when orphaned. */
  async #owned(taskId: unknown, req: ServerRequest, takeOrphan = true): Promise<TaskRecord> {
    if (typeof taskId !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid params: taskId must be a string');
    const record = await this.store.get(taskId);
    if (!record || !ownerNames(this.#owner(req), this.#legacyIssuer).includes(record.owner)) unknownTask(taskId);
    return takeOrphan ? (await takeOver(this.#takeovers, record, TAKEN_OVER)).record : record;
  }

  async #change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    const next = await this.store.update(taskId, change);
    this.#watchers.touch(taskId);
    // A 2026 task's listeners also hear each question added while it waits (inputRequests).
    if (next && (change.status !== undefined || (change.ask !== undefined && next.status === 'input_required' && isModernRecord(next)))) this.#publish(next);
    if (next && isTerminal(next.status)) this.#expiries.forget(taskId);
    return next;
  }

  /**
   * Tell the owner: a 2025 task as `task_status` (notifications/tasks/status), a 2026 one as
   * `task_changed` with its DetailedTask (SEP-2663 notifications/tasks, via subscriptions/listen).
   */
  #publish(record: TaskRecord): void {
    const owner = currentOwner(record.owner, this.#legacyIssuer); // an earlier-form owner: heard under its name now
    this.#host.publish(isModernRecord(record)
      ? { type: 'task_changed', owner, task: detailedTask(record, inputRequestsOf(record)) }
      : { type: 'task_status', owner, task: wireTask(record), ...(record.request.sessionId !== undefined ? { sessionId: record.request.sessionId } : {}) });
  }

  /** The TTL elapsed (expiries.ts): stop the run and fail the task; the store then forgets it. */
  #expire(record: TaskRecord): void {
    this.#runs.get(record.taskId)?.controller.abort(new McpError(LocalErrorCode.Aborted, 'the task expired'));
    // The store no longer returns a record past its TTL (it is deleted): listeners hear the
    // failure, then the task is gone.
    const message = 'The task expired (its TTL elapsed) before it finished.';
    this.#publish({ ...record, status: 'failed', statusMessage: message, lastUpdatedAt: Math.max(Date.now(), record.lastUpdatedAt), outcome: { error: { code: ErrorCode.InternalError, message } } });
    this.#watchers.touch(record.taskId);
  }

  /**
   * A run resumed here (after a restart or a takeover) has no connection of its own: it reports
   * to its session's connection whenever that session's client is connected to this instance.
   */
  #rejoin(record: TaskRecord): TaskRunOrigin {
    const { sessionId, progressToken } = record.request;
    const find = this.#host.connectionOf;
    if (sessionId === undefined || !find) return {};
    return { progressToken, connectionOf: () => find(sessionId) };
  }

  /** The run of a task, known (so cancellable) before it starts. */
  #prepare(record: TaskRecord, origin: TaskRunOrigin): TaskRun {
    const run = new TaskRun(record, {
      change: (id, change) => this.#change(id, change),
      carrier: (id, signal) => this.#results.carrier(id, signal),
      report: (e) => this.#host.report(e),
    }, origin);
    this.#runs.set(record.taskId, run);
    return run;
  }

  /** Run the task's tool; record how it ended unless it was cancelled or the server closes. */
  #start(record: TaskRecord, run: TaskRun): void {
    if (run.signal.aborted) {
      this.#held.delete(record.taskId);
      if (this.#runs.get(record.taskId) === run) this.#runs.delete(record.taskId);
      void this.#leases.release(record.taskId);
      return;
    }
    const work = (async () => {
      if (record.notStarted) await this.#begin(record.taskId);
      return this.#host.run(record.request.params as CallToolParams, this.#host.context(run.req));
    })();
    this.#finish(record, run, work);
  }

  /** Clear {@link TaskRecord.notStarted} before the handler runs; a refused write fails the task, its tool not run. */
  async #begin(taskId: string): Promise<void> {
    let next: TaskRecord | undefined;
    try {
      next = await this.#change(taskId, { notStarted: undefined });
    } catch (error) {
      if (error instanceof McpError && error.code === LocalErrorCode.State) throw error; // finished meanwhile (cancelled)
      throw new RpcError(ErrorCode.InternalError, `the task's tool did not run: the start of its run could not be recorded (${(error as Error).message}), and it must not run twice (restart: 'fail')`, undefined, { cause: error });
    }
    if (!next) throw new McpError(LocalErrorCode.State, `task ${taskId} is gone`);
  }

  #finish(record: TaskRecord, run: TaskRun, work: Promise<CallToolResult>): void {
    const done = () => {
      this.#held.delete(record.taskId);
      if (this.#runs.get(record.taskId) !== run) return;
      this.#runs.delete(record.taskId);
      return this.#leases.release(record.taskId);
    };
    this.#settle(record, run, work).catch((e: Error) => this.#host.report(e)).finally(done);
  }

  async #settle(record: TaskRecord, run: TaskRun, work: Promise<CallToolResult>): Promise<void> {
    let change: TaskChange;
    try {
      change = resultChange(await work, run.modern);
    } catch (error) {
      if (run.signal.aborted) return; // cancelled or expired (already recorded), or the server is closing (resumed later)
      change = errorChange(error);
    }
    await this.#record(record.taskId, run, change);
  }

  /** Store how the run ended (outcome.ts: kept and written again while the store refuses it). */
  #record(taskId: string, run: TaskRun, change: TaskChange): Promise<void> {
    const host = { change: (id: string, c: TaskChange) => this.#change(id, c), report: (e: Error) => this.#host.report(e) };
    return storeOutcome(host, taskId, change, Math.max(1, Math.floor(this.#options.leaseMs / 3)), run.signal);
  }
}

