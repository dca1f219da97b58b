/**
 * What `mcpwire serve` prints on stderr for the errors its server reports. Over stdio, a
 * client that stops reading (closes its end of our stdout: EPIPE) ends the connection; every
 * answer still owed then failed with one line each ("could not send the response to request
 * N", 50 lines for 50 pings in flight). The failure is said once, with how many answers it
 * dropped.
 */
import { LocalErrorCode, McpError } from 'mcpwire/protocol';

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
  process.stderr.write(`mcpwire serve: ${error.message}\n`);
}

/**
 * Serving over stdio: say once when stdout fails (the stdio transport closes on it). The
 * returned function, called as serving ends, says how many answers were dropped with it.
 */
export function watchStdout(): () => void {
  process.stdout.once('error', (error: Error) => {
    stdoutFailed = true;
    process.stderr.write(`mcpwire serve: stdout failed (${error.message}): the client stopped reading; the connection is over\n`);
  });
  return () => {
    if (unsent > 0) process.stderr.write(`mcpwire serve: ${unsent} answer${unsent === 1 ? '' : 's'} owed to the client could not be sent after stdout failed\n`);
  };
}
