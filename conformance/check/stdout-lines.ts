/**
 * Sorting a stdio server's stdout lines (2025-11-25 basic/transports: stdio): each line must be
 * one whole JSON-RPC message. A run of lines that only parses joined is a message with embedded
 * newlines (pretty-printed JSON); a line that never parses is something other than a message
 * (a log line on stdout).
 */

/** What the classifier found on stdout. */
export interface StdoutLines {
  /** Feed one line (without its newline). */
  push(line: string): void;
  /** A line too long to be read was passed over (see {@link splitLines}): it is not a message. */
  overlong(maxChars: number): void;
  /** No more lines: whatever is pending is not a message. */
  end(): void;
  /** Messages with embedded newlines, as the joined text: the first {@link EXAMPLES_KEPT}. */
  readonly embedded: readonly string[];
  readonly embeddedCount: number;
  /** Lines that are not JSON-RPC messages: the first {@link EXAMPLES_KEPT}. */
  readonly stray: readonly string[];
  readonly strayCount: number;
}

/** Most lines held while waiting for a multi-line message to close. */
export const MAX_PENDING_LINES = 200;
/** Examples kept of each finding (the rest are counted): a server logging to stdout for minutes must not fill the check. */
const EXAMPLES_KEPT = 5;

function parses(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** A classifier that hands each whole message to `onMessage` (also those that had to be joined). */
export function classifyStdout(onMessage: (m: Record<string, unknown>) => void): StdoutLines {
  const embedded: string[] = [];
  const stray: string[] = [];
  let strayCount = 0;
  let embeddedCount = 0;
  let pending: string[] = [];
  const strayLine = (line: string) => {
    strayCount += 1;
    if (stray.length < EXAMPLES_KEPT) stray.push(line);
  };
  const flush = () => {
    for (const line of pending) if (line.trim() !== '') strayLine(line);
    pending = [];
  };
  return {
    push(line) {
      // A message may start after stray lines: try each pending suffix joined with this line.
      for (let i = 0; i < pending.length; i++) {
        const joined = [...pending.slice(i), line].join('\n');
        const m = parses(joined);
        if (!m) continue;
        pending = pending.slice(0, i);
        flush();
        embeddedCount += 1;
        if (embedded.length < EXAMPLES_KEPT) embedded.push(joined);
        onMessage(m);
        return;
      }
      const m = parses(line);
      if (m) {
        flush();
        onMessage(m);
        return;
      }
      pending.push(line);
      if (pending.length > MAX_PENDING_LINES) flush();
    },
    overlong(maxChars) {
      flush();
      strayLine(`(a line of more than ${maxChars} characters, not read)`);
    },
    end: flush,
    embedded,
    stray,
    get embeddedCount() { return embeddedCount; },
    get strayCount() { return strayCount; },
  };
}

/**
 * Cut stdout text into lines for `lines`. A line longer than `maxChars` is not kept: it is
 * passed over to its newline and counted as not a message (a server writing an endless line
 * grew the check's buffer, and each chunk re-split it whole).
 */
export function splitLines(lines: StdoutLines, maxChars: number): { push(chunk: string): void; end(): void } {
  let partial = '';
  let skipping = false;
  return {
    push(chunk) {
      let from = 0;
      for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', from)) {
        const line = partial + chunk.slice(from, at);
        partial = '';
        from = at + 1;
        if (skipping) skipping = false;
        else if (line.length > maxChars) lines.overlong(maxChars);
        else lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      if (skipping) return;
      partial += chunk.slice(from);
      if (partial.length > maxChars) {
        partial = '';
        skipping = true;
        lines.overlong(maxChars);
      }
    },
    end() {
      if (!skipping && partial !== '') lines.push(partial);
      partial = '';
      lines.end();
    },
  };
}
