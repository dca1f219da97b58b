/**
 * How the host shows a task (issue #15 item 6): its id, tool, status, what the server said,
 * its age, what it waits for, and what to type next.
 */
import type { TaskSnapshot } from 'mcpwire/client';
import type { CallRecord, TaskRef } from './history.ts';
import { elapsedText } from './progress-view.ts';
import { argsText } from './call-args.ts';
import { waitingFor } from './task-calls.ts';

/** `3fa9c1d2…`: enough of a task id to tell tasks apart. */
export function shortTaskId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

/** The facts of a task for a status line: status, message, what it waits for. */
export function taskFacts(task: TaskSnapshot | TaskRef): string[] {
  const status = task.status ?? 'unknown';
  const waits = 'taskId' in task ? waitingFor(task) : task.waitingFor;
  // While it asks, "waits for" says it in the person's terms; the server's message is for clients.
  const message = task.statusMessage && status !== 'input_required' ? task.statusMessage : undefined;
  return [`task ${shortTaskId('taskId' in task ? task.taskId : task.id)} ${status}`, message ?? '', waits ? `waits for ${waits}` : ''].filter((x) => x !== '');
}

/** What to type for a task in this status. */
export function taskHint(n: number, status: string | undefined): string {
  switch (status) {
    case 'input_required': return `type "resume ${n}" to answer, "cancel ${n}" to cancel`;
    case 'completed': return `type "resume ${n}" for its result`;
    case 'failed': case 'cancelled': return `type "resume ${n}" to see how it ended`;
    default: return `type "resume ${n}" to follow it, "cancel ${n}" to cancel`;
  }
}

/** One line for a task on record that nobody follows now. */
export function storedTaskLine(record: CallRecord & { task: TaskRef }, where: string, unreachable?: string): string {
  const args = argsText(record.args);
  const facts = unreachable !== undefined ? [`task ${shortTaskId(record.task.id)}`, `not checked: ${unreachable}`] : taskFacts(record.task);
  return `  (task) #${record.n} ${record.tool}${args}${where} · ${facts.join(' · ')} · started ${elapsedText(Date.now() - record.startedAt)} ago: ${taskHint(record.n, unreachable === undefined ? record.task.status : undefined)}`;
}
