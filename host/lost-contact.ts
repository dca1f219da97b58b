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
 * `lost contact with NAME (REASON); ...` true for each call in flight: how many are kept (or,
 * under `--exec`, resume only if the server is back soon), and which had no answer yet.
 */
export function lostContactNotice(name: string, reason: string | undefined, calls: Iterable<CallInFlight>, keepsCalls: boolean): string {
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
    parts.push(`${one ? `${names} had` : `${unanswered.length} calls (${names}) had`} no answer yet, so there is nothing of ${one ? 'it' : 'them'} to resume: see ${one ? 'its line' : 'their lines'} below`);
  }
  return `lost contact with ${name} (${reason ?? 'no answer'})${parts.length > 0 ? `; ${parts.join('; ')}` : ''}`;
}
