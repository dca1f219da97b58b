/**
 * A POST's SSE reply that arrived whole with its head (the server ended it before the client
 * looked: a quick call's reply is one write), read in one pass without an event stream
 * (client-streams.ts). What that saves per call is the stream object, its state machine,
 * its read loop and their promises; `--cpu-prof` of the bench client under row c put them
 * at ~4% of the process (bench/README.md, "Session 9: b-sse and c").
 *
 * It is taken only when it holds every awaited response and nothing in it needs the
 * stream's handling: otherwise (the server cut the stream before a response, an event was
 * over `maxEventBytes`, a line the decoder reports, a batch) its bytes are handed to the
 * stream unchanged, which reads them and resumes exactly as it would have (2025-11-25
 * basic/transports: resumability and redelivery).
 */
import { parseJson, type RequestId } from '../../protocol/index.ts';
import { responseIdOf } from '../../protocol/jsonrpc.ts';
import { createSseDecoder, type SseEvent } from '../sse/decode.ts';
import { decodeWholeSse } from '../sse/decode-whole.ts';
import type { ClientReply } from './client-exchange.ts';
import { bodyTextOf } from './client-response.ts';
import type { EventStreamInit } from './client-stream-types.ts';

/** What reading a whole reply needs from the transport. */
export interface WholeReplyDeps {
  readonly maxEventBytes: number;
  readonly maxJsonDepth: number;
  deliver(value: unknown, relatedRequestId: RequestId | undefined): void;
  reportError(error: Error): void;
}

/** One event of the reply: its message (when it carries one) and its id. */
interface ReadEvent {
  message: unknown;
  hasMessage: boolean;
  id: string | undefined;
}

/**
 * Read `reply`, whose whole body is `chunks`, and hand its messages up, then its event ids to
 * `init.onResumptionToken`, in stream order, as the stream would. Returns undefined when it
 * did; otherwise, having handed nothing up, a reply that gives the same bytes again, for the
 * stream to read. `init` is as the POST path makes it: `relatedRequestId` is set exactly when
 * the POST awaits one response.
 */
export function readWholeSseReply(deps: WholeReplyDeps, reply: ClientReply, init: EventStreamInit, chunks: readonly Uint8Array[]): ClientReply | undefined {
  const events = decodeWhole(chunks, deps.maxEventBytes, deps.maxJsonDepth);
  if (events === undefined || !answersAll(events, init)) return replay(reply, chunks);
  const related = init.relatedRequestId;
  const onToken = init.onResumptionToken;
  for (const event of events) {
    if (event.hasMessage) deps.deliver(event.message, related);
    // As the stream does: a token is told only after its event's message was handed up.
    if (event.id !== undefined && event.id !== '' && onToken) {
      try {
        onToken(event.id);
      } catch (error) {
        deps.reportError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  return undefined;
}

/** One event as the whole-reply path hands it up: its JSON-RPC message parsed when it has one. */
function readEvent(event: SseEvent, maxJsonDepth: number): ReadEvent {
  // SSE: an event of another type carries no JSON-RPC message; its id still counts.
  const hasMessage = event.data !== '' && (event.event === undefined || event.event === 'message');
  return { message: hasMessage ? parseJson(event.data, maxJsonDepth) : undefined, hasMessage, id: event.id };
}

/**
 * The reply's events, or undefined when the decoder reported anything (the stream reports it).
 * A body within `maxEventBytes` (so no event of it is over the limit) in the usual form is
 * read in one pass (decode-whole.ts); any other goes through the streaming decoder.
 */
function decodeWhole(chunks: readonly Uint8Array[], maxEventBytes: number, maxJsonDepth: number): ReadEvent[] | undefined {
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  if (total <= maxEventBytes) {
    const text = bodyTextOf(chunks, maxEventBytes);
    // Text that holds U+FFFD may hold bytes that are not UTF-8: the decoder checks them.
    const simple = text.indexOf('\uFFFD') === -1 ? decodeWholeSse(text) : undefined;
    if (simple !== undefined) return simple.map((event) => readEvent(event, maxJsonDepth));
  }
  const events: ReadEvent[] = [];
  let clean = true;
  const decoder = createSseDecoder({
    maxBufferBytes: maxEventBytes,
    onEvent: (event: SseEvent) => {
      events.push(readEvent(event, maxJsonDepth));
    },
    onError: () => {
      clean = false;
    },
    onNotUtf8: () => {
      clean = false; // the stream refuses it
    },
  });
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return clean ? events : undefined;
}

/**
 * True when `events` answer every id the POST awaits (`init.relatedRequestId` when it is one,
 * compared without a set) and hold no batch.
 */
function answersAll(events: readonly ReadEvent[], init: EventStreamInit): boolean {
  const only = init.relatedRequestId;
  const missing = only === undefined ? new Set(init.awaiting ?? []) : undefined;
  let answered = false;
  for (const { message, hasMessage } of events) {
    if (!hasMessage) continue;
    if (Array.isArray(message)) return false; // batches are refused or settled by the stream
    const id = responseIdOf(message);
    if (id === undefined) continue;
    if (missing) missing.delete(id);
    else if (id === only) answered = true;
  }
  return missing ? missing.size === 0 : answered;
}

/** A reply that hands `chunks` over again, then ends. */
function replay(reply: ClientReply, chunks: readonly Uint8Array[]): ClientReply {
  return {
    status: reply.status,
    statusText: reply.statusText,
    header: (name) => reply.header(name),
    stream(onChunk) {
      let at = 0;
      const next = (): Promise<void> => {
        try {
          while (at < chunks.length) {
            const wait = onChunk(chunks[at++] as Uint8Array);
            if (wait !== undefined) return Promise.resolve(wait).then(next); // the consumer's backpressure
          }
        } catch (error) {
          return Promise.reject(error);
        }
        return Promise.resolve();
      };
      return next();
    },
  };
}
