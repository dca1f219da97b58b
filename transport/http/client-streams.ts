/**
 * One SSE stream of the HTTP client transport, across all the connections it takes: the
 * response to a POST, the standalone GET stream, or a stream resumed from a stored token.
 * It reads events, remembers the last event id and the server's `retry`, and when the
 * connection ends early it reconnects with `GET` + `Last-Event-ID`, until the responses it
 * carries have arrived or the reconnect policy gives up (2025-11-25 basic/transports:
 * resumability and redelivery; SEP-1699 polling).
 */
import { LocalErrorCode, McpError, parseJson, type RequestId } from '../../protocol/index.ts';
import { createSseDecoder, type SseEvent } from '../sse/decode.ts';
import type { Exchange } from './client-exchange.ts';
import { refusedEvent } from './client-response.ts';
import { openStreamGet } from './client-stream-open.ts';
import type { EventStream, EventStreamInit, StreamConnection, StreamDeps, StreamKind } from './client-stream-types.ts';
import { waitUnlessAborted } from './reconnect.ts';
import { asError } from '../../protocol/errors.ts';

export type { EventStream, EventStreamInit, StreamConnection, StreamDeps, StreamKind } from './client-stream-types.ts';

function isResponseTo(value: unknown, awaiting: Set<RequestId>): RequestId | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  if (!('result' in value) && !('error' in value)) return undefined;
  const id = (value as { id: unknown }).id;
  return (typeof id === 'string' || typeof id === 'number') && awaiting.has(id) ? id : undefined;
}

/** Create a stream; {@link EventStream.run} drives it. */
export function createEventStream(deps: StreamDeps, init: EventStreamInit): EventStream {
  return new HttpEventStream(deps, init);
}

/**
 * Where a stream is. `idle` until `run`; then `connecting` (a GET is out), `reading` (events
 * are read from a connection), `waiting` (a delay before reconnecting), round again, until
 * `ended` (done, given up, or failed) or `stopped` (by `stop` or `abandon`, from any state).
 * `stopped` is final: a step that finishes after it does not leave it.
 */
type StreamState = 'idle' | 'connecting' | 'reading' | 'waiting' | 'ended' | 'stopped';

/** What one connection's read came to. */
interface ReadOutcome {
  progressed: boolean;
  error?: Error;
  /** The body ended right behind an event over `maxEventBytes`. */
  endedOnDropped?: McpError;
  /** We ended the body: an event over `maxEventBytes` ran on for as much again. */
  overrun?: McpError;
}

/**
 * An event id that cannot go back in `Last-Event-ID`: an HTTP field value holds visible
 * ASCII, SP, HTAB and obs-text, with no whitespace at either end (RFC 9110 §5.5).
 */
const UNSENDABLE_ID = /[^\t\x20-\x7e\x80-\xff]|^[\t ]|[\t ]$/;

/** An event over `maxEventBytes` is skipped for at most this many times as much again. */
export const SKIP_LIMIT = 15;

/** `#connect` found nothing to read, and the loop retries. */
const RETRY = 'retry';
/** `#connect` ended the stream. */
const END = 'end';

/** One SSE stream (see the module comment and {@link EventStream}). */
class HttpEventStream implements EventStream {
  readonly kind: StreamKind;
  readonly awaiting: Set<RequestId>;
  readonly #deps: StreamDeps;
  readonly #relatedRequestId: RequestId | undefined;
  readonly #onResumptionToken: ((token: string) => void) | undefined;
  /** A POST or resumed stream that carries responses ends when the last one arrived. */
  readonly #endsWithResponses: boolean;
  #state: StreamState = 'idle';
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  /** The stream got all it waited for, and its connection is let go (see `#letGo`). */
  #closing = false;
  /** Ends a reconnection delay early; made only when there is one (it is rare). */
  #waiting: AbortController | undefined;
  /** The connection being opened or read. */
  #current: Exchange | undefined;
  /** Reconnections since the stream last made progress. */
  #attempts = 0;
  /** Why the last connection or attempt ended, for the error when the stream gives up. */
  #lastError: Error | undefined;
  /** A connection was open once: a 405 to a later standalone GET is a failure, not "unsupported". */
  #everOpened = false;
  /** The last event id the server sent is one no GET can carry: the stream cannot be resumed from it. */
  #unresumable: McpError | undefined;

  constructor(deps: StreamDeps, init: EventStreamInit) {
    this.#deps = deps;
    this.kind = init.kind;
    this.#relatedRequestId = init.relatedRequestId;
    this.#onResumptionToken = init.onResumptionToken;
    this.awaiting = new Set<RequestId>(init.awaiting ?? []);
    this.#endsWithResponses = init.kind !== 'standalone' && this.awaiting.size > 0;
    this.#lastEventId = init.lastEventId;
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  async run(first?: StreamConnection): Promise<void> {
    try {
      await this.#loop(first);
    } catch (error) {
      // A bug here must not leave requests hanging: fail them loudly.
      if (this.#state !== 'stopped') this.#failAll(new McpError(LocalErrorCode.Resume, `${this.#describe()} failed: ${asError(error).message}`, { cause: error }), true);
    } finally {
      this.#enter('ended');
      // Only a connection still open is left to abort: on success the body ended by itself.
      if (this.#current && !this.#current.aborted) this.#current.abort(new McpError(LocalErrorCode.Closed, 'stream ended'));
    }
  }

  abandon(id: RequestId): void {
    if (!this.awaiting.delete(id) || !this.#done()) return;
    this.#stop(new McpError(LocalErrorCode.Aborted, 'no request waits on this stream any more'));
  }

  stop(): void {
    this.#stop(new McpError(LocalErrorCode.Closed, 'transport closed'));
  }

  #stop(reason: McpError): void {
    this.#state = 'stopped';
    this.#waiting?.abort(reason);
    this.#current?.abort(reason);
  }

  /** Move to `state`, unless the stream was stopped (which is final). */
  #enter(state: Exclude<StreamState, 'stopped'>): void {
    if (this.#state !== 'stopped') this.#state = state;
  }

  #done(): boolean {
    return this.#endsWithResponses && this.awaiting.size === 0;
  }

  #describe(): string {
    const awaiting = this.awaiting;
    return this.kind === 'standalone' ? 'the standalone SSE stream'
      : awaiting.size === 1 ? `the SSE stream of request ${JSON.stringify([...awaiting][0])}`
        : `the SSE stream of requests ${JSON.stringify([...awaiting])}`;
  }

  /** Connect (or read `first`), read, and reconnect until the stream is done, given up, or stopped. */
  async #loop(first: StreamConnection | undefined): Promise<void> {
    this.#attempts = 0;
    this.#lastError = undefined;
    this.#everOpened = first !== undefined;
    let connection = first;
    let immediate = first === undefined;
    if (first) this.#current = first.exchange;
    for (;;) {
      if (this.#state === 'stopped') return;
      if (!connection) {
        if (!immediate && !(await this.#backOff())) return;
        immediate = false;
        const opened = await this.#connect();
        if (opened === END) return;
        if (opened === RETRY) continue;
        connection = opened;
      }
      const outcome = await this.#read(connection);
      connection = undefined;
      if (!this.#goesOn(outcome)) return;
    }
  }

  /** Wait before the next attempt; false when the stream ends instead (gave up, or stopped). */
  async #backOff(): Promise<boolean> {
    const { policy, timers } = this.#deps;
    if (this.#attempts >= policy.maxAttempts) {
      const at = this.#lastEventId === undefined ? '' : ` (last event id ${JSON.stringify(this.#lastEventId)})`;
      this.#failAll(new McpError(LocalErrorCode.Resume, `gave up on ${this.#describe()} after ${this.#attempts} reconnection attempts without progress${at}`, { cause: this.#lastError }), true);
      return false;
    }
    const delay = policy.delayFor(this.#attempts, this.#retryMs);
    this.#attempts++;
    this.#enter('waiting');
    this.#waiting = new AbortController();
    const waited = await waitUnlessAborted(delay, timers, this.#waiting.signal);
    this.#waiting = undefined;
    return waited;
  }

  /** Open a connection with GET: it, or `RETRY`, or `END` (the failure was handled). */
  async #connect(): Promise<StreamConnection | typeof RETRY | typeof END> {
    this.#enter('connecting');
    const exchange = this.#deps.get(this.#lastEventId);
    this.#current = exchange;
    const opened = await openStreamGet(exchange, this.#describe());
    if (this.#state === 'stopped') return END;
    if (!('error' in opened)) {
      this.#everOpened = true;
      return opened;
    }
    if (opened.outcome === 'retry') {
      this.#lastError = opened.error;
      return RETRY;
    }
    // A server that never offered the standalone stream is no fault.
    if (opened.outcome === 'unsupported' && this.kind === 'standalone' && !this.#everOpened) return END;
    this.#failAll(this.kind === 'standalone' ? asMcpError(opened.error)
      : new McpError(LocalErrorCode.Resume, `cannot resume ${this.#describe()}: ${opened.error.message}`, { cause: opened.error }), true);
    return END;
  }

  /** After a connection ended: true to reconnect, false when the stream ends here. */
  #goesOn({ progressed, error, endedOnDropped, overrun }: ReadOutcome): boolean {
    if (this.#state === 'stopped' || this.#done()) return false;
    if (progressed) this.#attempts = 0;
    if (this.kind === 'standalone') {
      this.#lastError = error ?? this.#endedEarly();
      return true;
    }
    if (this.awaiting.size === 0) return false; // a stream that carried no request
    if (endedOnDropped ?? overrun) {
      // The server ended the stream right behind an event too large to read: that was the
      // response (the server ends a POST stream after it), and a resume would only replay it.
      this.#failAll(overrun ?? new McpError(LocalErrorCode.MessageTooLarge, `${this.#describe()} ended right after an event over the limit of ${this.#deps.maxEventBytes} bytes (maxEventBytes): its response cannot be read`, { cause: endedOnDropped }), false);
      return false;
    }
    if (this.#unresumable) {
      this.#failAll(this.#unresumable, false);
      return false;
    }
    if (this.#lastEventId === undefined) {
      // 2025-11-25 basic/transports: resumption needs Last-Event-ID; without any event id
      // there is no position to resume from.
      this.#failAll(new McpError(LocalErrorCode.Resume, `${this.#describe()} ended before the response arrived and carried no event id, so it cannot be resumed`, { cause: error }), false);
      return false;
    }
    this.#lastError = error ?? this.#endedEarly();
    return true;
  }

  #endedEarly(): McpError {
    return new McpError(LocalErrorCode.Resume, `the server ended ${this.#describe()} before it was complete`);
  }

  #failAll(error: McpError, report: boolean): void {
    const ids = [...this.awaiting];
    this.awaiting.clear();
    for (const id of ids) this.#deps.requestFailed(id, error);
    if (report || ids.length === 0) this.#deps.reportError(error);
  }

  /** Handle one event; true when it is progress (a message, or a new event id). */
  /** One event; `refused` when its bytes are not UTF-8: it fails the request it answered, and its id still counts. */
  #onEvent(event: SseEvent, connection: Exchange, refused?: ReturnType<typeof refusedEvent>): boolean {
    let progressed = false;
    // SSE: events of a type other than the default carry no JSON-RPC message; their id
    // still moves the stream's position.
    if (refused) {
      progressed = true;
      if (refused.id !== undefined && this.awaiting.delete(refused.id)) this.#deps.requestFailed(refused.id, refused.error);
      else this.#deps.reportError(refused.error);
    } else if (event.data !== '' && (event.event === undefined || event.event === 'message')) {
      progressed = true;
      this.#onMessage(parseJson(event.data, this.#deps.maxJsonDepth));
    }
    if (event.id !== undefined) {
      // Record the id only after its message was delivered, so a stored token never points
      // past a message this process did not hand up. An empty id resets it (SSE rules).
      const id = event.id === '' ? undefined : event.id;
      if (id !== undefined && UNSENDABLE_ID.test(id)) {
        this.#unresumable = new McpError(LocalErrorCode.Resume, `the server sent event id ${JSON.stringify(id)}, which no Last-Event-ID header can carry (RFC 9110 §5.5), so ${this.#describe()} cannot be resumed`);
      } else {
        if (id !== this.#lastEventId) progressed = true;
        this.#lastEventId = id;
        this.#unresumable = undefined; // a later, sendable id is a position again
        if (id !== undefined && this.#onResumptionToken) {
          try {
            this.#onResumptionToken(id);
          } catch (error) {
            this.#deps.reportError(asError(error));
          }
        }
      }
    }
    if (this.#done() && !this.#closing) this.#letGo(connection);
    return progressed;
  }

  /** Settle the responses awaited here that `value` carries, and hand it up. */
  #onMessage(value: unknown): void {
    const refused = this.#deps.refuseBatch(value);
    if (refused) this.#failAnswered(value as unknown[], refused);
    else if (Array.isArray(value)) {
      for (const item of value) this.#settle(item);
      this.#deps.deliver(value, this.#relatedRequestId);
    } else {
      this.#settle(value);
      this.#deps.deliver(value, this.#relatedRequestId);
    }
  }

  /**
   * 2025-11-25 basic/transports: after the response the stream has nothing more for us.
   * The server normally ends it right behind the response, mostly in the same packet: let
   * that end be read (an abort costs more than the read, and can cost the connection), and
   * abort only a stream still open a moment later.
   */
  #letGo(connection: Exchange): void {
    this.#closing = true;
    queueMicrotask(() => {
      if (this.#current !== connection || connection.ended) return;
      this.#deps.timers.setTimeout(() => {
        if (this.#current === connection && !connection.ended) connection.abort(new McpError(LocalErrorCode.Closed, 'stream complete'));
      }, 0);
    });
  }

  /** The requests a refused batch answers fail with `error`; the batch is not handed up. */
  #failAnswered(items: unknown[], error: McpError): void {
    let failed = false;
    for (const item of items) {
      const id = isResponseTo(item, this.awaiting);
      if (id === undefined) continue;
      this.awaiting.delete(id);
      this.#deps.requestFailed(id, error);
      failed = true;
    }
    if (!failed) this.#deps.reportError(error);
  }

  /** A response to one of the requests awaited here is no longer awaited. */
  #settle(message: unknown): void {
    const answered = isResponseTo(message, this.awaiting);
    if (answered !== undefined) this.awaiting.delete(answered);
  }

  async #read(connection: StreamConnection): Promise<ReadOutcome> {
    this.#enter('reading');
    let progressed = false;
    /** The event over `maxEventBytes` dropped last, while no event has followed it. */
    let dropped: McpError | undefined;
    let skipped = 0; // bytes read since `dropped`
    let overrun: McpError | undefined;
    const { exchange, reply } = connection;
    const deps = this.#deps;
    // The bytes go from the connection straight into the decoder, and a chunk's messages are
    // all handed up before the next chunk is taken: nothing piles up between the two.
    const decoder = createSseDecoder({
      maxBufferBytes: deps.maxEventBytes,
      onEvent: (event) => {
        dropped = undefined;
        if (this.#onEvent(event, exchange)) progressed = true;
      },
      onNotUtf8: (error, event) => {
        dropped = undefined;
        if (this.#onEvent(event, exchange, refusedEvent(event, error, deps.maxJsonDepth))) progressed = true;
      },
      onRetry: (ms) => {
        this.#retryMs = ms;
      },
      onError: (error) => {
        if (error.code === LocalErrorCode.MessageTooLarge) {
          dropped = error;
          skipped = 0;
        }
        deps.reportError(error);
      },
    });
    try {
      await reply.stream((chunk) => {
        decoder.push(chunk);
        if (dropped !== undefined && (skipped += chunk.byteLength) > SKIP_LIMIT * deps.maxEventBytes) {
          // An event that runs on that far may never end: stop rather than discard to the timeout.
          overrun = new McpError(LocalErrorCode.MessageTooLarge, `an event on ${this.#describe()} ran past ${SKIP_LIMIT + 1} times maxEventBytes (${deps.maxEventBytes}) without ending: the stream was ended`, { cause: dropped });
          throw overrun;
        }
        return deps.answersWaiting?.(); // no more reading while our answers wait (backpressure)
      });
      decoder.end();
      // The body ended by itself: nothing is left to abort.
      if (this.#current === exchange) this.#current = undefined;
      return dropped ? { progressed, endedOnDropped: dropped } : { progressed };
    } catch (error) {
      if (overrun !== undefined) return { progressed, overrun };
      if (exchange.aborted) return { progressed };
      return { progressed, error: asError(error) };
    }
  }
}

function asMcpError(error: Error): McpError {
  return error instanceof McpError ? error : new McpError(LocalErrorCode.Http, error.message, { cause: error });
}
