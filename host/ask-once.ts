/**
 * Asking the person once per question of a call (asks.ts): a restarted server runs the call
 * again and asks the same again (2025-11-25 basic/transports), and neither the copy that comes
 * while the first still waits nor one that comes after the answer is put to the person twice.
 */
import type { CreateMessageParams, ElicitParams } from 'mcpwire/protocol';
import type { HostCall } from './calls.ts';
import type { Connection } from './connection.ts';
import type { CallHistory, CallRecord } from './history.ts';

/** Set once per process: an answer given in another run is always from another connection epoch. */
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/**
 * Which connection a question arrived in: a new run, a re-established stream (the server
 * restarted, the connection dropped) or a new session each start a new epoch.
 */
const epochOf = (conn: Connection) => `${RUN}:${conn.reconnects}:${conn.sessionId ?? ''}`;

/** A question as a stable text: the same question of the same call gets the same key. */
export function questionKey(kind: 'elicit' | 'sample', params: ElicitParams | CreateMessageParams): string {
  if (kind === 'sample') {
    const p = params as CreateMessageParams;
    return JSON.stringify(['sample', p.systemPrompt ?? null, p.messages, p.maxTokens, p.tools ?? null]);
  }
  const p = params as ElicitParams;
  return JSON.stringify(p.mode === 'url' ? ['url', p.message, p.url] : ['form', p.message, p.requestedSchema]);
}

/**
 * Ask `ask` once per question `key` of a call; `onRepeat` says so when a copy is answered
 * without asking (`waiting`: it shares the answer still being typed; else `earlier` is the
 * answer on record).
 */
export type AskOnce = <T>(conn: Connection, call: HostCall | undefined, key: string,
  onRepeat: (earlier: T, waiting: boolean) => void, ask: () => Promise<T>) => Promise<T>;

/**
 * A copy that comes while the first still waits shares its answer; a copy that comes in a
 * later connection epoch gets the answer on record (history.ts, across host restarts too).
 * Anything else is asked, and the answer recorded before it is sent.
 */
export function createAskOnce(history: CallHistory, recordOf: (call: HostCall) => CallRecord | undefined): AskOnce {
  /** Per call: questions being asked now (by key), and the answer they will get. */
  const open = new Map<HostCall, Map<string, Promise<unknown>>>();
  return async function once<T>(conn: Connection, call: HostCall | undefined, key: string, onRepeat: (earlier: T, waiting: boolean) => void, ask: () => Promise<T>): Promise<T> {
    const record = call ? recordOf(call) : undefined;
    const waiting = call ? open.get(call)?.get(key) as Promise<T> | undefined : undefined;
    if (waiting) {
      onRepeat(undefined as T, true);
      return waiting;
    }
    if (record) {
      const earlier = history.answerFor(record, key, epochOf(conn)) as T | undefined;
      if (earlier !== undefined) {
        onRepeat(earlier, false);
        return earlier;
      }
    }
    // The answer belongs to the epoch the question came in, not the one it was typed in: the
    // streams may be resumed (a new epoch) while the person reads, and the restarted server's
    // repeat, arriving after the answer, must find it on record.
    const askedIn = epochOf(conn);
    const asking = ask().then(async (answer) => {
      if (record) {
        history.remember(record, key, answer, askedIn);
        // On disk before it is sent: a host killed -9 once the server has it finds it on record
        // after its restart, and the re-run's question is not put to the person again.
        await history.flush();
      }
      return answer;
    });
    if (!call) return asking;
    const mine = open.get(call) ?? new Map<string, Promise<unknown>>();
    open.set(call, mine);
    mine.set(key, asking);
    try {
      return await asking;
    } finally {
      if (mine.get(key) === asking) mine.delete(key);
    }
  };
}
