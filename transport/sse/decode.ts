/**
 * Server-Sent Events decoder: bytes in, events out. Field parsing is eventsource-parser's
 * (HTML Living Standard, "Server-sent events", event stream interpretation); this module adds
 * what a network client needs around it:
 *
 * - UTF-8 stream decoding, so a multibyte character split between chunks arrives whole, and
 *   a byte order mark is dropped only at the very start of the stream. A chunk that ends on
 *   a character boundary (nearly all) is decoded in one step; a streaming TextDecoder is made
 *   only for a character split between chunks, and kept until the split is resolved.
 * - A bound on one event. The decoder finds event boundaries (blank lines, with LF, CR or CRLF
 *   line endings, also when the CRLF is split between chunks) in the bytes itself, counts the
 *   bytes since the last one, and drops an event that grows past `maxBufferBytes`: it reports
 *   the event, resets the parser, and discards input up to the next blank line. Memory stays
 *   bounded however long the event is.
 */
import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../protocol/limits.ts';

/** One decoded event. Fields absent from the stream are absent here. */
export interface SseEvent {
  /**
   * The event's own `id` field, when it had one. The SSE rules make the last id seen the
   * stream's cursor (`Last-Event-ID`), and an empty id clears it; that bookkeeping is the
   * caller's.
   */
  id?: string;
  /** The `event` field, when it had one (the standard's default type is `message`). */
  event?: string;
  /** The `data` lines, joined with LF. Empty for a priming event (2025-11-25). */
  data: string;
}

/** Options of {@link createSseDecoder}. */
export interface SseDecoderOptions {
  /**
   * Called with each complete event that has at least one `data` line. Callbacks should not
   * throw: an error thrown by one propagates out of `push()`, and the decoder must then be
   * discarded ({@link readSseStream} cancels the body).
   */
  onEvent: (event: SseEvent) => void;
  /** Called with each valid `retry` field: the reconnection delay in ms. */
  onRetry?: (ms: number) => void;
  /** Called with the text of each comment line (after `:` and one optional space). */
  onComment?: (text: string) => void;
  /**
   * Called for input the decoder skips; decoding goes on after it. The error is an McpError:
   * - MCP_ERR_MESSAGE_TOO_LARGE: an event grew past `maxBufferBytes` and was dropped.
   * - MCP_ERR_PROTOCOL: a line the SSE rules ignore (unknown field, invalid `retry`); the
   *   parser's ParseError is the `cause`.
   */
  onError: (error: McpError) => void;
  /**
   * Largest event, in bytes as framed on the wire (all its lines and line endings), that is
   * delivered; bounds the bytes buffered for one event. Default 4 MiB.
   */
  maxBufferBytes?: number;
}

/** A push decoder of SSE bytes. */
export interface SseDecoder {
  /** Feed the next chunk of the stream. Callbacks run synchronously, in stream order. */
  push(chunk: Uint8Array): void;
  /**
   * The stream ended. An event without its closing blank line is discarded, as the SSE rules
   * say, and the decoder is ready for a new stream (e.g. the response of a reconnection).
   */
  end(): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * True when `bytes[from, to)` ends with a whole UTF-8 character (or with bytes no character
 * can continue). False when its last character may continue in the next chunk, and when
 * that cannot be told from these bytes alone (only continuation bytes at the end).
 */
function endsOnCharacter(bytes: Uint8Array, from: number, to: number): boolean {
  const last = to - 1;
  if (last < from || (bytes[last] as number) < 0x80) return true;
  let lead = last;
  while (lead > from && lead > last - 3 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  const first = bytes[lead] as number;
  if ((first & 0xc0) === 0x80) return false;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return to - lead >= length;
}

/** Decode whole UTF-8 characters; invalid bytes become U+FFFD, as TextDecoder does. */
function utf8(bytes: Uint8Array, from: number, to: number): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8', from, to);
}

/** Create an SSE decoder (see the module comment). */
export function createSseDecoder(options: SseDecoderOptions): SseDecoder {
  const maxBytes = options.maxBufferBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const { onEvent, onError } = options;
  const parser: EventSourceParser = createParser({
    onEvent(message) {
      const event: SseEvent = { data: message.data };
      if (message.id !== undefined) event.id = message.id;
      if (message.event !== undefined) event.event = message.event;
      onEvent(event);
    },
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onComment ? { onComment: options.onComment } : {}),
    onError(error: ParseError) {
      onError(new McpError(LocalErrorCode.Protocol, `SSE: ${error.message}`, { cause: error }));
    },
  });

  // ignoreBOM: the standard strips one BOM at the start of the stream only; a fresh decoder
  // (after a dropped event, or a new stream) must not strip one again.
  let split: InstanceType<typeof TextDecoder> | undefined;
  /** `split` holds the start of a character whose end is in the next chunk. */
  let splitOpen = false;
  let atStart = true;
  // Boundary scanner state, carried across chunks: whether the current line is still empty,
  // and whether the last byte was a CR (so a following LF completes a CRLF, not a new line).
  let lineEmpty = true;
  let afterCR = false;
  /** Bytes of the current, unfinished event. */
  let pending = 0;
  /** True while dropping the rest of an oversize event, up to its blank line. */
  let discarding = false;
  /** The last byte fed to the parser was a CR, which it holds until it sees the next one. */
  let lastFedCR = false;

  function feed(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    let text: string;
    const whole = endsOnCharacter(chunk, from, to);
    if (whole && !splitOpen) text = utf8(chunk, from, to);
    else {
      split ??= new TextDecoder('utf-8', { ignoreBOM: true });
      text = split.decode(chunk.subarray(from, to), { stream: true });
      // A chunk that ends on a character boundary leaves the decoder holding nothing.
      splitOpen = !whole;
    }
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) parser.feed(text);
    lastFedCR = chunk[to - 1] === CR;
  }

  /**
   * Let the parser finish what it holds. It keeps a trailing CR unparsed until it knows
   * whether an LF follows; if that CR closed an event (CR line endings), a reset would lose
   * the event. An LF completes the CR either way.
   */
  function settle(): void {
    if (lastFedCR) parser.feed('\n');
    lastFedCR = false;
    parser.reset();
  }

  function dropEvent(bytesSeen: number): void {
    settle();
    // The dropped bytes may end inside a multibyte character; start decoding afresh.
    split = undefined;
    splitOpen = false;
    atStart = false;
    onError(
      new McpError(LocalErrorCode.MessageTooLarge, `SSE event of at least ${bytesSeen} bytes exceeds the limit of ${maxBytes} bytes`),
    );
  }

  return {
    push(chunk) {
      let segStart = 0; // start of the current event's bytes in this chunk
      let feedFrom = discarding ? -1 : 0; // start of bytes not yet fed to the parser
      let nextLF = chunk.indexOf(LF);
      let nextCR = chunk.indexOf(CR);
      let at = 0;
      while (nextLF !== -1 || nextCR !== -1) {
        const t = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
        if (t > at) {
          lineEmpty = false;
          afterCR = false;
        }
        let boundary = false;
        if (chunk[t] === LF) {
          if (afterCR) afterCR = false;
          else {
            boundary = lineEmpty;
            lineEmpty = true;
          }
          nextLF = chunk.indexOf(LF, t + 1);
        } else {
          boundary = lineEmpty;
          lineEmpty = true;
          afterCR = true;
          nextCR = chunk.indexOf(CR, t + 1);
        }
        at = t + 1;
        if (!boundary) continue;
        // A blank line ends the event in [segStart, at).
        if (discarding) {
          discarding = false;
          feedFrom = at;
        } else if (pending + (at - segStart) > maxBytes) {
          feed(chunk, feedFrom, segStart);
          dropEvent(pending + (at - segStart));
          feedFrom = at;
        }
        pending = 0;
        segStart = at;
      }
      if (at < chunk.length) {
        lineEmpty = false;
        afterCR = false;
      }
      if (discarding) return;
      const rest = chunk.length - segStart;
      if (pending + rest > maxBytes) {
        feed(chunk, feedFrom, segStart);
        dropEvent(pending + rest);
        discarding = true;
        pending = 0;
        return;
      }
      feed(chunk, feedFrom, chunk.length);
      pending += rest;
    },
    end() {
      if (!discarding) settle();
      else parser.reset();
      lastFedCR = false;
      split = undefined;
      splitOpen = false;
      atStart = true;
      lineEmpty = true;
      afterCR = false;
      pending = 0;
      discarding = false;
    },
  };
}

/**
 * Decode a whole SSE body: feed every chunk to a new decoder with `handlers`, and resolve
 * when the body ends. A callback that throws stops the read: the body is cancelled and the
 * promise rejects with that error. A body that fails rejects with its error.
 */
export async function readSseStream(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  handlers: SseDecoderOptions,
): Promise<void> {
  const decoder = createSseDecoder(handlers);
  if (!('getReader' in body)) {
    // for-await calls the iterator's return() when the loop body throws.
    for await (const chunk of body) decoder.push(chunk);
    decoder.end();
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      try {
        decoder.push(value);
      } catch (error) {
        try {
          await reader.cancel(error);
        } catch (cancelError) {
          throw new AggregateError([error, cancelError], 'An SSE callback failed, and cancelling the body failed too');
        }
        throw error;
      }
    }
    decoder.end();
  } finally {
    reader.releaseLock();
  }
}
