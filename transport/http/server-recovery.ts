/**
 * Restart recovery: a session a previous process saved comes back with its application
 * state, and the requests it had in flight are re-run on streams that keep their tokens,
 * so clients resume them with the event ids they hold (2025-11-25 basic/transports:
 * resumability and redelivery).
 */
import type { JsonRpcMessage } from '../../protocol/index.ts';
import type { EventStore } from '../event-store/index.ts';
import type { HttpSession } from './server-session.ts';
import type { SessionRecord } from './server-session-record.ts';

/**
 * Re-run the requests `record` lists as in flight. A stream whose history cannot be read
 * is still re-run (the client gets its result), reported through `onError`: its client
 * may then see events of the first run again.
 */
export async function recoverInflight(session: HttpSession, record: SessionRecord, store: EventStore, onError: (error: Error) => void): Promise<void> {
  for (const inflight of record.inflight) {
    let history: JsonRpcMessage[] | undefined = [];
    try {
      await store.replayAfter(`${inflight.token}.0`, (_id, m) => { history!.push(m); }, session.id);
    } catch (error) {
      history = undefined;
      onError(new Error(`history of stream ${inflight.streamId} of session ${session.id} could not be read; re-running its requests anyway: ${(error as Error).message}`, { cause: error }));
    }
    await session.resumeInflight(inflight, history);
  }
}
