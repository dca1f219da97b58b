/**
 * The `history` command (alias `results`): past calls of every run, from the durable record
 * (history.ts), newest last, and one call in full with its result.
 */
import type { CallRecord } from './history.ts';
import { elapsedText } from './progress-view.ts';
import { argsText, IDEMPOTENCY_ARG } from './call-args.ts';
import { renderResult } from './render.ts';
import { shortTaskId, taskFacts } from './task-view.ts';

/** Calls listed when no number is given (the newest). */
export const HISTORY_LIST_LIMIT = 30;


/** When, as a person reads it: the local date and time to the minute. */
function when(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The first line of a result's text, to list it in one line. */
function gist(record: CallRecord): string {
  if (record.error) return record.error;
  const text = record.result?.content.find((b) => b.type === 'text');
  const first = text?.type === 'text' ? text.text.split('\n').find((l) => l.trim() !== '') ?? '' : '';
  return first.length > 80 ? `${first.slice(0, 80)}…` : first;
}

/**
 * A task's facts as last seen: `task 3fa9c1d2… input_required · waits for ...`; the status
 * only while the call is open (once it ended, the call's own status says how).
 */
function taskLabel(record: CallRecord): string {
  const task = record.task!;
  return record.status === 'running' || record.status === 'kept' ? taskFacts(task).join(' · ') : `task ${shortTaskId(task.id)}`;
}

/** One line per call, newest last. */
export function historyList(records: readonly CallRecord[], limit = HISTORY_LIST_LIMIT): string {
  if (records.length === 0) return 'No calls on record yet.';
  const shown = records.slice(-limit);
  const lines = shown.map((r) => {
    const took = r.endedAt !== undefined ? ` in ${elapsedText(r.endedAt - r.startedAt)}` : '';
    const said = gist(r);
    const task = r.task ? ` · ${taskLabel(r)}` : '';
    return `  #${r.n} ${r.tool}@${r.serverName} · ${r.status}${took}${task} · ${when(r.startedAt)}${said ? ` · ${said}` : ''}`;
  });
  const more = records.length > shown.length ? `(${records.length - shown.length} older not shown) ` : '';
  return `Calls on record ${more}(newest last; "history N" shows one):\n${lines.join('\n')}`;
}

/**
 * One call in full: what was asked, the answers given, how it ended and its whole result.
 * `verbose` (the host's `--verbose`) adds the idempotency key the call was sent with: a person
 * never typed it and does not need it (it showed among the arguments), one debugging a repeat
 * does.
 */
export function historyEntry(record: CallRecord, options: { verbose?: boolean } = {}): string {
  const lines = [`#${record.n} ${record.tool}${argsText(record.args)} on ${record.serverName}`];
  const ended = record.endedAt !== undefined ? `, ended ${when(record.endedAt)} (${elapsedText(record.endedAt - record.startedAt)})` : '';
  lines.push(`  ${record.status} · started ${when(record.startedAt)}${ended}`);
  const key = record.args[IDEMPOTENCY_ARG];
  if (options.verbose && typeof key === 'string') lines.push(`  idempotency key ${key} (a repeat sent with it returns this call's first result)`);
  if (record.task) lines.push(`  ${taskLabel(record)}${record.task.checkedAt !== undefined ? ` (as of ${when(record.task.checkedAt)})` : ''}`);
  if (record.answers.length > 0) lines.push(`  ${record.answers.length} answer${record.answers.length === 1 ? '' : 's'} given to its questions`);
  if (record.error) lines.push(`  ${record.error}`);
  if (record.result) {
    lines.push(renderResult(record.result));
    if (record.truncated) lines.push('  (the result was larger than the history keeps; this is its text, cut)');
  } else if (record.status === 'running' || record.status === 'kept') {
    lines.push(`  no result yet: type "resume ${record.n}"`);
  }
  return lines.join('\n');
}
