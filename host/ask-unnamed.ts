/**
 * A server's question that names no call: over stdio (2025-11-25 basic/transports) a server's
 * request carries nothing that ties it to the call it is for, and with two calls running on
 * that server the host cannot tell which one asks (over Streamable HTTP it comes on the call's
 * own stream). It does not guess: the question names every call it may be for, and each of
 * their live lines says so while it is on screen, so the person can tell from what the
 * question asks (a destination, a topic) which call waits on it.
 */
import type { CallOutput, HostCall, QuestionKind } from './calls.ts';
import type { Connection } from './connection-types.ts';

/** The calls running on `conn` that a question naming none may be for (none when it names one). */
export function mayBeFor(output: CallOutput, conn: Connection, call: HostCall | undefined): HostCall[] {
  return call ? [] : output.calls.filter((c) => c.conn === conn && c.status === 'running');
}

/**
 * A question's header after its symbol: `#2 travel_agent asks` (`asks` being `verb`), or
 * `agents asks, for #1 travel_agent or #2 research_agent (...)` when it may be for several.
 */
export function askerText(output: CallOutput, conn: Connection, call: HostCall | undefined, verb: string): string {
  if (call) return `${output.label(call)} ${verb}`;
  const candidates = mayBeFor(output, conn, undefined).map((c) => output.label(c));
  if (candidates.length < 2) return `${conn.name} ${verb}`;
  const named = `${candidates.slice(0, -1).join(', ')} or ${candidates.at(-1)!}`;
  return `${conn.name} ${verb}, for ${named} (a stdio server's question does not say which call it is for)`;
}

/** Mark `calls` as maybe asked a `kind` now (their live lines say so); the returned function unmarks them. */
export function markMayBeAsked(calls: readonly HostCall[], kind: QuestionKind): () => void {
  if (calls.length < 2) return () => undefined;
  for (const c of calls) c.mayBeAsked = kind;
  return () => { for (const c of calls) if (c.mayBeAsked === kind) c.mayBeAsked = undefined; };
}
