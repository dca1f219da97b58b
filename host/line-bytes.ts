/**
 * Which lines of the host's input had bytes that are not UTF-8. readline decodes such bytes
 * as U+FFFD, the same character a person may type or paste on purpose (`EF BF BD` is valid
 * UTF-8): the decoded line alone cannot tell them apart, so the terminal refused both. This
 * reads the raw bytes ahead of readline and notes, line by line, whether any were invalid.
 */
import type { Readable } from 'node:stream';

/** Whether each line read had bytes that are not UTF-8, in readline's order. */
export interface LineBytes {
  /**
   * Whether the line readline just gave had invalid bytes. Called once per 'line' event:
   * readline splits at the same breaks (`\n`, `\r`, `\r\n`) this counts.
   */
  next(): boolean;
}

/**
 * Watch `input`'s bytes (call before readline listens, so this hears each chunk first). A
 * chunk that comes as a string was decoded already, by the stream, and counts as valid.
 */
export function watchLineBytes(input: Readable | NodeJS.ReadableStream): LineBytes {
  const lines: boolean[] = [];
  /** The line being read has had invalid bytes. */
  let bad = false;
  /** Continuation bytes the current sequence still needs, and the range the next one must be in. */
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  let lastCr = false;

  /** One byte of a UTF-8 decoder's state machine (RFC 3629 section 4's table of well-formed sequences). */
  function start(b: number): void {
    lo = 0x80;
    hi = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // a surrogate
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // past U+10FFFF
    } else bad = true;
  }

  function byte(b: number): void {
    if (need > 0) {
      if (b >= lo && b <= hi) {
        need--;
        lo = 0x80;
        hi = 0xbf;
        return;
      }
      bad = true; // cut short: the decoder replaces what came, and reads this byte afresh
      need = 0;
    }
    if (b === 0x0a || b === 0x0d) {
      // "\r\n" ends one line, as readline reads it.
      if (!(b === 0x0a && lastCr)) {
        lines.push(bad);
        bad = false;
      }
      lastCr = b === 0x0d;
      return;
    }
    lastCr = false;
    start(b);
  }

  const onData = (chunk: Buffer | string) => {
    if (typeof chunk === 'string') {
      for (const ch of chunk) byte(ch === '\n' ? 0x0a : ch === '\r' ? 0x0d : 0x41);
      return;
    }
    for (const b of chunk) byte(b);
  };
  // The input's end: a sequence left open is replaced, and the last line (no break) is read.
  const onEnd = () => {
    if (need > 0) bad = true;
    need = 0;
    lines.push(bad);
    bad = false;
  };
  input.prependListener('data', onData);
  input.prependListener('end', onEnd);

  return {
    next() {
      // None counted (a break readline saw and this did not, as "\r" and "\n" typed far apart):
      // the line being read decides.
      return lines.length > 0 ? lines.shift()! : bad;
    },
  };
}
