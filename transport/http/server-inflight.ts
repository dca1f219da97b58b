/**
 * The durable record of one session: the application's state, and the requests in flight
 * with every input (elicitation, sampling, roots) their handlers asked for and got. A
 * restarted server re-runs those requests; a handler that asks the same question again
 * gets the recorded answer instead of asking the client twice, and an answer to a question
 * of the previous process is accepted for the re-run that waits on it.
 */
import type { JsonRpcRequest, JsonRpcResponse, RequestId } from '../../protocol/index.ts';
import { isResponse } from '../../protocol/jsonrpc.ts';
import type { SessionStateStore } from '../event-store/index.ts';
import {
  sessionMeta, type InflightRecord, type InputAnswer, type RecordedInput, type SessionRecord,
} from './server-session-record.ts';
import type { SessionPrincipal } from './session-principal.ts';

/** What to do with a server-to-client request a handler makes. */
export type QuestionOutcome =
  /** Send it (it is recorded when its call is). */
  | { kind: 'send' }
  /** A previous process asked it and got this answer: answer the handler, send nothing. */
  | { kind: 'answered'; answer: InputAnswer }
  /** A previous process asked it (id `askedAs`) and the client still owes the answer: wait for that. */
  | { kind: 'awaiting'; askedAs: RequestId };

/** What every ledger of one server shares (one object for all sessions). */
export interface InflightLedgerShared {
  store: SessionStateStore;
  /** Record requests in flight and their inputs (needs a durable store); else only the app state is kept. */
  recordInflight: boolean;
  onError(error: Error): void;
}

/** The session a ledger belongs to, read when a record is saved. */
export interface LedgerOwner {
  readonly id: string;
  readonly protocolVersion: string | undefined;
  readonly principal?: SessionPrincipal | undefined;
}

/** The POST stream a question goes out on, as {@link InflightLedger.askAnew} needs it. */
export interface AskingStream {
  /** Settles once the stream is saved as in flight. */
  readonly tracked: Promise<void> | undefined;
  /** The re-run's question is not stored again: the stream already holds it. */
  passReplayed(request: JsonRpcRequest): void;
}

export class InflightLedger {
  #o: InflightLedgerShared;
  #owner: LedgerOwner;
  #app: Record<string, unknown> | undefined;
  // Created on first use: most sessions never have a call to record (memory per idle session).
  #records: Map<string, InflightRecord> | undefined;
  /** Inputs a previous process recorded; the re-run's questions are matched against them. */
  #inherited: Set<RecordedInput> | undefined;
  /** Questions asked per call by this process. */
  #asked: Map<RequestId, number> | undefined;
  /** Id in the previous process -> id of the same question in the re-run. */
  #aliases: Map<RequestId, RequestId> | undefined;
  #saving: Promise<void> | undefined;
  #closed = false;

  constructor(owner: LedgerOwner, shared: InflightLedgerShared, restored?: SessionRecord) {
    this.#owner = owner;
    this.#o = shared;
    // Issue #11: a restored session keeps its application state in every later save.
    this.#app = restored?.app;
    for (const r of restored?.inflight ?? []) for (const i of r.inputs ?? []) (this.#inherited ??= new Set()).add(i);
  }

  /**
   * Inputs recorded for a call this process takes over after it started (another instance
   * died): matched like a restart's, so the client is not asked again.
   */
  inherit(record: InflightRecord): void {
    for (const i of record.inputs ?? []) (this.#inherited ??= new Set()).add(i);
  }

  /** Resolves once the saves queued so far are done (failed ones were reported). */
  saved(): Promise<void> {
    return this.#saving ?? Promise.resolve();
  }

  /** True when `id` is a question a previous run asked that is still unanswered here. */
  awaitsInherited(id: RequestId): boolean {
    for (const i of this.#inherited ?? []) if (i.id === id && !i.answer) return true;
    return false;
  }

  /** Replace the application's state and save. */
  setApp(app: Record<string, unknown>): Promise<void> {
    this.#app = app;
    return this.#save();
  }

  /**
   * A POST stream is in flight: save it so a restarted process re-runs its requests.
   * Undefined when nothing is recorded (no promise to wait for).
   */
  track(record: InflightRecord): Promise<void> | undefined {
    if (!this.#o.recordInflight) return undefined;
    (this.#records ??= new Map()).set(record.streamId, record);
    return this.#save();
  }

  /** The stream's requests are all answered (or cancelled): forget it. */
  finish(streamId: string): void {
    const record = this.#records?.get(streamId);
    if (!record) return;
    this.#records?.delete(streamId);
    for (const r of record.requests) this.#asked?.delete(r.id);
    for (const i of record.inputs ?? []) {
      this.#inherited?.delete(i);
      this.#aliases?.delete(i.id);
    }
    void this.#save();
  }

  /**
   * A handler asks the client something on behalf of call `call`, on `stream`. False when it
   * must not be sent: a previous process asked the same (restart recovery), and its recorded
   * answer goes to `onAnswer` now or the client's answer to that earlier request will.
   */
  async askAnew(stream: AskingStream, call: RequestId, request: JsonRpcRequest, onAnswer: (answer: JsonRpcResponse) => void): Promise<boolean> {
    if (!this.#o.recordInflight) return true;
    await stream.tracked;
    const outcome = await this.question(call, request);
    if (outcome.kind === 'send') return true;
    stream.passReplayed(request);
    if (outcome.kind === 'answered') onAnswer({ jsonrpc: '2.0', id: request.id, ...outcome.answer } as JsonRpcResponse);
    return false;
  }

  /**
   * A handler of call `call` asks the client `request`. Its Nth question is matched with
   * the Nth question the previous process recorded for the call: the same method and params
   * reuse that question; anything else means the re-run went another way, and what the
   * previous process recorded after that point is dropped.
   */
  async question(call: RequestId, request: JsonRpcRequest): Promise<QuestionOutcome> {
    const record = this.#recordOf(call);
    if (!record) return { kind: 'send' };
    const inputs = (record.inputs ??= []);
    const nth = this.#asked?.get(call) ?? 0;
    (this.#asked ??= new Map()).set(call, nth + 1);
    const mine = inputs.filter((i) => i.call === call);
    const earlier = mine[nth];
    if (earlier && this.#inherited?.has(earlier)) {
      if (earlier.method === request.method && sameJson(earlier.params, request.params)) {
        this.#inherited?.delete(earlier);
        if (earlier.answer) return { kind: 'answered', answer: earlier.answer };
        (this.#aliases ??= new Map()).set(earlier.id, request.id);
        return { kind: 'awaiting', askedAs: earlier.id };
      }
      const stale = new Set(mine.slice(nth));
      record.inputs = inputs.filter((i) => !stale.has(i));
      for (const i of stale) this.#inherited?.delete(i);
    }
    record.inputs.push({ call, id: request.id, method: request.method, params: request.params });
    await this.#save(); // before it is sent: an answer may arrive for it after a restart
    return { kind: 'send' };
  }

  /**
   * The client answered a server-to-client request. An answer to a recorded question is
   * saved before it is delivered. Resolves with the response to hand to the MCP session (its
   * id translated for a question the re-run took over), or undefined when no handler of
   * this process waits for it yet (the re-run will find it recorded).
   */
  async answer(response: JsonRpcResponse): Promise<JsonRpcResponse | undefined> {
    const id = response.id;
    if (id === null || id === undefined || !this.#records || this.#records.size === 0) return response;
    const input = this.#inputWithId(id);
    if (!input) return response;
    if (!input.answer) {
      input.answer = 'error' in response ? { error: response.error } : { result: response.result };
      await this.#save();
    }
    const alias = this.#aliases?.get(id);
    if (alias !== undefined) {
      this.#aliases?.delete(id);
      return { ...response, id: alias } as JsonRpcResponse;
    }
    return this.#inherited?.has(input) ? undefined : response;
  }

  /**
   * Save nothing more, once what is queued is saved: a deleted session's record must not
   * be written again after the store dropped it.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#saving;
  }

  /** True when `message` is a response this ledger may have to record. */
  /** `messages` with each answer the ledger waits for saved first ({@link answer}); those it keeps back are left out. */
  async answerAll(messages: readonly unknown[]): Promise<unknown[]> {
    const kept: unknown[] = [];
    for (const m of messages) {
      const k = this.wantsAnswer(m) ? await this.answer(m) : m;
      if (k !== undefined) kept.push(k);
    }
    return kept;
  }

  wantsAnswer(message: unknown): message is JsonRpcResponse {
    return (this.#records?.size ?? 0) > 0 && isResponse(message as JsonRpcResponse);
  }

  #recordOf(call: RequestId): InflightRecord | undefined {
    for (const r of this.#records?.values() ?? []) if (r.requests.some((q) => q.id === call)) return r;
    return undefined;
  }

  #inputWithId(id: RequestId): RecordedInput | undefined {
    for (const r of this.#records?.values() ?? []) for (const i of r.inputs ?? []) if (i.id === id) return i;
    return undefined;
  }

  /** Saves run one after another, each writing the state as it is when it runs. */
  #save(): Promise<void> {
    const run = (this.#saving ?? Promise.resolve()).then(async () => {
      if (this.#closed) return;
      const record: SessionRecord = { app: this.#app, protocolVersion: this.#owner.protocolVersion, inflight: [...(this.#records?.values() ?? [])], principal: this.#owner.principal };
      await this.#o.store.saveSession(this.#owner.id, sessionMeta(record));
    });
    // Forgotten once settled, unless a later save queued behind it (memory per idle session).
    const saving: Promise<void> = run.then(
      () => { if (this.#saving === saving) this.#saving = undefined; },
      (e: Error) => { if (this.#saving === saving) this.#saving = undefined; this.#o.onError(e); },
    );
    this.#saving = saving;
    return saving;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
