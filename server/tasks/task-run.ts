/**
 * One task executing in this process: the handler runs with a `req` of its own (its signal
 * is the task's, not the request's, since the task outlives the `tools/call` that made it).
 * Its questions to the client (elicitation, sampling, roots) move the task to
 * `input_required` and go out on a `tasks/result` request of the task's owner (2025-11-25
 * basic/utilities/tasks: input required, "the requestor SHOULD call tasks/result"), tagged
 * with `related-task`. Answers are recorded in the task, so a re-run after a restart gets
 * them back without asking again.
 */
import type { ServerNotifications } from '../../protocol/index.ts';
import type { ServerConnection } from '../connection-types.ts';
import type { InputOptions, InputRequest, InputResult } from '../input.ts';
import { createServerRequest, NO_AUTH, type RequestNotification, type ServerRequest } from '../request.ts';
import type { TaskChange, TaskRecord } from '../../transport/task-store/types.ts';
import { withRelatedTask } from './wire.ts';

/** What a run needs from the runtime. */
export interface TaskRunHost {
  /** Persist `change` and tell whoever listens. */
  change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  /** A live `tasks/result` request of this task to carry a question; waits for one. */
  carrier(taskId: string, signal: AbortSignal): Promise<ServerRequest>;
  /** A notification that could not be sent. */
  report(error: Error): void;
}

/** A task executing now. */
export class TaskRun {
  readonly taskId: string;
  readonly controller = new AbortController();
  readonly req: ServerRequest;
  readonly #host: TaskRunHost;
  readonly #connection: ServerConnection | undefined;
  readonly #inputs: unknown[];
  #asked = 0;
  #waiting = 0;

  /** `connection`: where the task was made, when it is still this process's (not after a restart). */
  constructor(record: TaskRecord, host: TaskRunHost, connection: ServerConnection | undefined, progressToken: string | number | undefined) {
    this.taskId = record.taskId;
    this.#host = host;
    this.#connection = connection;
    this.#inputs = [...record.inputs];
    const r = record.request;
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
      progress: (progress, total, message) => this.#progress(progressToken, progress, total, message),
      input: (request, options) => this.#input(request, options),
    });
  }

  get signal(): AbortSignal { return this.controller.signal; }

  /** Log messages go to the connection that made the task, while it lives. */
  async #notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void> {
    const conn = this.#connection;
    if (!conn || conn.state !== 'ready') return;
    await conn.peer.notify(method, withRelatedTask(params as object, this.taskId) as never);
  }

  /** 2025-11-25 basic/utilities/tasks: the progress token stays valid for the task's lifetime. */
  async #progress(token: string | number | undefined, progress: number, total?: number, message?: string): Promise<void> {
    const conn = this.#connection;
    if (token === undefined || !conn || conn.state !== 'ready') return;
    const params = { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) };
    await conn.peer.notify('notifications/progress', withRelatedTask(params, this.taskId));
  }

  async #input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>> {
    const index = this.#asked++;
    // A re-run after a restart: this question was answered before; never ask twice.
    if (index < this.#inputs.length && this.#inputs[index] !== undefined) return this.#inputs[index] as InputResult<R>;
    const taskSignal = this.controller.signal;
    this.#waiting += 1;
    if (this.#waiting === 1) {
      await this.#host.change(this.taskId, { status: 'input_required', statusMessage: `waiting for the client to answer ${request.method}; call tasks/result` });
    }
    const tagged = { ...request, params: withRelatedTask(request.params, this.taskId) } as R;
    const asked: InputOptions = { ...options, signal: options?.signal ? AbortSignal.any([options.signal, taskSignal]) : taskSignal };
    const answer = await this.#ask(tagged, asked);
    this.#inputs[index] = answer;
    this.#waiting -= 1;
    const change: TaskChange = { inputs: [...this.#inputs] };
    if (this.#waiting === 0) Object.assign(change, { status: 'working', statusMessage: undefined });
    await this.#host.change(this.taskId, change);
    return answer;
  }

  /** Ask on a `tasks/result` stream; when that request ends first, wait for the next one. */
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
}
