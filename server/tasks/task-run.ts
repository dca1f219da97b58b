/**
 * One task executing in this process: the handler runs with a `req` of its own (its signal
 * is the task's, not the request's, since the task outlives the `tools/call` that made it).
 * Its questions to the client (elicitation, sampling, roots) move the task to
 * `input_required`. How they reach the client depends on the era that made the task:
 *
 * - 2025-11-25 basic/utilities/tasks (input required: "the requestor SHOULD call
 *   tasks/result"): they go out on a `tasks/result` request of the task's owner, tagged with
 *   `related-task`;
 * - 2026-07-28 tasks extension (SEP-2663): they wait in the task's stored `inputRequests`
 *   (shown by `tasks/get` on any instance) until `tasks/update`, on any instance, records
 *   their `inputResponses` in the store; the run then takes them from there ({@link TaskRun.sync}).
 *
 * Answers are recorded in the task, so a re-run after a restart or a takeover gets them back
 * without asking again.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type ServerNotifications } from '../../protocol/index.ts';
import { askNeeds } from '../../protocol/capabilities.ts';
import type { ServerConnection } from '../connection-types.ts';
import type { InputOptions, InputRequest, InputResult } from '../input.ts';
import { createServerRequest, NO_AUTH, type RequestNotification, type ServerRequest } from '../request.ts';
import { isAnswered, type TaskChange, type TaskRecord } from '../../transport/task-store/types.ts';
import { isModernRecord } from './modern-wire.ts';
import { withRelatedTask } from './wire.ts';
import { progressStatusMessage } from '../../protocol/task-status-progress.ts';

/** What a run needs from the runtime. */
export interface TaskRunHost {
  /** Persist `change` and tell whoever listens. */
  change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  /** A live `tasks/result` request of this task to carry a question; waits for one. */
  carrier(taskId: string, signal: AbortSignal): Promise<ServerRequest>;
  /** A notification that could not be sent. */
  report(error: Error): void;
}

/** Where the run came from. */
export interface TaskRunOrigin {
  /** Where the task was made, when it is still this process's (not after a restart). */
  connection?: ServerConnection | undefined;
  /** A resumed run: its session's connection now, if any (asked at each notification: the client may come back later). */
  connectionOf?: (() => ServerConnection | undefined) | undefined;
  progressToken?: string | number | undefined;
  /** Questions the handler asked before it became a task (2026: inline rounds); their answers are `record.inputs[0..asked)`. */
  asked?: number;
}

/** A 2026 question waiting for `tasks/update`. */
interface Pending {
  /** Where its answer is recorded in the task's `inputs`. */
  readonly index: number;
  readonly resolve: (answer: unknown) => void;
}

/** The client capability each question needs. */
const INPUT_CAPABILITY: Readonly<Record<InputRequest['method'], string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** The key of the `index`-th question in `inputRequests`: stable across a re-run. */
function inputKey(index: number): string {
  return `input-${index}`;
}

/** A task executing now. */
export class TaskRun {
  readonly taskId: string;
  readonly controller = new AbortController();
  readonly req: ServerRequest;
  readonly modern: boolean;
  readonly #host: TaskRunHost;
  readonly #connection: ServerConnection | undefined;
  readonly #connectionOf: (() => ServerConnection | undefined) | undefined;
  readonly #inputs: unknown[];
  readonly #pending = new Map<string, Pending>();
  #asked: number;
  #waiting = 0;
  /** 2026: the status message waiting to be written, and the write in flight. */
  #nextStatus: string | undefined;
  #statusWrite: Promise<void> | undefined;

  constructor(record: TaskRecord, host: TaskRunHost, origin: TaskRunOrigin = {}) {
    this.taskId = record.taskId;
    this.modern = isModernRecord(record);
    this.#host = host;
    const connection = origin.connection;
    this.#connection = connection;
    this.#connectionOf = origin.connectionOf;
    this.#inputs = [...record.inputs];
    this.#asked = origin.asked ?? 0;
    const r = record.request;
    const progressToken = origin.progressToken;
    this.req = createServerRequest({
      method: r.method,
      requestId: record.taskId,
      protocolVersion: r.protocolVersion,
      clientCapabilities: r.clientCapabilities,
      clientInfo: r.clientInfo as ServerRequest['clientInfo'],
      signal: this.controller.signal,
      auth: NO_AUTH,
      sessionId: r.sessionId,
      logLevel: connection?.logLevel,
      progressToken,
      connection,
      taskId: record.taskId,
    }, {
      notify: (method, params) => this.#notify(method, params),
      progress: (progress, total, message) => (this.modern
        ? this.#statusProgress(progressStatusMessage(progress, total, message))
        : this.#progress(progressToken, progress, total, message)),
      input: (request, options) => this.#input(request, options),
    });
  }

  get signal(): AbortSignal { return this.controller.signal; }

  /**
   * SEP-2663 `tasks/update`, on whichever instance it landed: the answers recorded in
   * `record` (the store keeps a question's first answer) resolve the questions of this run
   * that wait for them. Each resolves once; a question not answered yet keeps waiting.
   */
  sync(record: TaskRecord): void {
    for (const [key, pending] of this.#pending) {
      const answer = record.inputs[pending.index];
      if (!isAnswered(answer)) continue;
      this.#pending.delete(key);
      pending.resolve(answer);
    }
  }

  /** Log messages go to the connection that made the task, while it lives (2026: no log messages for tasks). */
  async #notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void> {
    const conn = this.#connection ?? this.#connectionOf?.();
    if (!conn || conn.state !== 'ready') return;
    await conn.peer.notify(method, withRelatedTask(params as object, this.taskId) as never);
  }

  /** 2025-11-25 basic/utilities/tasks: the progress token stays valid for the task's lifetime. */
  async #progress(token: string | number | undefined, progress: number, total?: number, message?: string): Promise<void> {
    const conn = this.#connection ?? this.#connectionOf?.();
    if (token === undefined || !conn || conn.state !== 'ready') return;
    const params = { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) };
    await conn.peer.notify('notifications/progress', withRelatedTask(params, this.taskId));
  }

  /**
   * 2026-07-28 tasks extension (SEP-2663): no progress notifications for tasks; progress
   * becomes the task's status message (protocol/task-status-progress.ts), which `tasks/get`
   * and `notifications/tasks` show. One write at a time: messages reported meanwhile
   * collapse into the latest, so a chatty handler costs the store at most one queued write.
   */
  #statusProgress(statusMessage: string): Promise<void> {
    this.#nextStatus = statusMessage;
    this.#statusWrite ??= (async () => {
      try {
        while (this.#nextStatus !== undefined) {
          const next = this.#nextStatus;
          this.#nextStatus = undefined;
          await this.#writeStatus(next);
        }
      } finally {
        this.#statusWrite = undefined;
      }
    })();
    return this.#statusWrite;
  }

  async #writeStatus(statusMessage: string): Promise<void> {
    // A question's status (input_required and its message) stays until it is answered.
    if (this.#waiting > 0 || this.controller.signal.aborted) return;
    try {
      await this.#host.change(this.taskId, { status: 'working', statusMessage });
    } catch (error) {
      // The task ended meanwhile (cancelled): a terminal task keeps its last status.
      if (!(error instanceof McpError && error.code === LocalErrorCode.State)) throw error;
    }
  }

  async #input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>> {
    const index = this.#asked++;
    // A re-run after a restart or a takeover: this question was answered before; never ask twice.
    if (isAnswered(this.#inputs[index])) return this.#inputs[index] as InputResult<R>;
    const key = inputKey(index);
    const capability = INPUT_CAPABILITY[request.method];
    // 2026-07-28 basic/patterns/mrtr: only ask what the client declared it can answer (never stored as waiting).
    if (this.modern && !(capability in this.req.clientCapabilities)) {
      throw new McpError(LocalErrorCode.Capability, `the client did not declare ${capability}, so ${request.method} cannot be asked`);
    }
    // 2026-07-28 client/elicitation (modes), client/sampling (tools, context); 2025 is checked as the question is sent.
    const needs = this.modern ? askNeeds(request.method, request.params, this.req.clientCapabilities) : undefined;
    if (needs) throw new McpError(LocalErrorCode.Capability, `${needs.why}, so ${request.method} cannot be asked`);
    const taskSignal = this.controller.signal;
    const asked: InputOptions = { ...options, signal: options?.signal ? AbortSignal.any([options.signal, taskSignal]) : taskSignal };
    // 2026: the question waits for an answer recorded in the store (sync), which any instance
    // may take; it is in inputRequests together with the status that says so.
    const parked = this.modern ? this.#await<R>(key, index, asked.signal!) : undefined;
    parked?.catch(() => {}); // awaited below; a failing status change must not leave it unhandled
    this.#waiting += 1;
    let answer: InputResult<R>;
    try {
      const question = { index, method: request.method, ...(request.params !== undefined ? { params: request.params as unknown as Record<string, unknown> } : {}) };
      const change: TaskChange = { ask: { [key]: question } };
      if (this.#waiting === 1) {
        const how = this.modern ? 'answer with tasks/update' : 'call tasks/result';
        Object.assign(change, { status: 'input_required', statusMessage: `waiting for the client to answer ${request.method}; ${how}` });
      }
      const next = await this.#host.change(this.taskId, change);
      if (next) this.sync(next); // answered meanwhile (a re-run's question): no one would tell it
      answer = parked
        ? await parked
        : await this.#ask({ ...request, params: withRelatedTask(request.params, this.taskId) } as R, asked);
    } finally {
      this.#waiting -= 1;
    }
    this.#inputs[index] = answer;
    // 2025: the answer is recorded here; 2026: it already is (the key no longer waits), so
    // this only moves the status back.
    const change: TaskChange = { answer: { [key]: answer } };
    if (this.#waiting === 0) Object.assign(change, { status: 'working', statusMessage: undefined });
    await this.#host.change(this.taskId, change);
    return answer;
  }

  /** 2025: ask on a `tasks/result` stream; when that request ends first, wait for the next one. */
  async #ask<R extends InputRequest>(request: R, options: InputOptions): Promise<InputResult<R>> {
    for (;;) {
      const carrier = await this.#host.carrier(this.taskId, options.signal!);
      try {
        return await carrier.input(request, options);
      } catch (error) {
        if (!carrier.signal.aborted || options.signal!.aborted) throw error;
      }
    }
  }

  /**
   * 2026 (SEP-2663): wait in `inputRequests` under `key` until `tasks/update` answers. The
   * ask timeout does not apply: the task's TTL bounds the wait.
   */
  #await<R extends InputRequest>(key: string, index: number, signal: AbortSignal): Promise<InputResult<R>> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#pending.delete(key);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(key, {
        index,
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            reject(new RpcError(ErrorCode.InvalidParams, `Invalid params: inputResponses[${JSON.stringify(key)}] must be a result object`));
          } else resolve(value as InputResult<R>);
        },
      });
    });
  }
}
