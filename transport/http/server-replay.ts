/**
 * Resumes of streams a session does not carry live (2025-11-25 basic/transports:
 * resumability and redelivery): a finished or pre-restart stream replayed from the store,
 * or, with a store shared by several instances, a stream another instance runs, followed
 * live. Also how a failed resume maps to a status, and the whole GET-with-Last-Event-ID answer
 * ({@link resumeStream}).
 */
import type { SessionEventStore } from '../event-store/index.ts';
import { encodeSseMessage } from '../sse/index.ts';
import { emptyReply, sseReply, type ServerReply } from './exchange.ts';
import { errorReply } from './server-guards.ts';
import type { SseConnection } from './sse-connection.ts';
import type { ServerStream } from './server-stream.ts';

/** Map a failed resume to a status: malformed or foreign ids 400, lost history 410. */
export function resumeFailure(error: unknown): ServerReply {
  const reason = (error as { reason?: string }).reason;
  const message = error instanceof Error ? error.message : String(error);
  if (reason === 'evicted') return errorReply(410, `Gone: ${message}`);
  if (reason === 'malformed' || reason === 'unknown' || reason === 'wrong-session') return errorReply(400, `Bad Request: ${message}`);
  return errorReply(500, `Internal error while resuming: ${message}`, -32603);
}

/** Replay what followed `lastEventId` on `conn`, then end it; resolves with how many events were sent. */
export async function replayFinished(store: SessionEventStore, lastEventId: string, conn: SseConnection, sessionId: string): Promise<number> {
  let replayed = 0;
  await store.replayAfter(lastEventId, async (id, message) => {
    replayed++;
    conn.send(encodeSseMessage(message, id));
    await conn.writable();
  }, sessionId);
  conn.end();
  return replayed;
}

export interface FollowSharedOptions {
  sessionId: string;
  /** True once the session ended: stop following. */
  ended(): boolean;
  /** The stream is quiet: a chance to take over calls of dead instances. */
  onQuiet?(): Promise<void> | void;
  onError(error: Error): void;
}

/**
 * Resume a stream this instance does not run, from a store shared by several instances:
 * its history, then live what the instance running it appends, until it ends (or the
 * client goes).
 */
export async function followShared(store: SessionEventStore, lastEventId: string, conn: SseConnection, options: FollowSharedOptions): Promise<ServerReply> {
  let sent = 0;
  const { done, ended } = await store.follow!(lastEventId, async (id, message) => {
    sent++;
    conn.send(encodeSseMessage(message, id));
    await conn.writable();
  }, {
    expectedSessionId: options.sessionId,
    stop: () => conn.closed || options.ended(),
    onQuiet: () => options.onQuiet?.(),
  });
  // Ended before the resume with nothing after the id: 204, as from a store without `follow`
  // (resumeStream). A stream still running that later ends with nothing has sent its headers.
  if (ended && sent === 0) {
    conn.end();
    return emptyReply(204);
  }
  done.then(() => conn.end(), (error: Error) => {
    options.onError(error);
    conn.end();
  });
  return sseReply(conn);
}

/**
 * A GET with `Last-Event-ID`: resume `live` (a stream this instance carries) on `conn`, else
 * follow the stream another instance carries (shared store), else replay a finished one.
 */
export async function resumeStream(lastEventId: string, conn: SseConnection, live: ServerStream | undefined, options: FollowSharedOptions & { store: SessionEventStore }): Promise<ServerReply> {
  let replayed = 0;
  try {
    if (live) await live.resume(lastEventId, conn);
    else if (options.store.follow) return await followShared(options.store, lastEventId, conn, options);
    else replayed = await replayFinished(options.store, lastEventId, conn, options.sessionId); // finished, or from before a restart
  } catch (error) {
    conn.end();
    return resumeFailure(error);
  }
  // A finished stream with nothing after the client's id (a cancelled request's, say) has
  // nothing more to send: 204 rather than an empty event stream, which clients take for a
  // dropped connection and reopen, again and again (issue #10 item 11).
  if (!live && replayed === 0) return emptyReply(204);
  return sseReply(conn);
}
