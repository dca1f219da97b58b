/**
 * Restart recovery: a session a previous process saved comes back with its application
 * state, and the requests it had in flight are re-run on streams that keep their tokens,
 * so clients resume them with the event ids they hold (2025-11-25 basic/transports:
 * resumability and redelivery). Saved records are read back with checks, not casts: a
 * damaged or foreign record restores what it can. Also, in a store shared by instances, the
 * answers meant for another instance's requests are relayed to it, and the client's
 * notifications/initialized to all. Loaded on first use (server-lazy.ts).
 */
import { ErrorCode, type JsonRpcMessage, type JsonRpcRequest, type RequestId } from '../../protocol/index.ts';
import { isObject, isRequestId } from '../../protocol/jsonrpc.ts';
import type { EventStore, SessionEventStore, SessionRelay, SessionStateStore, StreamKey } from '../event-store/index.ts';
import { ResumeError } from '../event-store/resume-error.ts';
import type { ServerReply } from './exchange.ts';
import { cancelledRequestId } from './server-cancel.ts';
import type { StreamSettings } from './server-stream-options.ts';
import type { HttpSession } from './server-session.ts';
import { highestRequestId, REQUEST_EPOCH_IDS, type InflightRecord, type RecordedInput, type SessionRecord } from './server-session-record.ts';
import { readPrincipal } from './session-principal.ts';

const isId = (v: unknown): v is RequestId => typeof v === 'string' || typeof v === 'number';

function readInput(v: unknown): RecordedInput | undefined {
  if (!isObject(v) || !isId(v.call) || !isId(v.id) || typeof v.method !== 'string') return undefined;
  const input: RecordedInput = { call: v.call, id: v.id, method: v.method, params: v.params };
  const a = v.answer;
  if (isObject(a) && 'result' in a) input.answer = { result: a.result };
  else if (isObject(a) && 'error' in a) input.answer = { error: a.error };
  return input;
}

function readInflight(v: unknown): InflightRecord | undefined {
  if (!isObject(v) || typeof v.streamId !== 'string' || typeof v.token !== 'string' || !Array.isArray(v.requests)) return undefined;
  const requests = v.requests.filter((r): r is JsonRpcRequest => isObject(r) && isId(r.id) && typeof r.method === 'string');
  if (requests.length === 0) return undefined;
  const record: InflightRecord = { streamId: v.streamId, token: v.token, requests };
  if (Array.isArray(v.inputs)) {
    const inputs = v.inputs.map(readInput).filter((i): i is RecordedInput => i !== undefined);
    if (inputs.length > 0) record.inputs = inputs;
  }
  return record;
}

/** Read a session's saved metadata; parts that do not have the expected shape are left out. */
export function readSessionRecord(meta: Record<string, unknown>): SessionRecord {
  const record: SessionRecord = {
    app: isObject(meta.app) ? meta.app : undefined,
    protocolVersion: typeof meta.protocolVersion === 'string' ? meta.protocolVersion : undefined,
    inflight: Array.isArray(meta.inflight) ? meta.inflight.map(readInflight).filter((r): r is InflightRecord => r !== undefined) : [],
  };
  // A record that names a principal but cannot be read must not restore as unbound: the
  // session then refuses everyone (an unreadable binding is not an open door).
  if (meta.principal !== undefined && meta.principal !== null) record.principal = readPrincipal(meta.principal) ?? { issuer: '', subject: '' };
  const last = highestRequestId({ inflight: record.inflight, lastRequestId: Number.isSafeInteger(meta.lastRequestId) ? meta.lastRequestId as number : undefined });
  if (last !== undefined) record.lastRequestId = last;
  if (Number.isSafeInteger(meta.requestEpoch) && (meta.requestEpoch as number) > 0) record.requestEpoch = meta.requestEpoch as number;
  return record;
}

/**
 * The first id of a session's server-to-client requests when a store shared by instances
 * brings it here: past any an earlier process could have used (2025-11-25 basic: an id MUST
 * NOT be reused in a session). The clock gives room for requests no record holds; the
 * record's highest id holds if the clock stepped back. A restart uses {@link startRequestEpoch}.
 */
export function restoredFirstRequestId(record: SessionRecord, now: number): number {
  return Math.max(now * 1000, (record.lastRequestId ?? 0) + 1);
}

/**
 * A restart takes the session back: its record's `requestEpoch` is counted up and saved before
 * the session sends anything, and its server-to-client request ids start at that epoch's
 * (2025-11-25 basic: an id MUST NOT be reused in a session). Without the clock: requests no
 * record holds (a ping, roots/list on the standalone stream) got ids from `Date.now`, and a
 * clock stepped back, or two restarts in one millisecond, gave them out again. A save the
 * store refuses is reported and the epoch still used: the session's next save keeps it.
 */
export async function startRequestEpoch(store: SessionStateStore, sessionId: string, meta: Record<string, unknown>, record: SessionRecord, onError: (error: Error) => void): Promise<number> {
  // Past the highest recorded id too (ids an older version took from the clock).
  const epoch = Math.max(record.requestEpoch ?? 0, Math.floor((record.lastRequestId ?? 0) / REQUEST_EPOCH_IDS)) + 1;
  record.requestEpoch = epoch;
  try {
    await store.saveSession(sessionId, { ...meta, requestEpoch: epoch });
  } catch (error) {
    onError(new Error(`the restart count of session ${sessionId} could not be saved; a second restart before its next save may give its server-to-client requests ids this process used: ${(error as Error).message}`, { cause: error }));
  }
  return epoch * REQUEST_EPOCH_IDS;
}

/** What {@link restoreSessions} needs of the handler that restores (server.ts `restore`). */
export interface RestoreHooks {
  /** Sessions already here (made since the start): not restored again. */
  sessions: ReadonlyMap<string, HttpSession>;
  newSession(id: string, record: SessionRecord): HttpSession;
  attach(session: HttpSession, app: Record<string, unknown> | undefined, firstRequestId: number): Promise<void>;
  report(error: Error, sessionId: string): void;
  /** Re-run the calls each session had in flight ({@link recoverInflight}). */
  recoverInflight: boolean;
}

/** Every session `store` saved, taken back at a restart; resolves with how many. */
export async function restoreSessions(store: SessionEventStore, hooks: RestoreHooks): Promise<number> {
  let count = 0;
  for (const { sessionId, meta } of await store.loadSessions()) {
    if (hooks.sessions.has(sessionId)) continue;
    const record = readSessionRecord(meta);
    const onError = (e: Error) => hooks.report(e, sessionId);
    // Ids of the restored session start past any id an earlier process could have used.
    const firstRequestId = await startRequestEpoch(store, sessionId, meta, record, onError);
    const session = hooks.newSession(sessionId, record);
    await hooks.attach(session, record.app, firstRequestId);
    if (hooks.recoverInflight) await recoverInflight(session, record, store, onError);
    count++;
  }
  return count;
}

/**
 * Re-run the requests `record` lists as in flight. A stream whose history cannot be read
 * is still re-run (the client gets its result), reported through `onError`: its client
 * may then see events of the first run again. A request whose response (or the error that
 * replaced it, server-stream.ts) is in the history ended before the process did, though its
 * end was not saved (a crash just after, a full disk): it is not run again, and a client
 * resuming its stream gets the history and the stream's end (server-replay.ts).
 */
export async function recoverInflight(session: HttpSession, record: SessionRecord, store: EventStore, onError: (error: Error) => void): Promise<void> {
  for (const inflight of record.inflight) {
    let history: JsonRpcMessage[] | undefined = [];
    try {
      // Opened for the re-run first: a store that found the stream's last event damaged then
      // serves the history before it, and the re-run's event takes its place (a client that
      // had not read it resumes without a gap: 2025-11-25 basic/transports, resumability).
      await store.openStream({ sessionId: session.id, streamId: inflight.streamId }, { rerun: true });
      await store.replayAfter(`${inflight.token}.0`, (_id, m) => { history!.push(m); }, session.id);
    } catch (error) {
      history = undefined;
      onError(new Error(`history of stream ${inflight.streamId} of session ${session.id} could not be read from its start; its requests without a response after that are run again: ${(error as Error).message}`, { cause: error }));
    }
    // A history refused for damage in its middle may still hold responses after the damage (a
    // call that ended just before a kill -9 whose record still lists it): such a call is not
    // run again (its tool ran; the client would get two responses).
    const readable = history ?? await historyAfterGap(store, inflight.token, session.id);
    const answered = new Set(readable.filter((m) => isObject(m) && !('method' in m) && isId(m.id)).map((m) => (m as { id: RequestId }).id));
    const requests = inflight.requests.filter((r) => !answered.has(r.id));
    if (requests.length > 0) await session.resumeInflight(requests.length === inflight.requests.length ? inflight : { ...inflight, requests }, history);
  }
}

/**
 * The events of the stream `token` after a gap its store refuses to replay across (410): the
 * first seq it replays after is found by doubling, then halving (a store refuses below its
 * gap, replays from it on, and refuses a seq past the end as unknown or as a lost tail).
 * Empty when none can be read.
 */
async function historyAfterGap(store: EventStore, token: string, sessionId: string): Promise<JsonRpcMessage[]> {
  const read = async (seq: number): Promise<JsonRpcMessage[] | 'below' | 'past'> => {
    const out: JsonRpcMessage[] = [];
    try {
      await store.replayAfter(`${token}.${seq}`, (_id, m) => { out.push(m); }, sessionId);
      return out;
    } catch (error) {
      return error instanceof ResumeError && error.reason === 'evicted' && !error.tailLost ? 'below' : 'past';
    }
  };
  let low = 0; // refused: below the gap
  let high = 1;
  let found = await read(high);
  for (; found === 'below' && high < 2 ** 40; found = await read(high)) {
    low = high;
    high *= 2;
  }
  if (found === 'below') return [];
  let best = typeof found === 'object' ? found : [];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const at = await read(mid);
    if (at === 'below') low = mid;
    else {
      high = mid;
      if (typeof at === 'object') best = at;
    }
  }
  return best;
}

/**
 * A call answered in a JSON body ended, but the body is not in its stream's history: until the
 * session's next save lands, a restart (kill -9 just after the reply) would take the call for
 * interrupted and run it again. So before the reply goes, each of its requests gets a short
 * record in the history that {@link recoverInflight} counts as its end: an error response
 * saying the reply was JSON. The body is not stored (a client gets no event id of a reply
 * that stayed JSON, so none can resume it). A reply that is not that end (turned to SSE, or
 * the error of a session that ended or a server that stops) records nothing; a record the
 * store refuses is reported, and the reply still goes.
 */
export async function recordJsonEnd(reply: ServerReply, key: StreamKey, requests: readonly JsonRpcRequest[], settings: StreamSettings): Promise<ServerReply> {
  if (reply.sse || reply.status >= 300) return reply;
  try {
    for (const { id } of requests) {
      await settings.store.append(key, { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: 'This request ended in a JSON reply, which is not kept in the stream history' } });
    }
  } catch (error) {
    settings.onError(new Error(`the end of request(s) ${requests.map((r) => JSON.stringify(r.id)).join(', ')} of session ${key.sessionId}, answered in JSON, could not be recorded; a restart before the session's next save runs them again: ${(error as Error).message}`, { cause: error }));
  }
  return reply;
}

/**
 * A call the client cancelled ends with no response (2025-11-25 basic/utilities/
 * cancellation): its SSE stream ends, or its JSON reply is a 202. Until the session's next
 * save lands, a restart would take it for interrupted and run it again, so the cancel is put
 * in the stream's history first, as an error response {@link recoverInflight} counts as the
 * request's end. It is not written to the live connection (the client gets no response, as
 * the spec asks); a client resuming the stream later replays it, a response to a request it
 * cancelled, which the spec tells it to ignore. A record the store refuses is reported.
 */
export async function recordCancel(key: StreamKey, id: RequestId, settings: StreamSettings): Promise<void> {
  try {
    await settings.store.append(key, { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: 'This request was cancelled by the client' } });
  } catch (error) {
    settings.onError(new Error(`the cancel of request ${JSON.stringify(id)} of session ${key.sessionId} could not be recorded; a restart before the session's next save runs it again: ${(error as Error).message}`, { cause: error }));
  }
}

/**
 * Shared store: answers to requests this instance did not send go to the others (the
 * instance that sent them delivers them), and so do cancels of requests that do not run here
 * (the instance running one stops it: 2025-11-25 basic/utilities/cancellation); resolves
 * with what stays here, if anything.
 */
export async function relayForeignAnswers(session: HttpSession, payload: unknown, relay: SessionRelay): Promise<unknown> {
  const messages = Array.isArray(payload) ? payload as unknown[] : [payload];
  const foreign = messages.filter((m) => foreignHere(session, m));
  if (foreign.length === 0) return payload;
  await relay.send(session.id, foreign.length === 1 ? foreign[0] : foreign);
  const rest = messages.filter((m) => !foreign.includes(m));
  if (rest.length === 0) return undefined;
  return Array.isArray(payload) ? rest : rest[0];
}

/**
 * What a message the relay brought (another instance's {@link relayForeignAnswers}) holds for
 * this instance's copy of the session: every instance holding a copy hears it, and only the one
 * that asked (or runs the cancelled call) may take it. Delivered elsewhere, an answer read as
 * "response to unknown request id" in that instance's log, once per answer. Undefined: nothing.
 */
export function relayedHere(session: HttpSession, payload: unknown): unknown {
  if (!Array.isArray(payload)) return foreignHere(session, payload) ? undefined : payload;
  const here = payload.filter((m) => !foreignHere(session, m));
  return here.length > 0 ? here : undefined;
}

/** An answer to a request this instance did not send, or a cancel of a call it does not run. */
function foreignHere(session: HttpSession, m: unknown): boolean {
  const cancelled = cancelledRequestId(m);
  if (cancelled !== undefined) return !session.runs(cancelled);
  return isObject(m) && !('method' in m) && isRequestId(m.id) && !session.awaitsAnswer(m.id);
}

/**
 * Shared store: the client's notifications/initialized reached this instance, while the
 * session's copy on another may hold asks back for it (2025-11-25 basic/lifecycle: no
 * requests but pings and logging before it). Its record is saved as initialized first (a
 * copy loaded later lets its asks go), then the others hear it over the relay.
 */
export async function shareInitialized(session: HttpSession, relay: SessionRelay): Promise<void> {
  await session.saved();
  await relay.send(session.id, INITIALIZED);
}

const INITIALIZED = Object.freeze({ jsonrpc: '2.0', method: 'notifications/initialized' });
