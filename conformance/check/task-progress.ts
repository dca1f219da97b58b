/**
 * `tasks.no-progress` (MUST): a call the server turned into a task gets no progress
 * notifications from then on. 2026-07-28 ext-tasks: tasks get no progress or log notifications;
 * a task's state reaches the client through `tasks/get` and `notifications/tasks`. The check's
 * task call carries a progress token of its own, so a server that reports a task's progress
 * the 2025-11-25 way (the token stays valid for the task's lifetime there) has one to name.
 * Judged: every notification that comes with an answer to the task's later requests (its
 * polls, updates and cancel: over HTTP their reply streams, over stdio the lines read while
 * one was pending). Not judged: the creating call's own reply, whose progress before the
 * `CreateTaskResult` is the request's, sent before any task existed. Log messages are
 * `modern.log-level`'s: the task requests name no logLevel, so any log on them fails there.
 */
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The progress token of the check's task calls, followed by the tool's name. */
export const TASK_PROGRESS_TOKEN = 'mcpwire-check-task-progress';

/** True when `m` is a notifications/progress naming one of the task probe's tokens. */
export function taskProbeProgress(m: Obj): boolean {
  return m.method === 'notifications/progress' && isObj(m.params) && typeof m.params.progressToken === 'string' && m.params.progressToken.startsWith(`${TASK_PROGRESS_TOKEN}-`);
}

/** What the watch needs of an answer: the notifications that came with it, and the exchange. */
export interface NotedAnswer {
  readonly notes?: readonly Obj[] | undefined;
  readonly exchange: string;
}

/** Watches one task's later answers for progress naming `token`; `finish` judges once. */
export interface TaskProgressWatch {
  /** Record the progress naming the token among `answer.notes`; returns `answer`. */
  see<A extends NotedAnswer>(answer: A): A;
  /** Judge `tasks.no-progress` on the answers seen. */
  finish(): void;
}

/** A watch of `tool`'s task `taskId`, created by a call whose progress token was `token`. */
export function watchTaskProgress(rec: FindingRecorder, tool: string, taskId: string, token: string): TaskProgressWatch {
  let answers = 0;
  let first: string | undefined; // the exchange of the first answer carrying one
  let count = 0;
  return {
    see(answer) {
      answers++;
      const named = (answer.notes ?? []).filter((m) => m.method === 'notifications/progress' && isObj(m.params) && m.params.progressToken === token);
      count += named.length;
      if (named.length > 0) first ??= answer.exchange;
      return answer;
    },
    finish() {
      if (!rec.wants('tasks.no-progress')) return;
      if (first !== undefined) {
        rec.fail('tasks.no-progress', `${tool}'s call became task ${taskId}, then ${count} notifications/progress named its progress token ${JSON.stringify(token)} (with ${answers} answer(s) to the task's requests): a task gets no progress notifications; its statusMessage says how far it got`, first, 'modern');
      } else if (answers === 0) rec.skip('tasks.no-progress', `${tool}'s task ${taskId} was never polled`, 'modern');
      else rec.pass('tasks.no-progress', `${tool}'s call became task ${taskId}; no notifications/progress named its progress token in ${answers} answer(s) to the task's requests`, 'modern');
    },
  };
}
