/**
 * `tasks.id-unguessable` (SHOULD): a task id a client could guess. 2025-11-25
 * basic/utilities/tasks, security: without an authorization context, task ids MUST be
 * high-entropy (the words as `../shared/notes/spec-notes.md` keeps them); the 2026-07-28 tasks
 * extension keeps them unguessable, since any client that names a task id may read its result.
 * Only ids that show how they were made are judged: a number (a counter or a clock), a counter
 * behind a word (`task-42`), or too short to hold {@link MIN_TASK_ID_CHARS} characters of
 * randomness. SHOULD, not MUST: one id cannot prove guessable, and a server binding tasks to
 * an authorization context may mint any.
 */
import type { FindingRecorder } from './findings.ts';

/** Fewest characters of a task id: 16 base64url characters hold 96 bits, a UUID's hex 122. */
export const MIN_TASK_ID_CHARS = 16;

/** Why `id` looks guessable, in words, or undefined when nothing shows it. */
export function guessableTaskId(id: string): string | undefined {
  if (/^\d+$/.test(id)) return 'it is a decimal number (a counter or a clock reading)';
  const tail = id.replace(/^[A-Za-z]+[-_:./]*/, '');
  if (tail !== id && /^\d+$/.test(tail)) return `it is a number (${tail}) behind a word: a counter`;
  if (id.length < MIN_TASK_ID_CHARS) return `it has ${id.length} character(s), fewer than the ${MIN_TASK_ID_CHARS} that hold enough randomness`;
  return undefined;
}

/** Judge the id of the first task the check was given (`tool`'s), with the exchange that gave it. */
export function judgeTaskId(rec: FindingRecorder, tool: string, taskId: string, exchange: string): void {
  if (!rec.wants('tasks.id-unguessable')) return;
  const why = guessableTaskId(taskId);
  if (why === undefined) rec.pass('tasks.id-unguessable', `${tool}'s task id ${JSON.stringify(taskId.length > 60 ? `${taskId.slice(0, 60)}...` : taskId)} shows no counter or clock and has ${taskId.length} characters`, 'modern');
  else rec.fail('tasks.id-unguessable', `${tool}'s task id ${JSON.stringify(taskId)} can be guessed: ${why}. Any client that names a task id may read or cancel it`, exchange, 'modern');
}
