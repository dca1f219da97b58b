/**
 * How a 2026-07-28 client under test polls a task (the tasks extension, SEP-2663): the scripted
 * server makes a task of `check_task` when the client declares the extension, and suggests
 * {@link TASK_POLL_MS} as `pollIntervalMs`. Each `tasks/get` but the first is timed against the
 * answer to the one before it (the rule is about how often a task is polled; the first read
 * may follow the CreateTaskResult at once):
 *
 * - sooner than that answer's `pollIntervalMs` is `client.task-poll-interval` (ext-tasks
 *   2026-07-28, task polling: clients SHOULD respect the `pollIntervalMs` provided in
 *   responses; 2025-11-25 basic/utilities/tasks says the same of `pollInterval`), unless a status push for the task came after the answer the
 *   client held when it sent the previous `tasks/get` (a `notifications/tasks` on a listen
 *   stream, or the acknowledgement of a listen naming it: the client then has a reason to read
 *   the task at once);
 * - any `tasks/get` after one that read a terminal status (completed, failed, cancelled) is
 *   `client.task-after-terminal` (info: terminal statuses are final, ext-tasks task status
 *   lifecycle, so the poll can learn nothing; no stored text gives it a level).
 */
import type { FindingRecorder } from './findings.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The `pollIntervalMs` the scripted server suggests, ms: long enough to tell a client that waits it from one that does not. */
export const TASK_POLL_MS = 300;
/** How long `check_task` works as a task, ms: a few polls' worth. */
export const TASK_WORK_MS = 3 * TASK_POLL_MS;
/** A poll this much sooner than the interval is still taken as waiting it (timers' slack). */
const POLL_SLACK_MS = 25;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

interface Polled {
  /** When the last answer about the task left the server, and the interval it suggested. */
  answeredAt: number;
  intervalMs: number | undefined;
  /** When the last status push for the task left the server. */
  pushedAt?: number;
  /**
   * When the answer the client held as it sent its previous tasks/get left the server: a push
   * sent after it may have reached the client only once that poll was on its way (the server
   * sees the push leave first, the client reads it later), and excuses the next poll.
   */
  basisAt: number;
  /** That answer was the CreateTaskResult: the first read is not timed (the rule judges how often a task is polled). */
  created: boolean;
  /** The status a tasks/get read as terminal, once one did. */
  ended?: string;
  polls: number;
}

/** What the task watcher is told of the modern traffic, and its findings at the end. */
export interface TaskPollWatch {
  /** A modern request of the client (`text` for the finding). */
  request(method: string, params: Obj, text: string): void;
  /** A message of the server's reply to a request of `method`. */
  reply(method: string, m: Obj): void;
  finish(): void;
}

/** A watcher of the task polls of one client run. */
export function createTaskPollWatch(rec: FindingRecorder, now: () => number = Date.now): TaskPollWatch {
  const tasks = new Map<string, Polled>();
  const hasty: string[] = [];
  const after: string[] = [];
  let hastyText = '';
  let afterText = '';
  const answered = (task: Obj, created: boolean) => {
    if (typeof task.taskId !== 'string') return;
    const known = tasks.get(task.taskId);
    const intervalMs = typeof task.pollIntervalMs === 'number' ? task.pollIntervalMs : known?.intervalMs;
    const at = now();
    const entry: Polled = { answeredAt: at, intervalMs, basisAt: known?.basisAt ?? at, created, polls: known?.polls ?? 0, ...(known?.ended === undefined ? {} : { ended: known.ended }), ...(known?.pushedAt === undefined ? {} : { pushedAt: known.pushedAt }) };
    if (entry.ended === undefined && TERMINAL.has(String(task.status))) entry.ended = String(task.status);
    tasks.set(task.taskId, entry);
  };
  const pushed = (taskId: unknown) => {
    const entry = typeof taskId === 'string' ? tasks.get(taskId) : undefined;
    if (entry) entry.pushedAt = now();
  };
  return {
    request(method, params, text) {
      if (method !== 'tasks/get' || typeof params.taskId !== 'string') return;
      const entry = tasks.get(params.taskId);
      if (!entry) return;
      entry.polls++;
      if (entry.ended !== undefined) {
        after.push(`tasks/get of ${params.taskId} after a tasks/get had read it ${entry.ended}`);
        afterText ||= text;
        return;
      }
      const waited = now() - entry.answeredAt;
      const pushed = entry.pushedAt !== undefined && entry.pushedAt >= entry.basisAt;
      if (entry.intervalMs !== undefined && !pushed && !entry.created && waited < entry.intervalMs - POLL_SLACK_MS) {
        hasty.push(`tasks/get of ${params.taskId} came ${waited} ms after the answer that suggested pollIntervalMs ${entry.intervalMs}, with no status push between`);
        hastyText ||= text;
      }
      entry.basisAt = entry.answeredAt;
    },
    reply(method, m) {
      if (isObj(m.result) && m.result.resultType === 'task') answered(m.result, true);
      else if (isObj(m.result) && method === 'tasks/get') answered(m.result, false);
      // A push gives the client a reason to read the task at once.
      if (m.method === 'notifications/tasks' && isObj(m.params)) pushed(m.params.taskId);
      if (m.method === 'notifications/subscriptions/acknowledged' && isObj(m.params) && isObj(m.params.notifications) && Array.isArray(m.params.notifications.taskIds)) {
        for (const id of m.params.notifications.taskIds) pushed(id);
      }
    },
    finish() {
      const polls = [...tasks.values()].reduce((n, t) => n + t.polls, 0);
      if (tasks.size === 0) {
        for (const id of ['client.task-poll-interval', 'client.task-after-terminal'] as const) rec.skip(id, 'no call of the client became a task (check_task becomes one when the request declares io.modelcontextprotocol/tasks)', 'modern');
        return;
      }
      if (hasty.length > 0) rec.fail('client.task-poll-interval', `${hasty.length} of ${polls} tasks/get came sooner than the task's pollIntervalMs: ${hasty[0]!}`, hastyText, 'modern');
      else rec.pass('client.task-poll-interval', `${polls} tasks/get of ${tasks.size} task(s), none sooner than its pollIntervalMs (${TASK_POLL_MS} ms) without a push between`, 'modern');
      if (after.length > 0) rec.fail('client.task-after-terminal', `${after.length} tasks/get after the task's terminal status was read: ${after[0]!}`, afterText, 'modern');
      else rec.pass('client.task-after-terminal', `no tasks/get after a terminal status (${polls} in all)`, 'modern');
    },
  };
}
