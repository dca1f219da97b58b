/**
 * What crosses instances for a task that runs on one of them (several instances on a shared
 * TaskStore and event bus): a `tasks/update` (SEP-2663) that lands elsewhere records its
 * answers in the store and tells the running instance over the bus (`task_input`), which
 * takes them from the store; a cancellation made elsewhere reaches it as the task's status
 * event, and stops the handler (its signal fires). In one process the same events arrive
 * in-process. Pub/sub may lose a message (an instance reconnecting to Redis): the answers
 * stay in the store, and the next `tasks/get` served by the running instance picks them up.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { ServerEvent } from '../event-bus.ts';
import type { TaskChange, TaskRecord } from '../../transport/task-store/types.ts';
import type { TaskRun } from './task-run.ts';

/** What the relay needs from the runtime. */
export interface TaskRelayHost {
  /** The run of a task in this process, if it runs here. */
  run(taskId: string): TaskRun | undefined;
  read(taskId: string): Promise<TaskRecord | undefined>;
  change(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  publish(event: ServerEvent): void;
  report(error: Error): void;
}

/** Answers and cancellations of tasks, wherever they run. */
export class TaskRelay {
  readonly #host: TaskRelayHost;

  constructor(host: TaskRelayHost) {
    this.#host = host;
  }

  /**
   * Record the `responses` that answer questions `record` waits on (a question keeps its
   * first answer, so each is applied once), then wake the run: here at once, elsewhere
   * through the bus. A failover re-run finds the answers in the record.
   */
  async answer(record: TaskRecord, responses: Record<string, unknown>): Promise<void> {
    const waiting = record.inputRequests ?? {};
    const answers = Object.fromEntries(Object.entries(responses).filter(([key]) => Object.hasOwn(waiting, key)));
    if (Object.keys(answers).length === 0) return; // eventually consistent: nothing to answer (any more)
    let next: TaskRecord | undefined;
    try {
      next = await this.#host.change(record.taskId, { answer: answers });
    } catch (error) {
      if (error instanceof McpError && error.code === LocalErrorCode.State) return; // finished meanwhile
      throw error;
    }
    if (!next) return;
    const run = this.#host.run(record.taskId);
    if (run) run.sync(next);
    else this.#host.publish({ type: 'task_input', taskId: record.taskId });
  }

  /** A server event, from this instance or another: act on those about a task running here. */
  heard(event: ServerEvent): false {
    if (event.type === 'task_input') {
      const run = this.#host.run(event.taskId);
      if (run) this.#host.read(event.taskId).then((record) => { if (record) run.sync(record); }, (e: Error) => this.#host.report(e));
    } else if ((event.type === 'task_status' || event.type === 'task_changed') && event.task.status === 'cancelled') {
      this.#host.run(event.task.taskId)?.controller.abort(new McpError(LocalErrorCode.Aborted, 'the task was cancelled'));
    }
    return false; // not a delivery to a client
  }
}
