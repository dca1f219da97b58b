/**
 * The durable record of one session: the application's state, and the requests in flight
 * with every input (elicitation, sampling, roots) their handlers asked for and got. A
 * restarted server re-runs those requests; a handler that asks the same question again
 * gets the recorded answer instead of asking the client twice, and an answer to a question
 * of the previous process is accepted for the re-run that waits on it.
 */
import type { JsonRpcRequest, JsonRpcResponse, RequestId } from '../../protocol/index.ts';
import { isResponse } from '../../protocol/jsonrpc.ts';
import { loadOnce } from '../../protocol/load-once.ts';
import type { SessionStateStore } from '../event-store/index.ts';
import type { InputBook } from './server-inflight-inputs.ts';
import {
  highestRequestId, sessionMeta, type InflightRecord, type InputAnswer, type RecordedInput, type SessionRecord,
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

/** The POST stream a question goes out on, as {@link InflightLedger.ask} needs it. */
export interface AskingStream {
  /** Settles once the stream is saved as in flight. */
  readonly tracked: Promise<void> | undefined;
  /** The re-run's question is not stored again when the history holds it as `askedAs` (resolves true). */
  passReplayed(request: JsonRpcRequest, askedAs?: RequestId): Promise<boolean>;
  /** Store and send the question; rejects when the store refused it (stream-unstored.ts). */
  write(request: JsonRpcRequest): Promise<void>;
}

/** The matching of a recorded call's inputs: loaded the first time a recorded call asks or is answered. */
const inputs = loadOnce(() => import('./server-inflight-inputs.ts'));

export class InflightLedger {
  #o: InflightLedgerShared;
  #owner: LedgerOwner;
  #app: Record<string, unknown> | undefined;
  /** The highest numeric id of a question ever recorded (server-session-record.ts `lastRequestId`). */
  #lastRequestId: number | undefined;
  /** Kept in every save (server-session-record.ts `requestEpoch`). */
  readonly #requestEpoch: number | undefined;
  // Created on first use: most sessions never have a call to record (memory per idle session).
  #records: Map<string, InflightRecord> | undefined;
  /** The calls' inputs: what a previous process recorded, what this one asked (server-inflight-inputs.ts). */
  #book: InputBook | undefined;
  #saving: Promise<void> | undefined;
  /** The last save was refused or skipped: the store may hold an older record. */
  #stale: false | 'refused' | 'skipped' = false;
  #closed = false;

  constructor(owner: LedgerOwner, shared: InflightLedgerShared, restored?: SessionRecord) {
    this.#owner = owner;
    this.#o = shared;
    // Issue #11: a restored session keeps its application state in every later save.
    this.#app = restored?.app;
    this.#lastRequestId = restored?.lastRequestId;
    this.#requestEpoch = restored?.requestEpoch;
    for (const r of restored?.inflight ?? []) this.inherit(r);
  }

  #inputBook(): InputBook {
    return (this.#book ??= { inherited: undefined, asked: new Map(), aliases: new Map() });
  }

  #inherited(): Set<RecordedInput> {
    return (this.#inputBook().inherited ??= new Set());
  }

  /**
   * Inputs recorded for a call this process takes over after it started (another instance
   * died): matched like a restart's, so the client is not asked again.
   */
  inherit(record: InflightRecord): void {
    for (const i of record.inputs ?? []) this.#inherited().add(i);
  }

  /** Resolves once the saves queued so far are done (failed ones were reported). */
  saved(): Promise<void> {
    return this.#saving ?? Promise.resolve();
  }

  /** True when `id` is a question a previous run asked that is still unanswered here. */
  awaitsInherited(id: RequestId): boolean {
    for (const i of this.#book?.inherited ?? []) if (i.id === id && !i.answer) return true;
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

  /** True while the stream `streamId` is recorded in flight (a restart would re-run its requests). */
  tracks(streamId: string): boolean {
    return this.#records?.has(streamId) ?? false;
  }

  /**
   * The stream's requests are all answered (or cancelled): forget it. `storeFailed`: the
   * stream reported its store's refusal, so a refused save is that cause again (not reported).
   */
  finish(streamId: string, storeFailed = false): void {
    const record = this.#records?.get(streamId);
    if (!record) return;
    this.#records?.delete(streamId);
    const book = this.#book;
    if (book) {
      for (const r of record.requests) book.asked.delete(r.id);
      for (const i of record.inputs ?? []) {
        book.inherited?.delete(i);
        book.aliases.delete(i.id);
      }
    }
    void this.#save(false, storeFailed ? 'stream' : undefined);
  }

  /** True when questions are recorded before they are sent (restart recovery): {@link askAnew} has work to do. */
  get records(): boolean {
    return this.#o.recordInflight;
  }

  /**
   * A handler asks the client something on behalf of call `call`, on `stream`: recorded, then
   * sent. Not sent when a previous process asked the same (restart recovery): its recorded
   * answer goes to `onAnswer` now or the client's answer to that earlier request will.
   * Rejects when the question could not be recorded or stored (never sent, not kept as asked).
   */
  async ask(stream: AskingStream, call: RequestId, request: JsonRpcRequest, onAnswer: (answer: JsonRpcResponse) => void): Promise<void> {
    if (!this.#o.recordInflight) return stream.write(request);
    await stream.tracked;
    const outcome = await this.question(call, request);
    if (outcome.kind === 'send') {
      return stream.write(request).catch((error: unknown) => {
        this.withdraw(call, request);
        throw error;
      });
    }
    if (outcome.kind === 'answered') {
      void stream.passReplayed(request);
      onAnswer({ jsonrpc: '2.0', id: request.id, ...outcome.answer } as JsonRpcResponse);
      return;
    }
    if (await stream.passReplayed(request, outcome.askedAs)) return;
    // Recorded but never stored (its event refused, then the save withdrawing it, before a
    // crash: faults28's Left), the client never got it: sent now under the recorded id, so
    // its answer is recorded and handed to this re-run (aliased) like one the client owed.
    const resent = { ...request, id: outcome.askedAs };
    return stream.write(resent).catch((error: unknown) => {
      this.#book?.aliases.delete(outcome.askedAs);
      this.withdraw(call, resent);
      throw error;
    });
  }

  /**
   * A handler of call `call` asks the client `request`: matched with what a previous process
   * recorded for the call (server-inflight-inputs.ts), or recorded and saved before it is sent
   * (an answer may arrive for it after a restart).
   */
  async question(call: RequestId, request: JsonRpcRequest): Promise<QuestionOutcome> {
    const record = this.#recordOf(call);
    if (!record) return { kind: 'send' };
    const { matchQuestion } = await inputs.load();
    const outcome = matchQuestion(this.#inputBook(), record, call, request);
    if (outcome) return outcome;
    // Not sent unless saved: refused (a full disk), the handler hears it before acting on an
    // answer, as when the stream refuses the question (stream-unstored.ts), and it is not
    // kept as asked (a later save would make a re-run after a restart wait for its answer).
    await this.#save(false, 'caller').catch((error: unknown) => {
      this.withdraw(call, request, false);
      throw error;
    });
    return { kind: 'send' };
  }

  /**
   * Question `request` of call `call` was recorded but never sent (its save or its stream's
   * write was refused): taken back out of the record and of the call's count of questions,
   * so a re-run after a restart does not wait for its answer. `save`: the record as saved
   * holds it (saved again, a refusal not reported: the stream or the handler heard it).
   */
  withdraw(call: RequestId, request: JsonRpcRequest, save = true): void {
    const record = this.#recordOf(call);
    const inputs = record?.inputs;
    if (!record || !inputs?.some((i) => i.call === call && i.id === request.id)) return;
    record.inputs = inputs.filter((i) => !(i.call === call && i.id === request.id));
    const asked = this.#inputBook().asked;
    asked.set(call, Math.max(0, (asked.get(call) ?? 1) - 1));
    if (save) void this.#save(false, 'stream');
  }

  /**
   * The client answered a server-to-client request. An answer to a recorded question is
   * saved before it is delivered. Resolves with the response to hand to the MCP session, or
   * undefined when no handler of this process waits for it yet (server-inflight-inputs.ts).
   */
  async answer(response: JsonRpcResponse): Promise<JsonRpcResponse | undefined> {
    const id = response.id;
    if (id === null || id === undefined || !this.#records || this.#records.size === 0) return response;
    const input = this.#inputWithId(id);
    if (!input) return response;
    const { recordAnswer } = await inputs.load();
    return recordAnswer(this.#inputBook(), input, response, () => this.#save());
  }

  /**
   * Save nothing more, once what is queued is saved: a deleted session's record must not
   * be written again after the store dropped it. `retry` (the server stops): a save the store
   * refused (disk full) is tried once more first, so calls that ended are not re-run after
   * the restart.
   */
  async close(retry?: boolean): Promise<void> {
    this.#closed = true;
    await this.#saving;
    if (retry && this.#stale) await this.#save(true);
  }

  /** `messages` with each answer the ledger waits for saved first ({@link answer}); those it keeps back are left out. */
  async answerAll(messages: readonly unknown[]): Promise<unknown[]> {
    const kept: unknown[] = [];
    for (const m of messages) {
      const k = this.wantsAnswer(m) ? await this.answer(m) : m;
      if (k !== undefined) kept.push(k);
    }
    return kept;
  }

  /** True when `message` is a response this ledger may have to record. */
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

  /**
   * Saves run one after another, each writing the state as it is when it runs. A refused
   * save is reported unless `told` says otherwise: `'caller'`, its caller gets the rejection
   * (and tells whoever asked); `'stream'`, its stream reported the same cause already. A save
   * refused right after a refused one is the same cause (a full disk) and is not reported
   * again: a question refused on a full disk was three lines for one cause (faults27's Left).
   */
  #save(last?: boolean, told?: 'caller' | 'stream'): Promise<void> {
    let afterRefusal = false;
    const run = (this.#saving ?? Promise.resolve()).then(async () => {
      afterRefusal = this.#stale === 'refused';
      // Once closed, left stale for the last save of a server that stops (see close).
      if (this.#closed && !last) {
        this.#stale ||= 'skipped';
        return;
      }
      const record: SessionRecord = { app: this.#app, protocolVersion: this.#owner.protocolVersion, inflight: [...(this.#records?.values() ?? [])], principal: this.#owner.principal, requestEpoch: this.#requestEpoch };
      // Kept after the question's call ended, so a restart's ids never take it again.
      record.lastRequestId = this.#lastRequestId = highestRequestId({ inflight: record.inflight, lastRequestId: this.#lastRequestId });
      await this.#o.store.saveSession(this.#owner.id, sessionMeta(record));
      this.#stale = false;
    });
    // Forgotten once settled, unless a later save queued behind it (memory per idle session).
    const saving: Promise<void> = run.then(
      () => { if (this.#saving === saving) this.#saving = undefined; },
      (e: Error) => {
        if (this.#saving === saving) this.#saving = undefined;
        this.#stale = 'refused';
        if (told === undefined && !afterRefusal) this.#o.onError(e);
      },
    );
    this.#saving = saving;
    return told === 'caller' ? run : saving;
  }
}
