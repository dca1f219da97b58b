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
  /** No more lines: whatever is pending is not a message. */
  end(): void;
  /** Messages with embedded newlines, as the joined text. */
  readonly embedded: readonly string[];
  /** Lines that are not JSON-RPC messages. */
  readonly stray: readonly string[];
}

/** Most lines held while waiting for a multi-line message to close. */
export const MAX_PENDING_LINES = 200;

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
  let pending: string[] = [];
  const flush = () => {
    stray.push(...pending.filter((l) => l.trim() !== ''));
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
        embedded.push(joined);
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
    end: flush,
    embedded,
    stray,
  };
}
