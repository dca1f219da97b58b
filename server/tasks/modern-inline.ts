/**
 * A 2026 `tools/call` that asks its first questions inline and then becomes a task (SEP-2663 with
 * 2026-07-28 basic/patterns/mrtr: servers "SHOULD resolve all MRTR exchanges _synchronously_
 * before responding with a `CreateTaskResult`"). The handler is
 * the same as everywhere: it calls `ctx.elicit()`. Its first question is a multi round-trip
 * `InputRequiredResult`; when the retry brings the answer, the task is stored durably with
 * that answer recorded, the call answers with the CreateTaskResult, and the handler goes on
 * as the task (its later questions wait in the task's `inputRequests`). A re-run after a
 * restart replays the inline answer from the task.
 */
import type {
  CallToolParams, CallToolResult, ClientCapabilities, Implementation, LoggingLevel, ProgressToken, RequestId, ServerNotifications,
} from '../../protocol/index.ts';
import type { InputOptions, InputRequest, InputResult } from '../input.ts';
import type { RequestAuth, RequestNotification, ServerRequest } from '../request.ts';
import { modernTask } from './modern-wire.ts';
import type { TaskRuntime } from './runtime.ts';

/** The handler's `req`: the inline request until the first answer, then the task's. */
export class InlineFirstRequest implements ServerRequest {
  readonly #origin: ServerRequest;
  readonly #params: CallToolParams;
  readonly #runtime: TaskRuntime;
  readonly #run: (req: ServerRequest) => Promise<CallToolResult>;
  #target: ServerRequest;
  #work: Promise<CallToolResult> | undefined;
  #answers: unknown[] = [];
  #becameTask: ((created: Record<string, unknown>) => void) | undefined;

  constructor(origin: ServerRequest, params: CallToolParams, runtime: TaskRuntime, run: (req: ServerRequest) => Promise<CallToolResult>) {
    this.#origin = origin;
    this.#target = origin;
    this.#params = params;
    this.#runtime = runtime;
    this.#run = run;
  }

  /** The call's answer: the handler's result when it finishes inline, else the CreateTaskResult. */
  answer(): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.#becameTask = resolve;
      const work = (async () => this.#run(this))();
      this.#work = work;
      work.then(
        (result) => { if (this.#target === this.#origin) resolve(result as unknown as Record<string, unknown>); },
        (error: unknown) => { if (this.#target === this.#origin) reject(error); },
      );
    });
  }

  get method(): string { return this.#origin.method; }
  get requestId(): RequestId { return this.#target.requestId; }
  get protocolVersion(): string { return this.#origin.protocolVersion; }
  get clientCapabilities(): ClientCapabilities { return this.#origin.clientCapabilities; }
  get clientInfo(): Implementation | undefined { return this.#origin.clientInfo; }
  get auth(): RequestAuth { return this.#origin.auth; }
  get signal(): AbortSignal { return this.#target.signal; }
  get sessionId(): string | undefined { return this.#origin.sessionId; }
  get logLevel(): LoggingLevel | undefined { return this.#target.logLevel; }
  get meta(): Record<string, unknown> | undefined { return this.#origin.meta; }
  get progressToken(): ProgressToken | undefined { return this.#target.progressToken; }
  get connection(): undefined { return undefined; }
  get taskId(): string | undefined { return this.#target.taskId; }

  notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void> {
    return this.#target.notify(method, params);
  }

  progress(progress: number, total?: number, message?: string): Promise<void> {
    return this.#target.progress(progress, total, message);
  }

  async input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>> {
    if (this.#target !== this.#origin) return this.#target.input(request, options);
    const answer = await this.#origin.input(request, options);
    this.#answers.push(answer);
    await this.#becomeTask();
    return answer;
  }

  /** Store the task with the answers so far, hand the handler over to it, answer the call. */
  async #becomeTask(): Promise<void> {
    const record = await this.#runtime.persist(this.#params, this.#origin, undefined, this.#answers, true);
    this.#runtime.adopt(record, this.#answers.length, (taskReq) => {
      this.#target = taskReq;
      return this.#work!;
    });
    this.#becameTask?.({ ...modernTask(record), resultType: 'task' });
  }
}
