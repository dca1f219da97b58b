/**
 * What the host says when a server is lost while calls wait on it: an HTTP server that stops
 * answering, a stdio server whose process exited and was started again. Only a call
 * the server had begun to answer can be resumed (2025-11-25 basic/transports, resumability:
 * a stream is resumed from the last event id received); a call cut before its first event,
 * or a 2026-07-28 call (no sessions, no event ids), has nothing to resume from, and the line
 * must not promise otherwise: what happens to such a call is said on its own line (it is sent
 * again where that cannot do a thing twice, else it fails saying how to run it again).
 */

import type { FailureKind } from './explain.ts';

/** A call waiting on the server when contact was lost. */
export interface CallInFlight {
  /** The tool's name, to name a call that cannot be kept. */
  readonly tool: string;
  /** Whether it can be resumed now: on record with a position (an event of it arrived). */
  kept(): boolean;
  /** A plan step's attempt: the plan, not the person, runs the step again (plan-step.ts). */
  readonly byPlan?: boolean;
  /** Whether its plan moves it to another server if this one stays down: then it is not kept. */
  moves?(): boolean;
}

/**
 * What is true of each call in flight: how many are kept (or, under `--exec`, resume only if
 * the server is back soon), and which had no answer yet. `seeLines` points at the calls' own
 * lines, where the notice is printed above them.
 */
function callParts(calls: Iterable<CallInFlight>, keepsCalls: boolean, seeLines: boolean): string[] {
  let kept = 0;
  const unanswered: string[] = [];
  // A plan step with somewhere to go is not kept: the plan ends it and redirects it (it said
  // "kept and resumes", then the step was ended and moved: hostwalk18's walk).
  const moving: string[] = [];
  for (const call of calls) {
    if (call.moves?.()) moving.push(call.tool);
    else if (call.kept()) kept++;
    else unanswered.push(call.tool);
  }
  const parts: string[] = [];
  if (moving.length > 0) {
    const names = [...new Set(moving)].join(', ');
    parts.push(moving.length === 1 ? `its plan moves ${names} to another server if it does not answer` : `their plans move ${moving.length} steps (${names}) to other servers if it does not answer`);
  }
  if (kept > 0) {
    const one = kept === 1;
    parts.push(!keepsCalls
      ? `${one ? 'the call resumes' : `${kept} calls resume`} if it is back soon (--reconnect-attempts), else ${one ? 'it fails' : 'they fail'}`
      : `${one ? '1 call is' : `${kept} calls are`} kept and ${one ? 'resumes' : 'resume'} when it is back`);
  }
  if (unanswered.length > 0) {
    const names = [...new Set(unanswered)].join(', ');
    const one = unanswered.length === 1;
    parts.push(`${one ? `${names} had` : `${unanswered.length} calls (${names}) had`} no answer yet, so there is nothing of ${one ? 'it' : 'them'} to resume${seeLines ? `: see ${one ? 'its line' : 'their lines'} below` : ''}`);
  }
  return parts;
}

/** `lost contact with NAME (REASON); ...` true for each call in flight, printed when contact is lost. */
export function lostContactNotice(name: string, reason: string | undefined, calls: Iterable<CallInFlight>, keepsCalls: boolean): string {
  const parts = callParts(calls, keepsCalls, true);
  return `lost contact with ${name} (${reason ?? 'no answer'})${parts.length > 0 ? `; ${parts.join('; ')}` : ''}`;
}

/**
 * The server's state while contact is lost, as `status` and `servers` say it: true for each
 * call waiting on it now (it said "calls resume when it is back" for the server as a whole,
 * kept call or not: hostwalk15's leftover).
 */
export function lostContactState(reason: string, calls: Iterable<CallInFlight>, keepsCalls: boolean): string {
  const parts = callParts(calls, keepsCalls, false);
  return `lost contact (${reason})${parts.length > 0 ? `; ${parts.join('; ')}` : ''}`;
}

/**
 * `NAME restarted; ...` once the host has started a stdio server again after its process
 * exited: what became of the calls it was running (2025-11-25 basic/transports: a stdio call
 * dies with its process, nothing resumes it). A plan step's call is its plan's to run again,
 * not the person's (it said "run them again" of those too: hostwalk15's leftover).
 */
export function restartedNotice(name: string, lost: readonly CallInFlight[]): string {
  if (lost.length === 0) return `${name} restarted`;
  const names = [...new Set(lost.map((c) => c.tool))].join(', ');
  const one = lost.length === 1;
  const byPlan = lost.filter((c) => c.byPlan === true).length;
  const what = one ? `the call it was running (${names}) was lost (stdio cannot resume it)` : `the ${lost.length} calls it was running (${names}) were lost (stdio cannot resume them)`;
  const next = byPlan === lost.length
    ? (one ? 'its plan runs the step again where it can' : 'their plans run the steps again where they can')
    : byPlan === 0 ? (one ? 'run it again' : 'run them again')
      : 'run again those not in a plan (their lines above say how); the plans run their steps again where they can';
  return `${name} restarted; ${what}: ${next}`;
}

/**
 * Whether a call that failed with a failure of `kind` stays on record to resume: only when the
 * server had it (`resumable`: an event arrived; a POST that never got through left nothing to
 * resume), and it failed by losing contact, or by a close that keeps the session (`closing`).
 */
export function keptAfter(kind: FailureKind, resumable: boolean, closing: boolean | undefined): boolean {
  if (!resumable) return false;
  if (kind === 'closed') return closing === true;
  return kind === 'unreachable';
}
