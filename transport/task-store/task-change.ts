/**
 * How every TaskStore applies a {@link TaskChange} to a record: plain fields replace, and
 * questions and answers merge, so that two instances changing one task (the one running it
 * adds a question, another records the client's answer) never undo each other's change.
 */
import { isAnswered, type TaskChange, type TaskInputRequest, type TaskRecord } from './types.ts';

/**
 * `record` after `change`, stamped `now`, or its own stamp when that is later: a wall clock
 * stepped back (NTP, a VM restored) made a task updated before it was created.
 */
export function applyTaskChange(record: TaskRecord, change: TaskChange, now: number): TaskRecord {
  const { ask, answer, ...plain } = change;
  const next: Record<string, unknown> = { ...record, lastUpdatedAt: Math.max(now, record.lastUpdatedAt), ...plain };
  if (next.statusMessage === undefined) delete next.statusMessage;
  if (next.notStarted === undefined) delete next.notStarted;
  if (ask === undefined && answer === undefined) return next as unknown as TaskRecord;
  const inputs = [...(plain.inputs ?? record.inputs)];
  const waiting: Record<string, TaskInputRequest> = { ...record.inputRequests };
  // A question answered already (a re-run asking again while its answer came in) waits no more.
  for (const [key, question] of Object.entries(ask ?? {})) if (!isAnswered(inputs[question.index])) waiting[key] = question;
  for (const [key, value] of Object.entries(answer ?? {})) {
    const question = waiting[key];
    if (question === undefined) continue; // not waiting (any more): the first answer was kept
    delete waiting[key];
    if (isAnswered(inputs[question.index])) continue;
    while (inputs.length < question.index) inputs.push(null);
    inputs[question.index] = value;
  }
  next.inputs = inputs;
  if (Object.keys(waiting).length > 0) next.inputRequests = waiting;
  else delete next.inputRequests;
  return next as unknown as TaskRecord;
}
