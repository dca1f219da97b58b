/**
 * `tasks.id-unguessable` (SHOULD): a task id a client could guess. 2025-11-25
 * basic/utilities/tasks, security: without an authorization context, task ids MUST be
 * high-entropy (the words as `../shared/notes/spec-notes.md` keeps them); the 2026-07-28 tasks
 * extension keeps them unguessable, since any client that names a task id may read its result.
 * Only ids that show how they were made are judged: a number (a counter or a clock), a counter
 * behind a word (`task-42`), or too short to hold {@link MIN_TASK_ID_CHARS} characters of
 * randomness; and, across the ids of several tasks of one tool, a part that counts: ids alike
 * but for a decimal number that moved by less than {@link MAX_COUNTED_STEP} (`<random>-0001`,
 * `<random>-0002`: a counter behind a fixed random prefix, or a clock). SHOULD, not MUST: a few
 * ids cannot prove an id guessable, and a server binding tasks to an authorization context may
 * mint any.
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

/** Largest move of the counting part between two ids that reads as a counter or a clock (a million: ms of a quarter hour). */
export const MAX_COUNTED_STEP = 1_000_000;

/** Why two ids of one store look made by a counter or a clock, or undefined when nothing shows it. */
export function countingTaskIds(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  // Widen the differing parts to whole runs of digits, so "0009" and "0010" compare as 9 and 10.
  while (head > 0 && /\d/.test(a[head - 1]!)) head--;
  while (tail > 0 && /\d/.test(a[a.length - tail]!)) tail--;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  if (!/^\d+$/.test(x) || !/^\d+$/.test(y)) return undefined;
  const step = Math.abs(Number(y) - Number(x));
  return step < MAX_COUNTED_STEP ? `it is ${JSON.stringify(a)} with ${x} made ${y}: a part that counts (a counter or a clock)` : undefined;
}

/** Show a task id, cut when long. */
const shown = (id: string): string => JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}...` : id);

/**
 * Judge the ids of the tasks the check was given (`tool`'s, in the order minted; the first
 * with the exchange that gave it): each alone, then each next to the one before.
 */
export function judgeTaskIds(rec: FindingRecorder, tool: string, taskIds: readonly string[], exchange: string): void {
  if (!rec.wants('tasks.id-unguessable') || taskIds.length === 0) return;
  for (const [i, id] of taskIds.entries()) {
    const why = guessableTaskId(id) ?? (i > 0 ? countingTaskIds(taskIds[i - 1]!, id) : undefined);
    if (why === undefined) continue;
    rec.fail('tasks.id-unguessable', `${tool}'s task id ${JSON.stringify(id)} can be guessed: ${why}. Any client that names a task id may read or cancel it`, i === 0 ? exchange : { taskIds }, 'modern');
    return;
  }
  const others = taskIds.length > 1 ? `, nor do ${taskIds.length} of its ids side by side` : '';
  rec.pass('tasks.id-unguessable', `${tool}'s task id ${shown(taskIds[0]!)} shows no counter or clock and has ${taskIds[0]!.length} characters${others}`, 'modern');
}
