/**
 * Resumes of streams a session does not carry live (2025-11-25 basic/transports:
 * resumability and redelivery): a finished or pre-restart stream replayed from the store,
 * or, with a store shared by several instances, a stream another instance runs, followed
 * live. Also how a failed resume maps to a status.
 */
import type { SessionEventStore } from '../event-store/index.ts';
import { encodeSseMessage } from '../sse/index.ts';
import { sseReply, type ServerReply } from './exchange.ts';
import { errorReply } from './server-guards.ts';
import type { SseConnection } from './sse-connection.ts';

/** The stream token part of an event id (`<token>.<seq>`). */
export function tokenOf(eventId: string): string {
  return eventId.slice(0, eventId.indexOf('.'));
}

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
  const { done } = await store.follow!(lastEventId, async (id, message) => {
    conn.send(encodeSseMessage(message, id));
    await conn.writable();
  }, {
    expectedSessionId: options.sessionId,
    stop: () => conn.closed || options.ended(),
    onQuiet: () => options.onQuiet?.(),
  });
  done.then(() => conn.end(), (error: Error) => {
    options.onError(error);
    conn.end();
  });
  return sseReply(conn);
}
