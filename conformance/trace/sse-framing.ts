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

/** Framing for one SSE body; `onEvent` gets each event that carries data. */
export function sseFraming(onEvent: (event: EventSourceMessage) => void): Framing {
  const parser = createParser({ onEvent: (e) => { if (e.data !== '') onEvent(e); } });
  let decoder = new TextDecoder();
  let discarding = false;
  return {
    countEnds: (chunk) => count(chunk, LF2) + count(chunk, CRLF2),
    endsAtBoundary: (chunk) => chunk.length === 0 || endsWith(chunk, LF2) || endsWith(chunk, CRLF2),
    analyse: (chunk, resync) => {
      if (resync) {
        parser.reset();
        decoder = new TextDecoder();
        discarding = resync.midFrame;
      }
      let text = decoder.decode(chunk, { stream: true });
      if (discarding) {
        const at = boundaryEnd(text);
        if (at === -1) return;
        text = text.slice(at);
        discarding = false;
      }
      parser.feed(text);
    },
    end: () => { /* an event with no blank line after it is not dispatched (SSE) */ },
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

/** Where the text after the first event boundary starts, or -1. */
function boundaryEnd(text: string): number {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return -1;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
  return lf + 2;
}
