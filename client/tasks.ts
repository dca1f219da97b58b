/**
 * Tasks from the client's side, in both eras (issue #15 item 5):
 *
 * - 2025-11-25 basic/utilities/tasks: `tools/call` with a `task` field when the server declares
 *   `tasks.requests.tools.call` and the tool's `execution.taskSupport` allows it; `tasks/get`,
 *   `tasks/list`, `tasks/cancel`, and `tasks/result`, on whose stream the server's questions
 *   arrive and are answered by the client's usual callbacks (`onElicit`, `onSample`, roots);
 * - 2026-07-28 tasks extension (SEP-2663): the request declares the extension, the server
 *   decides; `tasks/get` shows the questions in `inputRequests`, answered with the same
 *   callbacks and sent back with `tasks/update`; the result is inlined in `tasks/get`.
 *
 * Everything goes through one generic request function (the client's request path of the
 * current era), so the 2026 envelope is the transport's business. Started tasks are
 * remembered in the resume store, so a client restarted tomorrow can `wait` for them.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type CallToolResult, type Implementation, type Progress, type ProgressCallback, type ProgressToken, type ServerCapabilities, type Tool,
} from '../protocol/index.ts';
import type { InputAnswerers } from './inbound.ts';
import type { RoundSender } from './modern-mrtr.ts';
import { META, withEnvelope, type EnvelopeParts } from './modern-envelope.ts';
import type { ResumeStore } from './resume-store.ts';
import { withCallerMeta } from './caller-meta.ts';
import { nap, progressFromStatus, watchPushes, type Pushes, type TaskWatch } from './task-wait.ts';
import { finished, isFinished, readTask, TASKS_EXTENSION, type TaskSnapshot } from './tasks-wire.ts';
import { checkedTaskId } from './task-id.ts';
import { reachedNoServer } from './task-unreachable.ts';

export { createTaskChanges } from './task-changes.ts';
import type { CallOptions } from './types.ts';

export { TASKS_EXTENSION };

/** The `_meta` of a 2026 request that declares the extension. */
const DECLARE_TASKS = Object.freeze({ 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } });

/** Default pause between two `tasks/get` when the server suggests none, ms. */
export const DEFAULT_TASK_POLL_MS = 1000;

/** Default of {@link TaskCallOptions.unreachableMs}: long enough for a server restart. */
export const DEFAULT_TASK_UNREACHABLE_MS = 60_000;

/** One question of a 2026 task. */
export interface TaskInputRequest {
  method: string;
  params?: unknown;
}

/** What the task helpers need from the client. */
export interface TaskClientDeps {
  /** Send a request of the connection's era and resolve with its result (reject with its error). */
  request(method: string, params: Record<string, unknown>, options?: CallOptions): Promise<Record<string, unknown>>;
  /** The negotiated protocol version (2026-07-28 and later speak the extension). */
  protocolVersion(): string | undefined;
  serverCapabilities(): ServerCapabilities | undefined;
  /** The tool's listing, when known (2025 `'auto'` reads its `execution.taskSupport`). */
  tool(name: string): Promise<Tool | undefined>;
  /**
   * 2026: answer one question with the client's callbacks (the same as for a plain call);
   * `key` is its key in `inputRequests`, `signal` the wait's. See {@link taskAnswerer}.
   */
  answer?(request: TaskInputRequest, key: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>>;
  /** Remember started tasks here (under `serverKey`) until their result is fetched. */
  resume?: { store: ResumeStore; serverKey: string } | undefined;
  /**
   * Resolves at the task's next status notification (2025-11-25 `notifications/tasks/status`),
   * so `wait()` polls at once instead of at the end of its pause; never rejects.
   */
  nextChange?(taskId: string, signal: AbortSignal): Promise<void>;
  /**
   * 2026: have the server push the task's changes while `wait` runs (subscriptions/listen with
   * `taskIds`, SEP-2663); `changed` gets each pushed DetailedTask, or undefined when changes may
   * have been missed. Returns the function that stops watching. Polling stays the fallback.
   */
  watch?: TaskWatch;
  /**
   * Route progress for `token` to `callback` until the returned function is called (the
   * peer's `followProgress`): a 2025 task's token outlives its `tools/call`.
   */
  followProgress?(token: ProgressToken, callback: ProgressCallback): () => void;
  /**
   * 2026: run the multi round-trip rounds of one `tools/call` (modern-mrtr.ts), `send` being
   * one round; the loop ends at a `complete` or `task` result. Without it, an
   * InputRequiredResult is not answered.
   */
  inputRounds?(send: RoundSender, signal: AbortSignal | undefined): Promise<Record<string, unknown>>;
}

/**
 * {@link TaskClientDeps.answer} made of the client's input answerers (issue #14): a 2026 task's
 * `inputRequests` are answered by the callbacks and checks of a plain call's input rounds
 * (2026-07-28 basic/patterns/mrtr), so `onElicit` / `onSample` / roots serve both.
 */
export function taskAnswerer(answerers: InputAnswerers, server: () => Implementation | undefined): NonNullable<TaskClientDeps['answer']> {
  return async (request, key, signal) => {
    const answer = answerers.get(request.method);
    // basic/patterns/mrtr: a server MUST NOT ask for what the client did not declare.
    if (!answer) throw new McpError(LocalErrorCode.Capability, `the task asked for input ${JSON.stringify(key)} with ${JSON.stringify(request.method)}, which this client did not declare`);
    return answer(request.params, { signal: signal ?? new AbortController().signal, requestId: key, relatedRequestId: undefined, server: server() });
  };
}

/**
 * A 2026 tasks request's params in the era's envelope (basic/lifecycle: every request carries
 * version, capabilities and client info in `_meta`; the HTTP transport derives its headers
 * from it), the extension the request declared merged into the client's capabilities
 * (SEP-2663: negotiated per request).
 */
export function taskEnvelope(params: Record<string, unknown>, parts: EnvelopeParts): Record<string, unknown> {
  const declared = (params._meta as Record<string, { extensions?: Record<string, unknown> }> | undefined)?.[META.clientCapabilities]?.extensions;
  if (!declared) return withEnvelope(params, parts);
  const extensions = { ...(parts.capabilities.extensions as Record<string, unknown> | undefined), ...declared };
  return withEnvelope(params, { ...parts, capabilities: { ...parts.capabilities, extensions } });
}

/** How {@link TaskClient.callTool} runs the call. */
export interface TaskCallOptions extends CallOptions {
  /**
   * `true`: as a task (2025: -32601 from the server if the tool does not allow it; 2026: the
   * extension is declared and the server decides). `'auto'`: as a task when the server and
   * tool support it, else a plain call.
   */
  task?: boolean | 'auto';
  /** 2025: the TTL to ask for, ms. */
  ttlMs?: number;
  /** Told the task as soon as it exists (store its id to come back for it). */
  onTask?: (task: TaskSnapshot) => void;
  /** Pause between polls; default the task's `pollIntervalMs`, else {@link DEFAULT_TASK_POLL_MS}. */
  pollIntervalMs?: number;
  /**
   * How long `wait` rides out a server it cannot reach (a refused or reset connection: a
   * server restarting on its state, which resumes the task): its `tasks/get` is sent again
   * after each pause for this long, then it fails naming this option. Default
   * {@link DEFAULT_TASK_UNREACHABLE_MS}; 0: the first such failure is thrown as it is.
   */
  unreachableMs?: number;
  /** Told each status seen while waiting. */
  onStatus?: (task: TaskSnapshot) => void;
  /**
   * The task's progress. 2025-11-25 (basic/utilities/progress): `start` sends a progress
   * token, whose notifications come here until the task is terminal, after the
   * CreateTaskResult too. 2026-07-28 (no progress for tasks): `wait` reports each new
   * status message of a working task, read as `[progress/total] message` when the server
   * wrote it so (protocol/task-status-progress.ts), else counted 1, 2, 3...
   */
  onProgress?: ProgressCallback;
  /**
   * The caller's own `_meta` keys for the `tools/call` (a trace id, say), in both eras; in
   * 2026-07-28 the envelope is added beside them. Keys the protocol reserves (a prefix with
   * `modelcontextprotocol` or `mcp`, and `progressToken`) fail with MCP_ERR_VALIDATION.
   */
  meta?: Record<string, unknown>;
}

/** A task this client started and has not fetched the result of (from the resume store). */
export interface RememberedTask {
  taskId: string;
  tool: string;
  startedAt: number;
}

/** `client.tasks`. */
export interface TaskClient {
  /** Run a tool call as a task (per `options.task`) and resolve with its result once it finished. */
  callTool(name: string, args?: Record<string, unknown>, options?: TaskCallOptions): Promise<CallToolResult>;
  /** Start a call as a task: the task, or the result when the server answered at once. */
  start(name: string, args?: Record<string, unknown>, options?: TaskCallOptions): Promise<{ task: TaskSnapshot } | { result: CallToolResult }>;
  /** `tasks/get`. */
  get(taskId: string, options?: CallOptions): Promise<TaskSnapshot>;
  /** `tasks/list`, every page (2025-11-25 only: the extension removed it). */
  list(options?: CallOptions): Promise<TaskSnapshot[]>;
  /** `tasks/update` (2026 only): answers by input key. */
  update(taskId: string, inputResponses: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** `tasks/cancel`. */
  cancel(taskId: string, options?: CallOptions): Promise<void>;
  /**
   * Wait for the task's result, answering its questions with the client's callbacks: polls
   * `tasks/get`; 2025 then takes `tasks/result`. A failed task rejects with its error, a
   * cancelled one with MCP_ERR_ABORTED.
   */
  wait(taskId: string, options?: Omit<TaskCallOptions, 'task' | 'ttlMs' | 'onTask'>): Promise<CallToolResult>;
  /** Tasks started and not yet fetched, as remembered in the resume store. */
  remembered(): Promise<RememberedTask[]>;
}

/** Create `client.tasks` over `deps`. */
export function createTaskClient(deps: TaskClientDeps): TaskClient {
  const modern = () => (deps.protocolVersion() ?? '') >= '2026-07-28';
  /**
   * A tasks request; 2026: it declares the extension itself (SEP-2663 negotiation is per
   * request; the transport merges this into the request's envelope).
   */
  const send = (method: string, params: Record<string, unknown>, options?: CallOptions) =>
    deps.request(method, modern() ? { ...checkedTaskId(method, params), _meta: DECLARE_TASKS } : checkedTaskId(method, params), options);

  /** 2025: the progress routes of started tasks, dropped once the task is terminal. */
  const progressRoutes = new Map<string, () => void>();
  const dropProgress = (taskId: string) => {
    progressRoutes.get(taskId)?.();
    progressRoutes.delete(taskId);
  };

  async function remember(task: TaskSnapshot, tool: string): Promise<void> {
    const r = deps.resume;
    if (!r) return;
    await r.store.update(r.serverKey, (current) => ({ ...current, tasks: [...(current?.tasks ?? []), { taskId: task.taskId, tool, startedAt: Date.now() }] }));
  }

  async function forget(taskId: string): Promise<void> {
    const r = deps.resume;
    if (!r) return;
    await r.store.update(r.serverKey, (current) => current && { ...current, tasks: (current.tasks ?? []).filter((t) => t.taskId !== taskId) });
  }

  /** 2025: may this call be a task? (basic/utilities/tasks: capability, then taskSupport) */
  async function legacyTaskable(name: string): Promise<boolean> {
    const caps = deps.serverCapabilities() as { tasks?: { requests?: { tools?: { call?: unknown } } } } | undefined;
    if (caps?.tasks?.requests?.tools?.call === undefined) return false;
    return ((await deps.tool(name))?.execution?.taskSupport ?? 'forbidden') !== 'forbidden';
  }

  async function start(name: string, args: Record<string, unknown> = {}, options: TaskCallOptions = {}): Promise<{ task: TaskSnapshot } | { result: CallToolResult }> {
    const mode = options.task ?? true;
    const params: Record<string, unknown> = { name, arguments: args };
    if (modern()) {
      // SEP-2663: the request declares the extension; the server decides.
      if (mode !== false) params._meta = DECLARE_TASKS;
    } else if (mode === true || (mode === 'auto' && await legacyTaskable(name))) {
      params.task = options.ttlMs === undefined ? {} : { ttl: options.ttlMs };
    }
    // 2025-11-25 basic/utilities/progress: a task's token stays valid until the task is terminal.
    const token = !modern() && options.onProgress && deps.followProgress ? `task-progress-${globalThis.crypto.randomUUID()}` : undefined;
    if (token !== undefined) params._meta = { progressToken: token };
    const sent = withCallerMeta(params, options.meta, name); // a refused meta throws before the token is followed
    const release = token === undefined ? undefined : deps.followProgress!(token, options.onProgress!);
    let answer: Record<string, unknown>;
    try {
      // SEP-2663 with basic/patterns/mrtr: the server may ask inline first and make the task on
      // the retry; the rounds run here, or the InputRequiredResult would pass for the result.
      answer = modern() && deps.inputRounds
        ? await deps.inputRounds((extra) => deps.request('tools/call', { ...sent, ...extra }, options), options.signal)
        : await deps.request('tools/call', sent, options);
    } catch (error) {
      release?.();
      throw error;
    }
    const wire = (answer.resultType === 'task' ? answer : answer.task) as Record<string, unknown> | undefined;
    if (!wire || typeof wire.taskId !== 'string') {
      release?.(); // answered as a plain call: its progress ended with it
      return { result: answer as unknown as CallToolResult };
    }
    const task = readTask(wire);
    if (release) {
      if (isFinished(task.status)) release();
      else progressRoutes.set(task.taskId, release);
    }
    await remember(task, name);
    options.onTask?.(task);
    return { task };
  }

  async function get(taskId: string, options: CallOptions = {}): Promise<TaskSnapshot> {
    const task = readTask(await send('tasks/get', { taskId }, options));
    if (isFinished(task.status)) dropProgress(taskId);
    return task;
  }

  async function wait(taskId: string, options: Omit<TaskCallOptions, 'task' | 'ttlMs' | 'onTask'> = {}): Promise<CallToolResult> {
    checkedTaskId('tasks.wait', { taskId }); // before a 2026 wait listens for it
    const answered = new Set<string>();
    const statusProgress = modern() && options.onProgress ? progressFromStatus(options.onProgress) : undefined;
    const pushed = modern() && deps.watch ? watchPushes(deps.watch, taskId, (task) => { options.onStatus?.(task); statusProgress?.(task); }) : undefined;
    try {
      return await poll(taskId, options, answered, statusProgress, pushed);
    } catch (error) {
      // An abort stops the wait, not the task (its id is the way back): told as a plain call's
      // abort is, MCP_ERR_ABORTED, whichever wait it cut (a request, or the pause between polls).
      const signal = options.signal;
      if (signal?.aborted && !(error instanceof McpError && error.code === LocalErrorCode.Aborted)) {
        throw new McpError(LocalErrorCode.Aborted, `stopped waiting for task ${taskId}: the caller aborted; the task goes on`, { cause: signal.reason });
      }
      throw error;
    } finally {
      pushed?.stop();
    }
  }

  async function poll(taskId: string, options: Omit<TaskCallOptions, 'task' | 'ttlMs' | 'onTask'>, answered: Set<string>, statusProgress: ((task: TaskSnapshot) => void) | undefined, pushed: Pushes | undefined): Promise<CallToolResult> {
    for (;;) {
      pushed?.clear();
      const task = await getThroughRestart(taskId, options);
      options.onStatus?.(task);
      statusProgress?.(task);
      if (!modern() && (isFinished(task.status) || task.status === 'input_required')) {
        // 2025-11-25: tasks/result carries the questions, then returns what the call would have.
        const result = await deps.request('tasks/result', { taskId }, options).catch((error: unknown) => {
          if (error instanceof RpcError) dropProgress(taskId); // the server answered: the task ended
          throw error;
        });
        dropProgress(taskId);
        await forget(taskId);
        return result as unknown as CallToolResult;
      }
      if (modern() && isFinished(task.status)) {
        await forget(taskId);
        return finished(task);
      }
      if (modern() && task.status === 'input_required' && await answerQuestions(taskId, task, answered, options)) continue;
      const ms = options.pollIntervalMs ?? task.pollIntervalMs ?? DEFAULT_TASK_POLL_MS;
      await nap(ms, options.signal, [deps.nextChange && ((stop) => deps.nextChange!(taskId, stop)), pushed?.next]);
    }
  }

  /**
   * `tasks/get`, sent again while no server can be reached, up to `unreachableMs`: the task
   * outlives a server restart (its store keeps it, and the new process resumes it), so the
   * wait does too.
   */
  async function getThroughRestart(taskId: string, options: Omit<TaskCallOptions, 'task' | 'ttlMs' | 'onTask'>): Promise<TaskSnapshot> {
    const limit = options.unreachableMs ?? DEFAULT_TASK_UNREACHABLE_MS;
    let since: number | undefined;
    for (;;) {
      try {
        return await get(taskId, options);
      } catch (error) {
        if (limit <= 0 || options.signal?.aborted || !reachedNoServer(error)) throw error;
        // The monotonic clock: a step of the wall clock (NTP, a suspended laptop) ended the wait at once, or stretched it by the step.
        since ??= performance.now();
        const left = since + limit - performance.now();
        if (left <= 0) {
          const cause = error as Error;
          throw new McpError(cause instanceof McpError ? cause.code : LocalErrorCode.Http, `task ${taskId}: the server could not be reached for ${limit} ms (unreachableMs), the task may still run there: ${cause.message}`, { cause });
        }
        await nap(Math.min(options.pollIntervalMs ?? DEFAULT_TASK_POLL_MS, left), options.signal, []);
      }
    }
  }

  /** 2026: answer the questions not answered yet; true when some were. */
  async function answerQuestions(taskId: string, task: TaskSnapshot, answered: Set<string>, options: CallOptions): Promise<boolean> {
    const open = Object.entries(task.inputRequests ?? {}).filter(([key]) => !answered.has(key));
    if (open.length === 0) return false;
    if (!deps.answer) throw new McpError(LocalErrorCode.Capability, `task ${taskId} asks ${open.map(([, r]) => r.method).join(', ')}, and this client has no callback to answer`);
    const responses: Record<string, unknown> = {};
    for (const [key, request] of open) {
      responses[key] = await deps.answer(request, key, options.signal);
      answered.add(key);
    }
    await send('tasks/update', { taskId, inputResponses: responses }, options);
    return true;
  }

  async function cancel(taskId: string, options: CallOptions = {}): Promise<void> {
    await send('tasks/cancel', { taskId }, options);
    dropProgress(taskId);
    await forget(taskId);
  }

  return {
    start,
    get,
    wait,
    async callTool(name, args = {}, options = {}) {
      const started = await start(name, args, options);
      if ('result' in started) return started.result;
      const { taskId } = started.task;
      try {
        return await wait(taskId, options);
      } catch (error) {
        // Aborting the call cancels the task it started, as aborting a plain call cancels its
        // request (basic/utilities/cancellation); `start` and `wait` keep a task past an abort.
        // Not awaited: the abort is told at once, and a cancel that fails leaves the task to its TTL.
        if (options.signal?.aborted) void cancel(taskId).catch(() => {});
        throw error;
      }
    },
    async list(options = {}) {
      if (modern()) throw new McpError(LocalErrorCode.Capability, 'tasks/list does not exist in 2026-07-28 (the tasks extension removed it)');
      const out: TaskSnapshot[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.request('tasks/list', cursor === undefined ? {} : { cursor }, options);
        out.push(...(page.tasks as Record<string, unknown>[]).map(readTask));
        cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
      } while (cursor !== undefined);
      return out;
    },
    async update(taskId, inputResponses, options = {}) {
      if (!modern()) throw new McpError(LocalErrorCode.Capability, 'tasks/update is part of the 2026-07-28 tasks extension; a 2025 task asks on tasks/result');
      await send('tasks/update', { taskId, inputResponses }, options);
    },
    cancel,
    async remembered() {
      const r = deps.resume;
      return r ? [...((await r.store.get(r.serverKey))?.tasks ?? [])] : [];
    },
  };
}
