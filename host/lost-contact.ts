/**
 * What the host says when an HTTP server stops answering while calls wait on it. Only a call
 * the server had begun to answer can be resumed (2025-11-25 basic/transports, resumability:
 * a stream is resumed from the last event id received); a call cut before its first event,
 * or a 2026-07-28 call (no sessions, no event ids), has nothing to resume from, and the line
 * must not promise otherwise: what happens to such a call is said on its own line (it is sent
 * again where that cannot do a thing twice, else it fails saying how to run it again).
 */

/** A call waiting on the server when contact was lost. */
export interface CallInFlight {
  /** The tool's name, to name a call that cannot be kept. */
  readonly tool: string;
  /** Whether it can be resumed now: on record with a position (an event of it arrived). */
  kept(): boolean;
}

/**
 * What is true of each call in flight: how many are kept (or, under `--exec`, resume only if
 * the server is back soon), and which had no answer yet. `seeLines` points at the calls' own
 * lines, where the notice is printed above them.
 */
function callParts(calls: Iterable<CallInFlight>, keepsCalls: boolean, seeLines: boolean): string[] {
  let kept = 0;
  const unanswered: string[] = [];
  for (const call of calls) {
    if (call.kept()) kept++;
    else unanswered.push(call.tool);
  }
  const parts: string[] = [];
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
