/**
 * Newline-delimited JSON framing for the stdio transport (basic/transports, stdio: messages
 * are delimited by newlines and MUST NOT contain embedded newlines).
 *
 * The decoder works on bytes: it finds each `\n` in the new chunk only (never re-scanning
 * what it has already seen), keeps the bytes of an unfinished line as a list of chunk views
 * and joins them once when the line ends, so a multibyte UTF-8 character split across
 * chunks is decoded whole. A line longer than the limit is reported once and its bytes are
 * dropped as they arrive, so memory stays bounded however long the line is.
 *
 * A line that is not UTF-8 (2025-11-25 basic/transports: "JSON-RPC messages MUST be UTF-8
 * encoded"; RFC 8259 section 8.1) goes to `onNotUtf8` when given. The fast path stays one
 * decode: only a line whose text holds U+FFFD has its bytes checked, since an invalid byte
 * always decodes to one (and a real U+FFFD, sent as EF BF BD, passes the check).
 */
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../protocol/limits.ts';
import { notUtf8In, type NotUtf8Error } from '../../protocol/utf8.ts';

/** Options of {@link createLineDecoder}. */
export interface LineDecoderOptions {
  /** Longest line, in bytes without its line ending, that is delivered. Default 4 MiB. */
  maxLineBytes?: number;
  /** Called with each complete, non-blank line, without its line ending. Should not throw. */
  onLine: (line: string) => void;
  /**
   * Called instead of `onLine` with a line whose bytes are not UTF-8: the error names its
   * first bad byte and that byte's offset in the line; `lossy` is the line decoded with U+FFFD
   * for its bad bytes, to read who sent it. Without this option such a line goes to `onLine`
   * as `lossy`.
   */
  onNotUtf8?: (error: NotUtf8Error, lossy: string) => void;
  /**
   * Called once per line that grows past `maxLineBytes`, as soon as that is known, with the
   * number of bytes of it seen so far. The rest of that line is discarded up to its `\n`.
   */
  onOversize?: (bytesSeen: number) => void;
  /**
   * Called with every byte of a line over `maxLineBytes`, in order, in pieces (the bytes held
   * when the limit was crossed, then the rest as it arrives), so a caller can scan what it
   * cannot keep. Without it the bytes are dropped unseen.
   */
  onOversizeBytes?: (bytes: Uint8Array) => void;
  /** Called when a line over the limit ended (its `\n`, or the end of input), with its length. */
  onOversizeEnd?: (bytesSeen: number) => void;
}

/** A push decoder of newline-delimited lines. */
export interface LineDecoder {
  /**
   * Feed the next chunk. The decoder may keep views of the chunk until its line ends, so
   * the caller must not reuse the chunk's memory (Node stream chunks are never reused).
   */
  push(chunk: Uint8Array): void;
  /** The input ended: deliver a final line that had no `\n`, and forget all state. */
  end(): void;
  /** Bytes of the unfinished line held now (at most `maxLineBytes + 1`). */
  readonly bufferedBytes: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** A line is blank when it holds nothing but JSON whitespace (RFC 8259 section 2). */
const BLANK = /^[ \t\r\n]*$/;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** Create a decoder that turns byte chunks into lines (see the module comment). */
export function createLineDecoder(options: LineDecoderOptions): LineDecoder {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const { onLine, onNotUtf8, onOversize, onOversizeBytes, onOversizeEnd } = options;
  // ignoreBOM keeps a U+FEFF the decoder would otherwise strip from every line; only the
  // one at the very start of the stream is removed, below.
  const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let discarding = false;
  /** Bytes of the oversize line being discarded, seen so far. */
  let discarded = 0;
  let atStart = true;

  function dropParts(): void {
    parts = [];
    partBytes = 0;
  }

  /** Deliver `bytes[begin, end)` as a line (a view is never made for the common case). */
  function emit(bytes: Uint8Array, begin: number, end: number): void {
    if (atStart) {
      atStart = false;
      if (end - begin >= 3 && bytes[begin] === 0xef && bytes[begin + 1] === 0xbb && bytes[begin + 2] === 0xbf) begin += 3;
    }
    if (end > begin && bytes[end - 1] === CR) end -= 1;
    if (end === begin) return;
    const line = decode(bytes, begin, end);
    // Only a line holding U+FFFD can hold a bad byte: the view of its bytes is made for that
    // line alone, not for every line (a Buffer view per line, ~400 instructions, bench h).
    if (onNotUtf8 && line.indexOf('\uFFFD') !== -1) {
      const refused = notUtf8In(line, bytes.subarray(begin, end), 'the line');
      if (refused) return onNotUtf8(refused, line);
    }
    // Only a line that starts with whitespace can be blank; JSON texts start with { or [.
    if (isSpace(line.charCodeAt(0)) && BLANK.test(line)) return;
    onLine(line);
  }

  function decode(bytes: Uint8Array, begin: number, end: number): string {
    // Node's chunks are Buffers, whose own UTF-8 decoding skips the TextDecoder's wrapper
    // (and a subarray view); both keep a U+FEFF and replace invalid bytes with U+FFFD.
    if (bytes instanceof Buffer) return bytes.toString('utf8', begin, end);
    return textDecoder.decode(bytes.subarray(begin, end));
  }

  /** A line is over the limit: `tail` is the part of it in the current chunk, so far. */
  function oversize(bytesSeen: number, tail: Uint8Array): void {
    atStart = false;
    onOversize?.(bytesSeen);
    if (onOversizeBytes) {
      for (const part of parts) onOversizeBytes(part);
      if (tail.length > 0) onOversizeBytes(tail);
    }
    dropParts();
    discarded = bytesSeen;
  }

  /** More bytes of the line being discarded. */
  function discard(bytes: Uint8Array): void {
    discarded += bytes.length;
    if (bytes.length > 0) onOversizeBytes?.(bytes);
  }

  function joinWith(tail: Uint8Array): Uint8Array {
    const all = new Uint8Array(partBytes + tail.length);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    all.set(tail, at);
    return all;
  }

  return {
    push(chunk) {
      let start = 0;
      while (start < chunk.length) {
        const lf = chunk.indexOf(LF, start);
        if (lf === -1) {
          if (discarding) {
            discard(chunk.subarray(start));
            return;
          }
          const rest = chunk.length - start;
          // One byte of slack: it may be the `\r` of a CRLF, which does not count.
          if (partBytes + rest > maxLineBytes + 1) {
            discarding = true;
            oversize(partBytes + rest, chunk.subarray(start));
            return;
          }
          parts.push(start === 0 ? chunk : chunk.subarray(start));
          partBytes += rest;
          return;
        }
        const next = lf + 1;
        if (discarding) {
          discarding = false;
          discard(chunk.subarray(start, lf));
          onOversizeEnd?.(discarded);
          start = next;
          continue;
        }
        let length = partBytes + (lf - start);
        const lastByte = lf > start ? chunk[lf - 1] : parts.at(-1)?.at(-1);
        if (lastByte === CR) length -= 1;
        if (length > maxLineBytes) {
          oversize(length, chunk.subarray(start, lf));
          onOversizeEnd?.(length);
          start = next;
          continue;
        }
        if (parts.length === 0) {
          emit(chunk, start, lf);
        } else {
          const bytes = joinWith(chunk.subarray(start, lf));
          dropParts();
          emit(bytes, 0, bytes.length);
        }
        start = next;
      }
    },

    end() {
      const pending = discarding || parts.length === 0 ? undefined : joinWith(new Uint8Array(0));
      const wasDiscarding = discarding;
      dropParts();
      discarding = false;
      if (pending) emit(pending, 0, pending.length);
      if (wasDiscarding) onOversizeEnd?.(discarded);
    },

    get bufferedBytes() {
      return partBytes;
    },
  };
}

/**
 * Frame one message as a line: `JSON.stringify(message) + '\n'`. JSON.stringify escapes
 * every newline inside strings, so the line never contains a raw one. Throws a TypeError
 * when the value cannot be serialised (a cycle, a BigInt, `undefined`).
 */
export function encodeLine(message: unknown): string {
  const text: unknown = JSON.stringify(message);
  if (typeof text !== 'string') throw new TypeError('message is not serialisable as JSON');
  return `${text}\n`;
}
