/**
 * What the bytes of each line of the host's input were. readline decodes bytes that are not
 * UTF-8 as U+FFFD, the same character a person may type or paste on purpose (`EF BF BD` is
 * valid UTF-8): the decoded line alone cannot tell them apart, so the terminal refused both.
 * This keeps each line's raw bytes, heard ahead of readline, and judges them whole with
 * Node's `buffer.isUtf8` (a sequence split across chunks is one sequence there).
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

/** What one line's bytes were. */
export interface LineVerdict {
  /** Every byte of the line was UTF-8. */
  utf8: boolean;
  /**
   * How many U+FFFD came as their own valid bytes (`EF BF BD`): typed or pasted on purpose.
   * On a terminal a line's bytes hold what was deleted too (Ctrl+U, Backspace), so the line
   * readline gives is judged against this count rather than against `utf8` alone.
   */
  realReplacements: number;
}

/** What each line read had for bytes, in readline's order. */
export interface LineBytes {
  /**
   * The bytes of the line readline just gave. Called once per 'line' event: readline splits
   * at the same breaks (`\n`, `\r`, `\r\n`) this does.
   */
  next(): LineVerdict;
}

const REPLACEMENT = '\uFFFD';
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT, 'utf8');

/** How many times `text` (a decoded line, or a line's bytes) holds U+FFFD. */
export function countReplacements(text: string | Buffer): number {
  // Both hold `indexOf(needle, from)`; the needle matches the haystack's kind.
  const find = typeof text === 'string'
    ? (from: number) => text.indexOf(REPLACEMENT, from)
    : (from: number) => text.indexOf(REPLACEMENT_BYTES, from);
  let count = 0;
  for (let at = find(0); at !== -1; at = find(at + 1)) count++;
  return count;
}

function verdict(bytes: Buffer): LineVerdict {
  return { utf8: isUtf8(bytes), realReplacements: countReplacements(bytes) };
}

/**
 * Watch `input`'s bytes (call before readline listens, so this hears each chunk first). A
 * chunk that comes as a string was decoded already, by the stream, and counts as valid.
 */
export function watchLineBytes(input: Readable | NodeJS.ReadableStream): LineBytes {
  const lines: LineVerdict[] = [];
  /** The pieces of the line being read (its bytes so far). */
  let current: Buffer[] = [];
  let lastCr = false;

  const endLine = () => {
    lines.push(verdict(Buffer.concat(current)));
    current = [];
  };

  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b !== 0x0a && b !== 0x0d) continue;
      // "\r\n" ends one line, as readline reads it (the "\n" right after the "\r", even in the next chunk).
      const crlf = b === 0x0a && lastCr && i === from;
      // A break byte is never inside a UTF-8 sequence, so cutting here cuts no character.
      current.push(bytes.subarray(from, i));
      from = i + 1;
      if (!crlf) endLine();
      lastCr = b === 0x0d;
    }
    if (from < bytes.length) {
      current.push(bytes.subarray(from));
      lastCr = false;
    }
  };
  // The input's end: the last line (no break) is read, a sequence left open in it included.
  const onEnd = () => endLine();
  input.prependListener('data', onData);
  input.prependListener('end', onEnd);

  return {
    next() {
      // None counted (a break readline saw and this did not, as "\r" and "\n" typed far apart):
      // the line being read decides.
      return lines.shift() ?? verdict(Buffer.concat(current));
    },
  };
}
