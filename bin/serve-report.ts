/**
 * What `mcpwire serve` prints on stderr for the errors its server reports. Over stdio, a
 * client that stops reading (closes its end of our stdout: EPIPE) ends the connection; every
 * answer still owed then failed with one line each ("could not send the response to request
 * N", 50 lines for 50 pings in flight). The failure is said once, with how many answers it
 * dropped. Every line goes through {@link say}: a message may quote what a client sent (a
 * parse error quotes the line), and those bytes must not reach an operator's terminal raw.
 */
import { LocalErrorCode, McpError } from 'mcpwire/protocol';

/**
 * Control characters (C0 but tab, DEL, C1), line and paragraph separators, and bidirectional
 * overrides and isolates: what could move a terminal's cursor, retitle it, clear it, start a
 * new log line or reorder what the operator reads.
 */
const UNPRINTABLE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every {@link UNPRINTABLE} character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** Write `mcpwire serve: <text>` as one line of stderr, `text` made {@link printable}. */
export function say(text: string): void {
  process.stderr.write(`mcpwire serve: ${printable(text)}\n`);
}

let stdoutFailed = false;
let unsent = 0;

/** True for an answer that could not be sent because the connection had closed. */
function isUnsentAnswer(error: Error): boolean {
  return error.cause instanceof McpError && error.cause.code === LocalErrorCode.Closed;
}

/** Print `error` as `mcpwire serve: ...`, unless it is one more answer stdout's failure dropped. */
export function reportServeError(error: Error): void {
  if (stdoutFailed && isUnsentAnswer(error)) {
    unsent++;
    return;
  }
  say(error.message);
}

/**
 * Serving over stdio: say once when stdout fails (the stdio transport closes on it). The
 * returned function, called as serving ends, says how many answers were dropped with it.
 */
export function watchStdout(): () => void {
  process.stdout.once('error', (error: Error) => {
    stdoutFailed = true;
    say(`stdout failed (${error.message}): the client stopped reading; the connection is over`);
  });
  return () => {
    if (unsent > 0) process.stderr.write(`mcpwire serve: ${unsent} answer${unsent === 1 ? '' : 's'} owed to the client could not be sent after stdout failed\n`);
  };
}
