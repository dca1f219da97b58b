/**
 * One SSE stream of a session and the HTTP connection (if any) currently carrying it.
 * Every message is appended to the event store before it is written, so a client that
 * lost the connection resumes with `Last-Event-ID` and gets the rest exactly once
 * (2025-11-25 basic/transports: resumability and redelivery). All work on a stream runs
 * on one promise chain (step-chain.ts): appends, writes, replays and attaching a new
 * connection never interleave.
 */
import type { JsonRpcMessage, RequestId } from '../../protocol/index.ts';
import { isResponse } from '../../protocol/jsonrpc.ts';
import { encodeSseMessage, encodeSsePriming } from '../sse/index.ts';
import { eventText, primingText } from './stream-event-text.ts';
import { serializeMessage } from '../event-store/serialize.ts';
import type { StreamKey } from '../event-store/index.ts';
import type { SyncStreamStore } from '../event-store/memory.ts';
import type { JsonReply, ServerStreamOptions, StreamSettings } from './server-stream-options.ts';
import { emptyReply, jsonReply, sseReply, type ServerReply } from './exchange.ts';
import { SseConnection } from './sse-connection.ts';
import { bodyOf, bytesOver, fitJsonReply, fitOutbound } from './server-outbound.ts';
import { DONE, StepChain } from './step-chain.ts';
import type { DueTurn, LateReply } from './json-sse-turns.ts';
import { IdMap } from './id-map.ts';
import { ReplayGuard } from './replay-guard.ts';
import { keepUnstored, toldToSender, type UnstoredStream } from './stream-unstored.ts';

export type { JsonReply, ServerStreamOptions, StreamSettings } from './server-stream-options.ts';

/** A logical SSE stream that outlives its connections. */
export class ServerStream extends StepChain implements LateReply {
  readonly key: StreamKey;
  readonly kind: 'post' | 'standalone';
  /**
   * Requests whose responses this POST stream carries; it is finished when all are
   * answered. None on the standalone stream.
   */
  readonly pending: IdMap<true> | undefined;
  /**
   * Settles once the session has saved this POST stream as in flight (restart recovery): a
   * handler's question waits for it, so the question is recorded under its call.
   */
  tracked: Promise<void> | undefined;
  #settings: StreamSettings;
  #session: ServerStreamOptions['session'];
  #conn: SseConnection | undefined;
  #json: JsonReply | undefined;
  /** The JSON reply's place among those that turn to SSE when owed too long (see {@link StreamSettings.jsonTurns}). */
  #jsonTurn: DueTurn | undefined;
  #finished = false;
  /** True once the store refused one of its messages and that was reported (stream-unstored.ts). */
  storeFailed = false;
  /** Carried live only, nothing stored (its start was refused: {@link carryUnstored}). */
  #liveOnly = false;
  /** The id of the stream's start: being opened, or known. */
  #startId: Promise<string> | string | undefined;
  /** Messages already in the history that a re-run request may emit again (restart recovery). */
  #replayGuard: ReplayGuard | undefined;

  constructor(options: ServerStreamOptions) {
    super();
    this.key = options.key;
    this.kind = options.kind;
    this.#settings = options.settings;
    this.#session = options.session;
    if (options.kind === 'post') this.pending = new IdMap();
  }

  get finished(): boolean { return this.#finished; }
  get connected(): boolean { return this.#conn !== undefined && !this.#conn.closed; }

  /** The id of the stream's start once the store has opened it, else undefined. */
  get startId(): string | undefined {
    const start = this.#startId;
    return typeof start === 'string' ? start : undefined;
  }

  /** Register the stream in the store; resolves with the id of its start. */
  open(): Promise<string> {
    const start = this.#startId;
    if (typeof start === 'string') return Promise.resolve(start);
    return start ?? (this.#startId = this.#settings.store.openStream(this.key).then((id) => (this.#startId = id)));
  }

  /** Reply in JSON until a notification or request forces SSE (see {@link JsonReply}). */
  replyWithJson(reply: JsonReply): void {
    this.#json = reply;
    const turns = this.#settings.jsonTurns;
    // 2025-11-25 basic/transports: only a stream with a priming event id can be resumed, so
    // a session without priming (older versions) gains nothing from turning.
    if (turns === undefined || !this.#session.primingFor()) return;
    this.#jsonTurn = turns.add(this);
  }

  /** The JSON reply was owed for `jsonSseAfterMs` (json-sse-turns.ts): it turns to SSE. */
  turnLate(): void {
    this.#jsonTurn = undefined;
    this.enqueue(async () => {
      const json = this.#takeJson();
      if (json) await this.#turnToSse(json, []);
    }).catch(() => { /* reported through onError */ });
  }

  /** The JSON reply still owed, if any, now owned by the caller (it no longer turns late). */
  #takeJson(): JsonReply | undefined {
    const json = this.#json;
    this.#json = undefined;
    if (this.#jsonTurn !== undefined) {
      this.#settings.jsonTurns!.cancel(this.#jsonTurn);
      this.#jsonTurn = undefined;
    }
    return json;
  }

  /**
   * Carry the stream on `conn` from its start (a new POST or GET). Undefined when done at
   * once: a memory store opens the stream synchronously, so with nothing queued the step runs
   * here, with no chain (what it buys: the step's promises and microtasks, every SSE POST).
   * `later`: as a step on the chain even then (the initialize POST, whose priming depends on
   * the version its request sets once delivered).
   */
  attach(conn: SseConnection, later = false): Promise<void> | undefined {
    const sync = this.#settings.sync;
    const start = this.#startId;
    if (sync && !later && typeof start !== 'object' && this.free) {
      try {
        this.#started(conn, start ?? (this.#startId = sync.openNow(this.key)));
      } catch (error) {
        return this.#failedNow(error);
      }
      return undefined;
    }
    return this.enqueue(async () => this.#started(conn, await this.open()));
  }

  /**
   * The store refused the stream's start and its requests are read-only (stream-unstored.ts):
   * carry it on `conn` (a JSON reply: none) live only, with no priming event and no event ids
   * (2025-11-25 basic/transports: a stream without ids is not resumable; the client sends again).
   */
  carryUnstored(conn: SseConnection | undefined): void {
    this.#liveOnly = true;
    this.storeFailed = true;
    if (conn) this.#replace(conn);
  }

  /** True when {@link carryUnstored} made the stream live only: it has nothing in the store to end. */
  get liveOnly(): boolean { return this.#liveOnly; }

  #started(conn: SseConnection, startId: string): void {
    this.#replace(conn);
    const priming = this.#session.primingFor();
    if (priming) conn.send(primingText(this.#settings, startId, priming.retryMs));
  }

  /** A step run at once failed: reported as a chained step's failure is, and its caller gets the rejection. */
  #failedNow(error: unknown): Promise<void> {
    this.stepFailed(error as Error);
    return Promise.reject(error as Error);
  }

  /** Replay what followed `lastEventId`, then carry the stream live on `conn`. */
  resume(lastEventId: string, conn: SseConnection): Promise<void> {
    return this.enqueue(async () => {
      this.#replace(conn);
      await this.#settings.store.replayAfter(lastEventId, async (id, message) => {
        conn.send(encodeSseMessage(message, id));
        await conn.writable();
      }, this.key.sessionId);
      // The end waits for a last message queued after this step (written while the resume waited).
      if (this.#finished) void this.enqueue(async () => conn.end());
    });
  }

  /**
   * Append `message` to the history and write it to the live connection, if any. Resolves
   * once the client has read enough of what waits (flow control: a handler that awaits its
   * `ctx.progress()` runs at its client's pace, and a slow client is never dropped).
   */
  write(message: JsonRpcMessage): Promise<void> {
    return this.writeNow(message) ?? DONE;
  }

  /** {@link write}, undefined when the message was stored and sent at once and nothing waits unread. */
  writeNow(message: JsonRpcMessage): Promise<void> | undefined {
    const run = this.#append(message);
    // Checked when called (no extra step on the common path): a writer gets at most one
    // message past the bound before it waits.
    const conn = this.#conn;
    if (!conn?.behind) return run;
    return run ? run.then(() => conn.writable()) : conn.writable();
  }

  #append(message: JsonRpcMessage): Promise<void> | undefined {
    const pending = this.pending;
    if (pending && isResponse(message) && message.id !== undefined && message.id !== null) pending.delete(message.id);
    const last = pending !== undefined && pending.size === 0;
    if (last) this.#finished = true;
    // A response for a JSON reply with nothing queued before it is kept at once: what the
    // step would do, without the chain's promises, the async step and a microtask hop per
    // call (bench c-json). Anything queued first (a turn to SSE) keeps its order on the chain.
    if (this.#json && this.free && isResponse(message)) {
      this.#keepJson(this.#json, message, last);
      return undefined;
    }
    // A memory store with nothing queued: stored and sent here, as the step would (see `attach`).
    const sync = this.#settings.sync;
    if (sync && !this.#json && this.free) {
      try {
        return this.#store(message, last, sync);
      } catch (error) {
        return this.#failedNow(error);
      }
    }
    return this.enqueue(async () => {
      if (this.#json) return await this.#writeJson(message, last);
      await this.#store(message, last, undefined);
    });
  }

  /**
   * Store `message` and send it on the live connection: at once through `sync`, else once the
   * store resolves. A message either store refuses takes one path (stream-unstored.ts).
   */
  #store(message: JsonRpcMessage, last: boolean, sync: SyncStreamStore | undefined): Promise<void> | undefined {
    if (this.#skipReplayed(message)) {
      if (last) this.#conn?.end();
      return undefined;
    }
    // Serialized once: the store keeps the text and the connection carries it.
    let json = serializeMessage(message);
    const limit = this.#settings.maxMessageBytes;
    const over = limit === undefined ? undefined : bytesOver(json, limit);
    if (over !== undefined) json = serializeMessage(message = fitOutbound(message, over, limit!));
    const stored = message;
    if (this.#liveOnly) {
      this.#send(json, undefined, last);
      return undefined;
    }
    if (!sync) {
      return this.#settings.store.append(this.key, stored, json).then((id) => this.#send(json, id, last), (e: unknown) => keepUnstored(this.#unstored(), stored, json, e, last));
    }
    let id: string;
    try {
      id = sync.appendNow(this.key, stored, json);
    } catch (error) {
      // Refused at once (a memory store closed under it): the path of a store that refuses
      // later, on the chain so later messages keep their order.
      return this.enqueue(() => keepUnstored(this.#unstored(), stored, json, error, last));
    }
    this.#send(json, id, last);
    return undefined;
  }

  /** The stream as stream-unstored.ts sees it (a message the store refused: a rare path). */
  #unstored(): UnstoredStream {
    const conn = this.#conn;
    return {
      started: this.startId !== undefined,
      connected: conn !== undefined && !conn.closed,
      // Owed when the store takes it later (Redis full): written before the stream's owed end.
      append: (m) => { const store = this.#settings.store; return (store.appendOwed ?? store.append).call(store, this.key, m); },
      send: (json, id, last) => this.#send(json, id, last),
      end: () => this.#conn?.end(),
      stream: this,
      report: (e) => this.#settings.onError(e),
    };
  }

  #send(json: string, id: string | undefined, last: boolean): void {
    if (this.#conn) this.#conn.send(eventText(this.#settings, json, id));
    if (last) this.#conn?.end();
  }

  /** After a restart: the history a re-run request may reproduce; identical messages are not stored twice. */
  guardReplay(stored: JsonRpcMessage[]): void {
    this.#replayGuard = new ReplayGuard(stored);
  }

  /**
   * A re-run asked a question the previous process recorded as `askedAs` (restart recovery):
   * true when the history holds it (not sent again), false when not (the caller sends it).
   */
  passReplayed(request: JsonRpcMessage, askedAs?: RequestId): Promise<boolean> {
    let held = true;
    return this.enqueue(async () => {
      held = this.#skipReplayed(request) || askedAs === undefined || this.#replayGuard?.asked(askedAs) !== false;
    }).then(() => held, () => true); // a failed step was reported
  }

  /**
   * End the live connection after everything already queued was written, keeping the
   * stream: what follows waits in the history for a resume (2025-11-25 basic/transports:
   * the server MAY close the connection after the priming event to make the client poll).
   */
  disconnect(): void {
    this.enqueue(async () => {
      this.#conn?.end();
      this.#conn = undefined;
    }).catch(() => { /* #enqueue already reported it through onError */ });
  }

  /**
   * The client cancelled request `id` (2025-11-25 basic/utilities/cancellation: no
   * response will follow). When no other request waits on this stream it is finished:
   * its connection ends once what is queued has been written, and once `record` (restart
   * recovery: the cancel, put in the history) has. While others wait (a 2025-03-26 batch),
   * `record` still runs: the batch's end would not say this request is over. Returns, when
   * the stream is finished, the promise of that last step (it never rejects).
   */
  cancelRequest(id: RequestId, record?: false | (() => Promise<void>)): Promise<void> | undefined {
    if (!this.pending?.delete(id)) return undefined;
    if (this.pending.size > 0) {
      if (record) this.enqueue(record).catch(() => { /* reported through onError */ });
      return undefined;
    }
    this.#finished = true;
    return this.enqueue(async () => {
      if (record) await record();
      this.#conn?.end();
      // A reply still in JSON: the responses it holds, or 202 when none will come.
      const json = this.#takeJson();
      if (json) json.resolve(json.responses.length > 0 ? jsonReply(200, bodyOf(json.responses, json.batch)) : emptyReply(202));
    }).catch(() => { /* reported through onError */ });
  }

  /**
   * End the live connection (session deleted or server closing). A JSON reply still owed
   * is answered with `owed` rather than left open.
   */
  close(owed?: (pending: RequestId[]) => ServerReply): void {
    this.#conn?.end();
    this.#conn = undefined;
    const json = this.#takeJson();
    if (json && owed) json.resolve(owed(this.pending?.keys() ?? []));
  }

  async #writeJson(message: JsonRpcMessage, last: boolean): Promise<void> {
    const json = this.#json!;
    if (isResponse(message)) return this.#keepJson(json, message, last);
    // A handler streams before answering: switch this reply to SSE rather than drop the
    // notification (the SDK's JSON mode drops them). One too large for the client fails first.
    const limit = this.#settings.maxMessageBytes;
    const over = limit === undefined ? undefined : bytesOver(serializeMessage(message), limit);
    if (over !== undefined) fitOutbound(message, over, limit!);
    this.#takeJson();
    await this.#turnToSse(json, [message]);
  }

  /** A response for the JSON reply: kept, and the reply made once it is the last one owed. */
  #keepJson(json: JsonReply, message: JsonRpcMessage, last: boolean): void {
    json.responses.push(message);
    if (!last) return;
    this.#takeJson();
    json.resolve(fitJsonReply(jsonReply(200, bodyOf(json.responses, json.batch)), json.responses, json.batch, this.#settings.maxMessageBytes));
  }

  /** Answer the POST with an SSE stream from its start: priming event, then `json`'s responses and `more`. */
  async #turnToSse(json: JsonReply, more: JsonRpcMessage[]): Promise<void> {
    const conn = new SseConnection(this.#settings);
    json.resolve(sseReply(conn));
    this.#replace(conn);
    const startId = this.#liveOnly ? undefined : await this.open();
    json.onSse?.();
    const priming = this.#session.primingFor();
    if (priming && startId !== undefined) conn.send(encodeSsePriming(startId, priming.retryMs));
    for (const earlier of [...json.responses, ...more]) {
      conn.send(encodeSseMessage(earlier, startId === undefined ? undefined : await this.#settings.store.append(this.key, earlier)));
      await conn.writable();
    }
  }

  /** True when `message` is the next one the replay guard expects (its key is made only while a guard is set). */
  #skipReplayed(message: JsonRpcMessage): boolean {
    const guard = this.#replayGuard;
    // Outside restart recovery there is no guard: no key (a JSON.stringify of every message) to make.
    return guard ? guard.matches(message) : false;
  }

  #replace(conn: SseConnection): void {
    if (this.#conn && this.#conn !== conn) this.#conn.end(); // one connection per stream: the newest wins
    this.#conn = conn;
  }

  /** A step failed: reported as the server's error (the chain goes on), unless a question's sender heard it. */
  protected stepFailed(error: Error): void {
    if (!toldToSender(error)) this.#settings.onError(error);
  }
}

