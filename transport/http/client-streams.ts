/**
 * One SSE stream of the HTTP client transport, across all the connections it takes: the
 * response to a POST, the standalone GET stream, or a stream resumed from a stored token.
 * It reads events, remembers the last event id and the server's `retry`, and when the
 * connection ends early it reconnects with `GET` + `Last-Event-ID`, until the responses it
 * carries have arrived or the reconnect policy gives up (2025-11-25 basic/transports:
 * resumability and redelivery; SEP-1699 polling).
 */
import { LocalErrorCode, McpError, parseJson, type RequestId, type Timers } from '../../protocol/index.ts';
import { createSseDecoder, type SseEvent } from '../sse/decode.ts';
import type { Exchange, Reply } from './client-exchange.ts';
import { httpErrorFrom, isRetryableStatus, mediaTypeOf } from './client-response.ts';
import { waitUnlessAborted, type ReconnectPolicy } from './reconnect.ts';
import { asError } from '../../protocol/errors.ts';

/** Which kind of stream: it decides when the stream is done and how failures are reported. */
export type StreamKind = 'post' | 'standalone' | 'resume';

/** What a stream needs from the transport that owns it. */
export interface StreamDeps {
  /** Send `GET` for this stream, with `Last-Event-ID` when `lastEventId` is given. */
  get(lastEventId: string | undefined): Exchange;
  /** Hand one parsed message (or an UnparsablePayload) up. */
  deliver(value: unknown, relatedRequestId: RequestId | undefined): void;
  /** The response to `id` can no longer arrive. */
  requestFailed(id: RequestId, error: Error): void;
  reportError(error: Error): void;
  policy: ReconnectPolicy;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  maxEventBytes: number;
  /** An error when `value` is a batch the negotiated version does not allow. */
  refuseBatch(value: unknown): McpError | undefined;
}

/** How a stream starts. */
export interface EventStreamInit {
  kind: StreamKind;
  /** Our requests whose responses travel on this stream; once all arrived, it is done. */
  awaiting?: Iterable<RequestId>;
  /** Given with each message to `deliver` (the request whose stream this is). */
  relatedRequestId?: RequestId;
  /** Resume from here (a token stored by an earlier process). */
  lastEventId?: string;
  /** Told each event id seen on the stream, after the event's message was delivered. */
  onResumptionToken?: (token: string) => void;
}

/** An open connection of the stream: its exchange, whose reply head arrived. */
export interface StreamConnection {
  exchange: Exchange;
  reply: Reply;
}

/** A running stream. */
export interface EventStream {
  readonly kind: StreamKind;
  readonly lastEventId: string | undefined;
  /** Requests still waiting for their response here. */
  readonly awaiting: ReadonlySet<RequestId>;
  /**
   * Read `first`, or connect with GET when it is absent, and keep the stream going until it
   * is done, given up, or stopped. Never rejects: failures are reported through the deps.
   */
  run(first?: StreamConnection): Promise<void>;
  /** Nobody waits for `id` any more (it was cancelled); a stream left with none stops. */
  abandon(id: RequestId): void;
  /** Stop now, quietly: abort the connection and any wait. */
  stop(): void;
}

type Opened = StreamConnection | { error: Error; outcome: 'unsupported' | 'retry' | 'fatal' };

function isResponseTo(value: unknown, awaiting: Set<RequestId>): RequestId | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  if (!('result' in value) && !('error' in value)) return undefined;
  const id = (value as { id: unknown }).id;
  return (typeof id === 'string' || typeof id === 'number') && awaiting.has(id) ? id : undefined;
}

/** Create a stream; {@link EventStream.run} drives it. */
export function createEventStream(deps: StreamDeps, init: EventStreamInit): EventStream {
  const { kind, relatedRequestId, onResumptionToken } = init;
  const awaiting = new Set<RequestId>(init.awaiting ?? []);
  /** A POST or resumed stream that carries responses ends when the last one arrived. */
  const endsWithResponses = kind !== 'standalone' && awaiting.size > 0;
  let lastEventId = init.lastEventId;
  let retryMs: number | undefined;
  let stopped = false;
  /** The stream got all it waited for, and its connection is let go. */
  let closing = false;
  /** Ends a reconnection delay early; made only when there is one (it is rare). */
  let waiting: AbortController | undefined;
  /** The connection being opened or read. */
  let current: Exchange | undefined;

  const done = (): boolean => endsWithResponses && awaiting.size === 0;
  const describe = (): string =>
    kind === 'standalone' ? 'the standalone SSE stream'
      : awaiting.size === 1 ? `the SSE stream of request ${JSON.stringify([...awaiting][0])}`
        : `the SSE stream of requests ${JSON.stringify([...awaiting])}`;

  function failAll(error: McpError, report: boolean): void {
    const ids = [...awaiting];
    awaiting.clear();
    for (const id of ids) deps.requestFailed(id, error);
    if (report || ids.length === 0) deps.reportError(error);
  }

  /** Handle one event; true when it is progress (a message, or a new event id). */
  function onEvent(event: SseEvent, connection: Exchange): boolean {
    let progressed = false;
    // SSE: events of a type other than the default carry no JSON-RPC message; their id
    // still moves the stream's position.
    if (event.data !== '' && (event.event === undefined || event.event === 'message')) {
      progressed = true;
      const value = parseJson(event.data);
      const refused = deps.refuseBatch(value);
      if (refused) failAnswered(value as unknown[], refused);
      else if (Array.isArray(value)) {
        for (const item of value) settle(item);
        deps.deliver(value, relatedRequestId);
      } else {
        settle(value);
        deps.deliver(value, relatedRequestId);
      }
    }
    if (event.id !== undefined) {
      // Record the id only after its message was delivered, so a stored token never points
      // past a message this process did not hand up. An empty id resets it (SSE rules).
      const id = event.id === '' ? undefined : event.id;
      if (id !== lastEventId) progressed = true;
      lastEventId = id;
      if (id !== undefined && onResumptionToken) {
        try {
          onResumptionToken(id);
        } catch (error) {
          deps.reportError(asError(error));
        }
      }
    }
    // 2025-11-25 basic/transports: after the response the stream has nothing more for us.
    // The server normally ends it right behind the response, mostly in the same packet: let
    // that end be read (an abort costs more than the read, and can cost the connection), and
    // abort only a stream still open a moment later.
    if (done() && !closing) {
      closing = true;
      queueMicrotask(() => {
        if (current !== connection || connection.ended) return;
        deps.timers.setTimeout(() => {
          if (current === connection && !connection.ended) connection.abort(new McpError(LocalErrorCode.Closed, 'stream complete'));
        }, 0);
      });
    }
    return progressed;
  }

  /** The requests a refused batch answers fail with `error`; the batch is not handed up. */
  function failAnswered(items: unknown[], error: McpError): void {
    let failed = false;
    for (const item of items) {
      const id = isResponseTo(item, awaiting);
      if (id === undefined) continue;
      awaiting.delete(id);
      deps.requestFailed(id, error);
      failed = true;
    }
    if (!failed) deps.reportError(error);
  }

  /** A response to one of the requests awaited here is no longer awaited. */
  function settle(message: unknown): void {
    const answered = isResponseTo(message, awaiting);
    if (answered !== undefined) awaiting.delete(answered);
  }

  async function read(connection: StreamConnection): Promise<{ progressed: boolean; error?: Error; endedOnDropped?: McpError }> {
    let progressed = false;
    /** The event over `maxEventBytes` dropped last, while no event has followed it. */
    let dropped: McpError | undefined;
    const { exchange, reply } = connection;
    // The bytes go from the connection straight into the decoder, and a chunk's messages are
    // all handed up before the next chunk is taken: nothing piles up between the two.
    const decoder = createSseDecoder({
      maxBufferBytes: deps.maxEventBytes,
      onEvent(event) {
        dropped = undefined;
        if (onEvent(event, exchange)) progressed = true;
      },
      onRetry(ms) {
        retryMs = ms;
      },
      onError(error) {
        if (error.code === LocalErrorCode.MessageTooLarge) dropped = error;
        deps.reportError(error);
      },
    });
    try {
      await reply.stream((chunk) => decoder.push(chunk));
      decoder.end();
      // The body ended by itself: nothing is left to abort.
      if (current === exchange) current = undefined;
      return dropped ? { progressed, endedOnDropped: dropped } : { progressed };
    } catch (error) {
      if (exchange.aborted) return { progressed };
      return { progressed, error: asError(error) };
    }
  }

  async function open(): Promise<Opened> {
    const exchange = deps.get(lastEventId);
    current = exchange;
    let reply: Reply;
    try {
      reply = await exchange.head;
    } catch (error) {
      return { outcome: 'retry', error: new McpError(LocalErrorCode.Http, `GET to resume ${describe()} failed: ${asError(error).message}`, { cause: error }) };
    }
    const ok = reply.status >= 200 && reply.status < 300;
    if (ok && mediaTypeOf(reply) === 'text/event-stream') return { exchange, reply };
    if (ok) {
      exchange.abort(new McpError(LocalErrorCode.Protocol, 'not an event stream'));
      return { outcome: 'fatal', error: new McpError(LocalErrorCode.Protocol, `GET for ${describe()} answered ${mediaTypeOf(reply) || 'no content type'}, not text/event-stream`) };
    }
    const error = await httpErrorFrom(reply, `GET for ${describe()}`);
    // 2025-11-25 basic/transports: 405 means the server offers no GET stream.
    if (reply.status === 405) return { outcome: 'unsupported', error };
    return { outcome: isRetryableStatus(reply.status) ? 'retry' : 'fatal', error };
  }

  async function run(first?: StreamConnection): Promise<void> {
    let attempts = 0;
    let lastError: Error | undefined;
    let connection = first;
    let immediate = first === undefined;
    let everOpened = first !== undefined;
    if (first) current = first.exchange;
    for (;;) {
      if (stopped) return;
      if (!connection) {
        if (!immediate) {
          if (attempts >= deps.policy.maxAttempts) {
            failAll(new McpError(LocalErrorCode.Resume, `gave up on ${describe()} after ${attempts} reconnection attempts without progress${lastEventId === undefined ? '' : ` (last event id ${JSON.stringify(lastEventId)})`}`, { cause: lastError }), true);
            return;
          }
          const delay = deps.policy.delayFor(attempts, retryMs);
          attempts++;
          waiting = new AbortController();
          const waited = await waitUnlessAborted(delay, deps.timers, waiting.signal);
          waiting = undefined;
          if (!waited) return;
        }
        immediate = false;
        const opened = await open();
        if (stopped) return;
        if ('error' in opened) {
          if (opened.outcome === 'retry') {
            lastError = opened.error;
            continue;
          }
          // A server that never offered the standalone stream is no fault.
          if (opened.outcome === 'unsupported' && kind === 'standalone' && !everOpened) return;
          failAll(kind === 'standalone' ? asMcpError(opened.error)
            : new McpError(LocalErrorCode.Resume, `cannot resume ${describe()}: ${opened.error.message}`, { cause: opened.error }), true);
          return;
        }
        connection = opened;
        everOpened = true;
      }
      const { progressed, error, endedOnDropped } = await read(connection);
      connection = undefined;
      if (stopped || done()) return;
      if (progressed) attempts = 0;
      if (kind !== 'standalone' && awaiting.size === 0) return; // a stream that carried no request
      if (kind !== 'standalone' && endedOnDropped) {
        // The server ended the stream right behind an event too large to read: that was the
        // response (the server ends a POST stream after it), and a resume would only replay it.
        failAll(new McpError(LocalErrorCode.MessageTooLarge, `${describe()} ended right after an event over the limit of ${deps.maxEventBytes} bytes (maxEventBytes): its response cannot be read`, { cause: endedOnDropped }), false);
        return;
      }
      if (kind !== 'standalone' && lastEventId === undefined) {
        // 2025-11-25 basic/transports: resumption needs Last-Event-ID; without any event id
        // there is no position to resume from.
        failAll(new McpError(LocalErrorCode.Resume, `${describe()} ended before the response arrived and carried no event id, so it cannot be resumed`, { cause: error }), false);
        return;
      }
      lastError = error ?? new McpError(LocalErrorCode.Resume, `the server ended ${describe()} before it was complete`);
    }
  }

  function stop(reason: McpError): void {
    stopped = true;
    waiting?.abort(reason);
    current?.abort(reason);
  }

  return {
    kind,
    get lastEventId() {
      return lastEventId;
    },
    awaiting,
    async run(first) {
      try {
        await run(first);
      } catch (error) {
        // A bug here must not leave requests hanging: fail them loudly.
        if (!stopped) failAll(new McpError(LocalErrorCode.Resume, `${describe()} failed: ${asError(error).message}`, { cause: error }), true);
      } finally {
        // Only a connection still open is left to abort: on success the body ended by itself.
        if (current && !current.aborted) current.abort(new McpError(LocalErrorCode.Closed, 'stream ended'));
      }
    },
    abandon(id) {
      if (!awaiting.delete(id) || !done()) return;
      stop(new McpError(LocalErrorCode.Aborted, 'no request waits on this stream any more'));
    },
    stop() {
      stop(new McpError(LocalErrorCode.Closed, 'transport closed'));
    },
  };
}

function asMcpError(error: Error): McpError {
  return error instanceof McpError ? error : new McpError(LocalErrorCode.Http, error.message, { cause: error });
}
