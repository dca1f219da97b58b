/**
 * The calls a Streamable HTTP server still runs when it shuts down without a durable record
 * of them (no `recoverInflight`): none is re-run after a restart, and the session goes with
 * the process. Cutting such a call's SSE stream (as a durable server does, for the client to
 * resume with Last-Event-ID once it is back) sent the client resuming, after the `retry`
 * delay, to a server that would no longer know it. Each such call gets its end instead: a
 * JSON-RPC error response on its stream, which then closes (2025-11-25 basic/transports: a
 * POST's SSE stream SHOULD end once it has carried the response; the client is told why).
 */
import { ErrorCode } from '../../protocol/index.ts';
import { makeErrorResponse } from '../../protocol/jsonrpc.ts';
import type { ServerStream } from './server-stream.ts';
import type { SessionEnd } from './server-session-shared.ts';

/** What a call cut by the shutdown is told. */
export const SHUTDOWN_MESSAGE = 'the server is shutting down: this call was stopped and is not resumed (the server keeps no record of calls across restarts); call again once it is back';

/**
 * What a call cut by its session's end (a DELETE) is told. The ended session's streams are
 * not resumable (a resume gets 404), durable store or not, so the call gets its end too.
 */
export const SESSION_ENDED_MESSAGE = 'the session ended (DELETE) before this call was answered: the call was stopped and is not resumed';

/**
 * Answer every request still owed on an SSE stream of `streams` with an error (`message`,
 * by default the shutdown's; code -32603).
 * Waits for them to be stored and written (the memory store does it at once), but not for
 * a slow client to read them: at most one turn of the event loop.
 */
export async function endOwedCalls(streams: Iterable<ServerStream>, message = SHUTDOWN_MESSAGE): Promise<void> {
  const runs: Array<Promise<void>> = [];
  for (const stream of streams) {
    if (!stream.pending || stream.finished || !stream.startId) continue; // a JSON reply gets its 503 (owedReply)
    for (const id of stream.pending.keys()) {
      const run = stream.writeNow(makeErrorResponse(id, { code: ErrorCode.InternalError, message }));
      if (run) runs.push(run.catch(() => undefined));
    }
  }
  if (runs.length === 0) return;
  await Promise.race([Promise.all(runs), new Promise((resolve) => setTimeout(resolve, 0))]);
}

/**
 * At a session's close, its SSE calls still owed: a shutdown with a durable record cuts the
 * streams, for a resume after the restart; any other shutdown, and an ended session (never
 * resumed: its resume gets 404), give each call its end.
 */
export function endOwedAtClose(streams: Iterable<ServerStream>, why: SessionEnd, recoverInflight: boolean): Promise<void> | undefined {
  if (why === 'ended') return endOwedCalls(streams, SESSION_ENDED_MESSAGE);
  return recoverInflight ? undefined : endOwedCalls(streams);
}
