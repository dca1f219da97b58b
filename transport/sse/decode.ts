/**
 * Server-Sent Events decoder: bytes in, events out. Field parsing is eventsource-parser's
 * (HTML Living Standard, "Server-sent events", event stream interpretation); this module adds
 * what a network client needs around it:
 *
 * - UTF-8 stream decoding, so a multibyte character split between chunks arrives whole, and
 *   a byte order mark is dropped only at the very start of the stream. A chunk is decoded in
 *   one step; the few bytes of a character cut by its end are carried to the next.
 * - With `onNotUtf8`, events whose bytes are not UTF-8 are refused rather than decoded with
 *   U+FFFD ("JSON-RPC messages MUST be UTF-8 encoded", 2025-11-25 basic/transports). Only a
 *   text holding U+FFFD has its bytes checked (an invalid byte always decodes to it); only
 *   then is the chunk fed event by event, so the refusal names the event it belongs to.
 * - A bound on one event. The decoder finds event boundaries (blank lines, with LF, CR or CRLF
 *   line endings, also when the CRLF is split between chunks) in the bytes itself, counts the
 *   bytes since the last one, and drops an event that grows past `maxBufferBytes`: it reports
 *   the event, resets the parser, and discards input up to the next blank line. Memory stays
 *   bounded however long the event is.
 */
import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, positiveIntegerOption } from '../../protocol/limits.ts';
import { notUtf8In } from '../../protocol/utf8.ts';

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
   * Called instead of `onEvent` with an event that holds bytes that are not UTF-8: an
   * MCP_ERR_PROTOCOL error naming the first such byte and its offset in the stream (counted
   * from the start, or from the last `end()`), and the event as decoded with U+FFFD in their
   * place (to tell which request it answered; never to be used as the server's words).
   * Without it such events are delivered decoded with U+FFFD, as the SSE standard decodes.
   */
  onNotUtf8?: (error: McpError, lossy: SseEvent) => void;
  /**
   * Largest event, in bytes as framed on the wire (all its lines and line endings), that is
   * delivered; bounds the bytes buffered for one event. A positive integer (RangeError
   * otherwise, from `createSseDecoder`). Default 4 MiB.
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
 * Where the last character of `bytes[from, to)` starts when it is cut short (a lead byte
 * whose continuation bytes are in the next chunk), else `to`. Bytes no character can
 * continue are not carried: they decode to U+FFFD now.
 */
function cutAt(bytes: Uint8Array, from: number, to: number): number {
  const last = to - 1;
  if (last < from || (bytes[last] as number) < 0x80) return to;
  let lead = last;
  while (lead > from && lead > last - 3 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  const first = bytes[lead] as number;
  if (first < 0xc0) return to;
  return to - lead >= charLength(first) ? to : lead;
}

/** The length a lead byte (0xC0 and up) announces. */
function charLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}

/** Decode whole UTF-8 characters; invalid bytes become U+FFFD, as TextDecoder does. */
function utf8(bytes: Uint8Array, from: number, to: number): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8', from, to);
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Create an SSE decoder (see the module comment). */
export function createSseDecoder(options: SseDecoderOptions): SseDecoder {
  // Checked here: 0 dropped every event, a string compared as text (RangeError naming it).
  const maxBytes = positiveIntegerOption('maxBufferBytes', options.maxBufferBytes, DEFAULT_MAX_MESSAGE_BYTES);
  const { onEvent, onError, onNotUtf8 } = options;
  const checking = onNotUtf8 !== undefined;
  const parser: EventSourceParser = createParser({
    onEvent(message) {
      const event: SseEvent = { data: message.data };
      if (message.id !== undefined) event.id = message.id;
      if (message.event !== undefined) event.event = message.event;
      if (refused !== undefined) onNotUtf8!(refused, event);
      else onEvent(event);
    },
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onComment ? { onComment: options.onComment } : {}),
    onError(error: ParseError) {
      onError(new McpError(LocalErrorCode.Protocol, `SSE: ${error.message}`, { cause: error }));
    },
  });

  /** The start of a character cut by the end of the last chunk, and its offset in the stream. */
  let carry: Uint8Array | undefined;
  let carryAt = 0;
  let atStart = true;
  /** Bytes pushed since the stream started: before the current chunk, and with it. */
  let chunkAt = 0;
  let streamAt = 0;
  /** Where events ended in the current chunk (offsets after their blank line). */
  const bounds: number[] = [];
  /** The refusal of the current event, once a byte of it was found not to be UTF-8. */
  let refused: McpError | undefined;
  /** The stream offset of the first invalid byte of the last {@link piece}, or -1, and that byte. */
  let bad = -1;
  let badByte = 0;
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

  /**
   * `chunk[from, to)` as text, after the carried start of a character; a character cut by
   * `to` is carried. With `check`, sets {@link bad} when the text holds U+FFFD.
   */
  function piece(chunk: Uint8Array, from: number, to: number, check: boolean): string {
    bad = -1;
    let head = '';
    if (carry !== undefined) {
      const need = charLength(carry[0] as number) - carry.length;
      let k = 0;
      while (k < need && from + k < to && ((chunk[from + k] as number) & 0xc0) === 0x80) k++;
      const bytes = joined(carry, chunk.subarray(from, from + k));
      if (k < need && from + k === to) {
        carry = bytes; // still cut short
        return '';
      }
      head = utf8(bytes, 0, bytes.length);
      const refused = check ? notUtf8In(head, bytes) : undefined;
      if (refused) {
        bad = carryAt + refused.offset;
        badByte = refused.byte;
      }
      carry = undefined;
      from += k;
    }
    const cut = cutAt(chunk, from, to);
    if (cut < to) {
      carry = chunk.slice(cut, to);
      carryAt = chunkAt + cut;
    }
    const body = utf8(chunk, from, cut);
    const refused = check && bad === -1 ? notUtf8In(body, chunk.subarray(from, cut)) : undefined;
    if (refused) {
      bad = chunkAt + from + refused.offset;
      badByte = refused.byte;
    }
    return head === '' ? body : head + body;
  }

  function give(text: string): void {
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) parser.feed(text);
  }

  function refusal(): McpError {
    const byte = badByte.toString(16).toUpperCase().padStart(2, '0');
    return new McpError(LocalErrorCode.Protocol, `SSE: an event is not valid UTF-8 (byte 0x${byte} at offset ${bad} of the stream); JSON-RPC messages must be UTF-8`);
  }

  function feed(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const savedCarry = carry;
    const savedAt = carryAt;
    const text = piece(chunk, from, to, checking);
    if (refused === undefined && bad === -1) give(text);
    else {
      // Event by event, so that the refusal goes with the event that holds the bad byte.
      carry = savedCarry;
      carryAt = savedAt;
      let a = from;
      if (lastFedCR) {
        // The parser holds a CR that may close the last event: let that event go first (an
        // LF, the next byte or not, completes the CR as one line ending).
        parser.feed('\n');
        if (chunk[a] === LF) a += 1;
      }
      for (const b of bounds) {
        if (b <= a || b > to) continue;
        feedPart(chunk, a, b, true);
        a = b;
      }
      if (a < to) feedPart(chunk, a, to, false);
    }
    lastFedCR = chunk[to - 1] === CR;
  }

  function feedPart(chunk: Uint8Array, from: number, to: number, closes: boolean): void {
    const text = piece(chunk, from, to, true);
    if (bad !== -1 && refused === undefined) refused = refusal();
    give(text);
    if (!closes) return;
    // The event is over: a blank line that ends in CR is held by the parser until the next
    // character; an LF completes it (one that follows in the stream is one more blank line).
    if (chunk[to - 1] === CR) parser.feed('\n');
    refused = undefined;
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
    carry = undefined;
    refused = undefined;
    atStart = false;
    onError(
      new McpError(LocalErrorCode.MessageTooLarge, `SSE event of at least ${bytesSeen} bytes exceeds the limit of ${maxBytes} bytes`),
    );
  }

  return {
    push(chunk) {
      chunkAt = streamAt;
      streamAt += chunk.length;
      bounds.length = 0;
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
        if (checking) bounds.push(at);
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
      carry = undefined;
      refused = undefined;
      streamAt = 0;
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
