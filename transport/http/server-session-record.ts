/**
 * What the Streamable HTTP server saves about a session in its store's metadata, so a
 * restarted process brings the session back: the application's state, the negotiated
 * version, and the requests in flight with the input their handlers already got. Read back
 * by server-recovery.ts.
 */
import type { JsonRpcRequest, RequestId } from '../../protocol/index.ts';
import type { SessionPrincipal } from './session-principal.ts';
import type { HttpSessionInfo } from './server-options.ts';

/** The answer the client gave to a server-to-client request: its result or its error. */
export type InputAnswer = { result: unknown } | { error: unknown };

/**
 * One server-to-client request (elicitation, sampling, roots) made on behalf of an
 * in-flight call, and the client's answer once given.
 */
export interface RecordedInput {
  /** The id of the client's request (the call) it was made for. */
  call: RequestId;
  /** Its JSON-RPC id in the process that sent it. */
  id: RequestId;
  method: string;
  params: unknown;
  answer?: InputAnswer;
}

/** A POST stream whose requests were not all answered yet. */
export interface InflightRecord {
  streamId: string;
  /** The token of its event ids: a restarted process continues the stream under it. */
  token: string;
  requests: JsonRpcRequest[];
  /** Inputs asked for its requests, in the order asked. */
  inputs?: RecordedInput[];
}

/** Everything saved about one session. */
export interface SessionRecord {
  /** The application's own state (e.g. the MCP connection's snapshot), or none yet. */
  app: Record<string, unknown> | undefined;
  protocolVersion: string | undefined;
  inflight: InflightRecord[];
  /** Who opened the session, when requests are authenticated (session-principal.ts). */
  principal?: SessionPrincipal | undefined;
  /**
   * The highest numeric id of a server-to-client request ever recorded for the session (kept
   * after its call ended): a restarted process's ids start past it whatever its clock reads.
   */
  lastRequestId?: number | undefined;
  /**
   * How many times a restarted process took the session back (server-recovery.ts
   * `startRequestEpoch`): the ids of its server-to-client requests start at this many times
   * {@link REQUEST_EPOCH_IDS}, past any an earlier process used, whatever the clock reads.
   */
  requestEpoch?: number | undefined;
}

/** Server-to-client request ids of one process of a session: a restored one starts this far past the last (2^32). */
export const REQUEST_EPOCH_IDS = 2 ** 32;

/** The highest numeric id among `record`'s recorded inputs and its `lastRequestId`, if any. */
export function highestRequestId(record: Pick<SessionRecord, 'inflight' | 'lastRequestId'>): number | undefined {
  let high = record.lastRequestId;
  for (const r of record.inflight) {
    for (const i of r.inputs ?? []) if (typeof i.id === 'number' && Number.isSafeInteger(i.id) && (high === undefined || i.id > high)) high = i.id;
  }
  return high;
}

/** The metadata to save for `record` (JSON-serializable). */
export function sessionMeta(record: SessionRecord): Record<string, unknown> {
  const meta: Record<string, unknown> = { app: record.app ?? null, protocolVersion: record.protocolVersion ?? null };
  if (record.inflight.length > 0) meta.inflight = record.inflight;
  if (record.principal) meta.principal = { ...record.principal };
  if (record.lastRequestId !== undefined) meta.lastRequestId = record.lastRequestId;
  if (record.requestEpoch !== undefined) meta.requestEpoch = record.requestEpoch;
  return meta;
}

/** The session a {@link SessionInfo} saves through (an HttpSession). */
export interface SavingSession {
  readonly id: string;
  saveState(meta: Record<string, unknown>): Promise<void>;
}

/**
 * What `connect` is told about a session: a view of it with `saveState` on this prototype,
 * not an object and a closure per session (bench g: memory per idle session).
 */
export class SessionInfo implements HttpSessionInfo {
  readonly restored: Record<string, unknown> | undefined;
  readonly firstRequestId: number | undefined;
  readonly #session: SavingSession;

  constructor(session: SavingSession, restored: Record<string, unknown> | undefined, firstRequestId: number | undefined) {
    this.#session = session;
    this.restored = restored;
    this.firstRequestId = firstRequestId;
  }

  get sessionId(): string { return this.#session.id; }

  saveState(meta: Record<string, unknown>): Promise<void> {
    return this.#session.saveState(meta);
  }
}

/** A {@link SessionInfo} of a session in a store shared by instances, which others may save. */
export class SharedSessionInfo extends SessionInfo {
  readonly #load: (sessionId: string) => Promise<Record<string, unknown> | undefined>;

  constructor(session: SavingSession, restored: Record<string, unknown> | undefined, firstRequestId: number | undefined, load: (sessionId: string) => Promise<Record<string, unknown> | undefined>) {
    super(session, restored, firstRequestId);
    this.#load = load;
  }

  async readSaved(): Promise<Record<string, unknown> | undefined> {
    const app = (await this.#load(this.sessionId))?.app; // sessionMeta's shape
    return typeof app === 'object' && app !== null && !Array.isArray(app) ? app as Record<string, unknown> : undefined;
  }
}
