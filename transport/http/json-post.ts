/**
 * A POST of requests answered with one JSON body (2025-11-25 basic/transports: the server
 * may answer a POST with application/json), as its session waits for it: the promise of that
 * body, with the session's headers on it. Tracked like an SSE stream, so a restart re-runs its
 * requests and, once the reply has turned to SSE, its event ids resume it live. Without restart
 * recovery a reply that stays JSON needs neither: it is tracked only when it turns. With it, a
 * call still recorded in flight is recorded as answered before its JSON reply goes
 * (server-recovery.ts: the reply is not in the history, and a kill -9 may come before the save).
 */
import type { ServerReply } from './exchange.ts';
import type { ServerStream } from './server-stream.ts';

/**
 * The JSON reply `stream` owes. `answered`: with restart recovery, what the reply passes
 * through before it goes; else `onSse` tracks the stream once the reply turns to SSE.
 */
export function awaitJsonReply(
  stream: ServerStream, batch: boolean, headers: Record<string, string> | undefined,
  answered: ((reply: ServerReply) => ServerReply | Promise<ServerReply>) | undefined, onSse: () => void,
): Promise<ServerReply> {
  const pending = new Promise<ServerReply>((resolve) => stream.replyWithJson(answered
    ? { responses: [], batch, resolve: (reply) => resolve(answered(reply)) }
    : { responses: [], batch, resolve, onSse }));
  // A call in a session adds no header: no `then` (a promise and a microtask per JSON call).
  if (headers === undefined) return pending;
  return pending.then((reply) => {
    Object.assign(reply.headers, headers);
    return reply;
  });
}
