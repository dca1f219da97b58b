/**
 * Progress of a 2026-07-28 task, carried in its status message. The tasks extension sends no
 * progress notifications for tasks (SEP-2663: status only, through `tasks/get` and
 * `notifications/tasks`), so mcpwire's server writes a task handler's progress into the
 * task's `statusMessage` as `[progress/total] message` (`[progress] message` without a total),
 * readable as it stands, and mcpwire's client reads it back into a {@link Progress}.
 */
import type { Progress } from './progress.ts';

/** `[3/10] Quoted a trip`: the status message that carries progress 3 of 10. */
export function progressStatusMessage(progress: number, total?: number, message?: string): string {
  const step = total === undefined ? `[${progress}]` : `[${progress}/${total}]`;
  return message === undefined || message === '' ? step : `${step} ${message}`;
}

const STEP = /^\[(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?\](?: (.*))?$/s;

/** The progress a status message written by {@link progressStatusMessage} carries, if it is one. */
export function progressOfStatus(statusMessage: string | undefined): Progress | undefined {
  const match = statusMessage === undefined ? null : STEP.exec(statusMessage);
  if (!match) return undefined;
  const progress: Progress = { progress: Number(match[1]) };
  if (match[2] !== undefined) progress.total = Number(match[2]);
  if (match[3] !== undefined) progress.message = match[3];
  return progress;
}
