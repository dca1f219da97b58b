/**
 * Keeping `process.stdout` for messages while a stdio server transport writes there.
 * 2025-11-25 basic/transports, stdio: the server MUST NOT write anything to its stdout that is
 * not a valid MCP message, and MAY write UTF-8 strings to stderr for logging. A tool's
 * `console.log` (or any library writing to stdout) would otherwise reach the client as a line
 * it cannot parse, or, worse, as a line that parses as a message. While guarded, every other
 * write to `process.stdout` goes to `process.stderr` as it is; the transport alone writes
 * through the original `write`.
 */

/** One holder's hold on `process.stdout`. */
export interface StdoutGuard {
  /** Write to the real stdout (the transport's messages). */
  write(text: string): boolean;
  /** Let go; the last holder puts `process.stdout.write` back. Idempotent. */
  release(): void;
}

type WriteFn = typeof process.stdout.write;

let holders = 0;
let original: WriteFn | undefined;
let hadOwnWrite = false;

/** Everything but the transport's messages: to stderr, with the caller's encoding and callback. */
function toStderr(this: unknown, ...args: unknown[]): boolean {
  return Reflect.apply(process.stderr.write, process.stderr, args) as boolean;
}

/** Hold `process.stdout` for messages until released (held by reference count: two transports share one guard). */
export function guardProcessStdout(): StdoutGuard {
  const stdout = process.stdout;
  if (holders === 0) {
    hadOwnWrite = Object.hasOwn(stdout, 'write');
    original = stdout.write;
    stdout.write = toStderr as WriteFn;
  }
  holders++;
  const send = original!;
  let released = false;
  return {
    write: (text) => send.call(stdout, text),
    release() {
      if (released) return;
      released = true;
      if (--holders > 0) return;
      // Put back only our own replacement: someone who replaced it since keeps theirs.
      if (stdout.write === (toStderr as WriteFn)) {
        if (hadOwnWrite) stdout.write = send;
        else delete (stdout as { write?: WriteFn }).write;
      }
      original = undefined;
    },
  };
}
