/**
 * SSE framing for the HTTP tracer (2025-11-25 basic/transports: Streamable HTTP streams
 * messages as SSE events): each event's data goes to `onData`, read after the bytes were
 * passed on. After a gap (chunks left unanalysed) the parser starts again at the next
 * event boundary.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Framing } from './deferred-stream.ts';

const LF2 = Buffer.from('\n\n');
const CRLF2 = Buffer.from('\r\n\r\n');

/** The bound on one event, and where an event over it is told (its size, in characters). */
export interface SseEventLimit {
  maxEventChars: number;
  onOversize(chars: number): void;
}

/**
 * Framing for one SSE body; `onEvent` gets each event that carries data. With `limit`, an event
 * that grows past it is not parsed further: it is passed over to its boundary and its size told
 * (the parser held an endless event whole: the tracer grew as long as such a stream ran).
 */
export function sseFraming(onEvent: (event: EventSourceMessage) => void, limit?: SseEventLimit): Framing {
  const parser = createParser({ onEvent: (e) => { if (e.data !== '') onEvent(e); } });
  let decoder = new TextDecoder();
  let discarding = false;
  /** Characters since the last event boundary: the event being read. */
  let open = 0;
  /** While an event over the limit is passed over: its size so far (undefined for a gap's discard). */
  let cut: number | undefined;
  const feed = (input: string) => {
    let text = input;
    if (discarding) {
      const at = boundaryEnd(text);
      if (at === -1) {
        if (cut !== undefined) cut += text.length;
        return;
      }
      if (cut !== undefined) limit?.onOversize(cut + at);
      cut = undefined;
      text = text.slice(at);
      discarding = false;
      open = 0;
    }
    const last = lastBoundaryEnd(text);
    open = last === -1 ? open + text.length : text.length - last;
    if (limit && open > limit.maxEventChars) {
      if (last !== -1) parser.feed(text.slice(0, last)); // the events that did end
      parser.reset();
      discarding = true;
      cut = open;
      open = 0;
      return;
    }
    parser.feed(text);
  };
  return {
    countEnds: (chunk) => count(chunk, LF2) + count(chunk, CRLF2),
    endsAtBoundary: (chunk) => chunk.length === 0 || endsWith(chunk, LF2) || endsWith(chunk, CRLF2),
    analyse: (chunk, resync) => {
      if (resync) {
        parser.reset();
        decoder = new TextDecoder();
        discarding = resync.midFrame;
        cut = undefined;
        open = 0;
      }
      feed(decoder.decode(chunk, { stream: true }));
    },
    end: () => {
      // An event with no blank line after it is not dispatched (SSE); one cut for its size is told.
      if (cut !== undefined) limit?.onOversize(cut);
      cut = undefined;
    },
  };
}

function count(chunk: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = chunk.indexOf(needle); at !== -1; at = chunk.indexOf(needle, at + needle.length)) n++;
  return n;
}

function endsWith(chunk: Buffer, tail: Buffer): boolean {
  return chunk.length >= tail.length && chunk.subarray(chunk.length - tail.length).equals(tail);
}

/** Where the text after the last event boundary starts, or -1. */
function lastBoundaryEnd(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4);
}

/** Where the text after the first event boundary starts, or -1. */
function boundaryEnd(text: string): number {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
  return lf + 2;
}
