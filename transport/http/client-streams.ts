/**
 * One SSE stream of the HTTP client transport, across all the connections it takes: the
 * response to a POST, the standalone GET stream, or a stream resumed from a stored token.
 * It reads events, remembers the last event id and the server's `retry`, and when the
 * connection ends early it reconnects with `GET` + `Last-Event-ID`, until the responses it
 * carries have arrived or the reconnect policy gives up (2025-11-25 basic/transports:
 * resumability and redelivery; SEP-1699 polling).
 */
import { LocalErrorCode, McpError, parseJson, type RequestId, type Timers } from '../../protocol/index.ts';
import { readSseStream, type SseEvent } from '../sse/decode.ts';
import { chunksUntilAborted, httpErrorFrom, isRetryableStatus, mediaTypeOf } from './client-response.ts';
import { waitUnlessAborted, type ReconnectPolicy } from './reconnect.ts';

/** Which kind of stream: it decides when the stream is done and how failures are reported. */
export type StreamKind = 'post' | 'standalone' | 'resume';

/** What a stream needs from the transport that owns it. */
export interface StreamDeps {
  /** Send `GET` for this stream, with `Last-Event-ID` when `lastEventId` is given. */
  get(lastEventId: string | undefined, signal: AbortSignal): Promise<Response>;
  /** Hand one parsed message (or an UnparsablePayload) up. */
  deliver(value: unknown, relatedRequestId: RequestId | undefined): void;
  /** The response to `id` can no longer arrive. */
  requestFailed(id: RequestId, error: Error): void;
  reportError(error: Error): void;
  policy: ReconnectPolicy;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  maxEventBytes: number;
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

/** An open connection of the stream: its response, and the controller that aborts it. */
export interface StreamConnection {
  response: Response;
  controller: AbortController;
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

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

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
  const stopController = new AbortController();
  let current: AbortController | undefined;

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
  function onEvent(event: SseEvent, connection: AbortController): boolean {
    let progressed = false;
    // SSE: events of a type other than the default carry no JSON-RPC message; their id
    // still moves the stream's position.
    if (event.data !== '' && (event.event === undefined || event.event === 'message')) {
      progressed = true;
      const value = parseJson(event.data);
      for (const item of Array.isArray(value) ? value : [value]) {
        const answered = isResponseTo(item, awaiting);
        if (answered !== undefined) awaiting.delete(answered);
      }
      deps.deliver(value, relatedRequestId);
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
    // The server normally ends it right behind the response: let that end be read (an
    // abort costs more than the read, and can cost the connection), and abort only a
    // stream still open a moment later.
    if (done()) {
      deps.timers.setTimeout(() => {
        if (current === connection) connection.abort(new McpError(LocalErrorCode.Closed, 'stream complete'));
      }, 0);
    }
    return progressed;
  }

  async function read(connection: StreamConnection): Promise<{ progressed: boolean; error?: Error }> {
    let progressed = false;
    const { response, controller } = connection;
    if (!response.body) return { progressed };
    try {
      await readSseStream(chunksUntilAborted(response.body, controller.signal, (e) => deps.reportError(asError(e))), {
        maxBufferBytes: deps.maxEventBytes,
        onEvent(event) {
          if (onEvent(event, controller)) progressed = true;
        },
        onRetry(ms) {
          retryMs = ms;
        },
        onComment() {
          // keep-alives: nothing to do
        },
        onError: (error) => deps.reportError(error),
      });
      // The body ended by itself: nothing is left to abort.
      if (!controller.signal.aborted && current === controller) current = undefined;
      return { progressed };
    } catch (error) {
      if (controller.signal.aborted) return { progressed };
      return { progressed, error: asError(error) };
    }
  }

  async function open(): Promise<Opened> {
    const controller = new AbortController();
    current = controller;
    let response: Response;
    try {
      response = await deps.get(lastEventId, controller.signal);
    } catch (error) {
      return { outcome: 'retry', error: new McpError(LocalErrorCode.Http, `GET to resume ${describe()} failed: ${asError(error).message}`, { cause: error }) };
    }
    if (response.ok && mediaTypeOf(response) === 'text/event-stream') return { response, controller };
    if (response.ok) {
      await response.body?.cancel().catch((e: unknown) => deps.reportError(asError(e)));
      return { outcome: 'fatal', error: new McpError(LocalErrorCode.Protocol, `GET for ${describe()} answered ${mediaTypeOf(response) || 'no content type'}, not text/event-stream`) };
    }
    const error = await httpErrorFrom(response, `GET for ${describe()}`);
    // 2025-11-25 basic/transports: 405 means the server offers no GET stream.
    if (response.status === 405) return { outcome: 'unsupported', error };
    return { outcome: isRetryableStatus(response.status) ? 'retry' : 'fatal', error };
  }

  async function run(first?: StreamConnection): Promise<void> {
    let attempts = 0;
    let lastError: Error | undefined;
    let connection = first;
    let immediate = first === undefined;
    let everOpened = first !== undefined;
    if (first) current = first.controller;
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
          if (!(await waitUnlessAborted(delay, deps.timers, stopController.signal))) return;
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
      const { progressed, error } = await read(connection);
      connection = undefined;
      if (stopped || done()) return;
      if (progressed) attempts = 0;
      if (kind !== 'standalone' && awaiting.size === 0) return; // a stream that carried no request
      if (kind !== 'standalone' && lastEventId === undefined) {
        // 2025-11-25 basic/transports: resumption needs Last-Event-ID; without any event id
        // there is no position to resume from.
        failAll(new McpError(LocalErrorCode.Resume, `${describe()} ended before the response arrived and carried no event id, so it cannot be resumed`, { cause: error }), false);
        return;
      }
      lastError = error ?? new McpError(LocalErrorCode.Resume, `the server ended ${describe()} before it was complete`);
    }
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
        if (current && !current.signal.aborted) current.abort(new McpError(LocalErrorCode.Closed, 'stream ended'));
        stopController.abort();
      }
    },
    abandon(id) {
      if (!awaiting.delete(id) || !done()) return;
      stopped = true;
      stopController.abort();
      current?.abort(new McpError(LocalErrorCode.Aborted, 'no request waits on this stream any more'));
    },
    stop() {
      stopped = true;
      stopController.abort();
      current?.abort(new McpError(LocalErrorCode.Closed, 'transport closed'));
    },
  };
}

function asMcpError(error: Error): McpError {
  return error instanceof McpError ? error : new McpError(LocalErrorCode.Http, error.message, { cause: error });
}
