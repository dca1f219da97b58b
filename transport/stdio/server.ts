/**
 * The server side of the stdio transport (basic/transports, stdio): messages arrive on
 * stdin and leave on stdout, one JSON text per line. stdout carries nothing but messages;
 * diagnostics go to stderr.
 */
import type { Readable, Writable } from 'node:stream';
import {
  LocalErrorCode, McpError, parseJson,
  type JsonRpcMessage, type RequestId, type SendOptions, type TransportHandlers,
} from '../../protocol/index.ts';
import type { DisposableTransport } from '../disposable.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, positiveIntegerOption } from '../../protocol/limits.ts';
import { OversizePayload, UnparsablePayload, checkMaxJsonDepth } from '../../protocol/jsonrpc.ts';
import { createLineDecoder, encodeLine, type LineDecoder } from './framing.ts';
import { createOversizeScanner, type OversizeScanner } from './oversize-scan.ts';
import { createInflightLedger } from './inflight.ts';
import { createLineWriter, DEFAULT_STDIO_MAX_BUFFERED_BYTES } from './write.ts';
import { guardProcessStdout, type StdoutGuard } from './stdout-guard.ts';
import { asError } from '../../protocol/errors.ts';

export { DEFAULT_STDIO_MAX_BUFFERED_BYTES };

/** Options of {@link createStdioServerTransport}. */
export interface StdioServerTransportOptions {
  /** Where messages are read from. Default `process.stdin`. */
  stdin?: Readable;
  /** Where messages are written to; nothing else is ever written there. Default `process.stdout`. */
  stdout?: Writable;
  /** Longest inbound line in bytes; a longer one is dropped and reported. Default 4 MiB. */
  maxLineBytes?: number;
  /**
   * Deepest nesting of objects and arrays in an inbound message; a deeper request is answered
   * -32600 with its id, unprocessed. Default 512 (`DEFAULT_MAX_JSON_DEPTH`).
   */
  maxJsonDepth?: number;
  /**
   * Where human-readable diagnostics go: what no handler hears of (stdin ended with answers
   * unwritten). Whatever goes to `onError` is not repeated here. Default: `mcpwire: <text>\n` on stderr.
   */
  onDiagnostic?: (text: string) => void;
  /**
   * After stdin ends, how long (ms) the answers still being worked on may take before the
   * transport closes anyway (aborting their handlers). Default 30 000.
   */
  endGraceMs?: number;
  /**
   * Bytes of output waiting unread on stdout before reading stdin pauses; it resumes once
   * stdout drains. A client that sends requests but never reads the answers holds the server
   * at about this much instead of growing it without bound. Default 8 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * While the transport is open (from `start()` to its close), send to stderr whatever else
   * the process writes to `process.stdout`: a tool's `console.log`, `console.info`,
   * `console.debug`, `console.table`, a library's own output. stdio reserves stdout for MCP
   * messages (2025-11-25 basic/transports, stdio), so such a write would otherwise reach the
   * client as a line that is not a message. `process.stdout.write` is replaced for that time
   * and put back at close. Default true when `stdout` is `process.stdout` (the default);
   * `false` leaves stdout alone. With another `stdout` stream there is nothing to guard.
   *
   * Not covered: bytes written to file descriptor 1 itself. `fs.writeSync(1, ...)` (or
   * `process.stdout.fd`), and a child process spawned with `stdio: 'inherit'` (its stdout is
   * the same descriptor), still reach the client. Node 20 has no way to move fd 1 (no `dup2`)
   * without a native addon, and a write to a descriptor passes no JavaScript hook. Give such
   * code fd 2 instead: `fs.writeSync(2, ...)`, `spawn(cmd, args, { stdio: ['ignore', 2, 2] })`
   * or `['pipe', 'pipe', 'inherit']` and read the child's stdout yourself.
   */
  guardStdout?: boolean;
}

/** Default of {@link StdioServerTransportOptions.endGraceMs}. */
export const DEFAULT_END_GRACE_MS = 30_000;


function defaultDiagnostic(text: string): void {
  process.stderr.write(`mcpwire: ${text}\n`);
}

/**
 * Create the server side of a stdio transport. Each inbound line is parsed and handed to
 * `onMessage` (bytes that are not JSON arrive as an `UnparsablePayload`, which the session
 * answers with -32700; the transport itself never writes a reply). An oversize line is
 * reported on stderr and through `onError`, then handed up as an `OversizePayload` carrying
 * the request's id when it could be read (the session answers -32600); an oversize response
 * fails the request it answers. Reading continues with the next line.
 *
 * End of stdin (basic/transports, stdio: the client closes stdin to end the session) stops
 * reading; a last line without its newline is still delivered. Requests we sent that can no
 * longer be answered fail at once, and the transport closes once every request received has
 * been answered (or after `endGraceMs`). `close()` stops reading but leaves stdout open.
 */
export function createStdioServerTransport(options: StdioServerTransportOptions = {}): DisposableTransport {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const maxLineBytes = positiveIntegerOption('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_MESSAGE_BYTES);
  const maxJsonDepth = checkMaxJsonDepth(options.maxJsonDepth);
  const diagnostic = options.onDiagnostic ?? defaultDiagnostic;
  const endGraceMs = positiveIntegerOption('endGraceMs', options.endGraceMs, DEFAULT_END_GRACE_MS, 0);
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_STDIO_MAX_BUFFERED_BYTES;
  if (!(maxBufferedBytes >= 0)) throw new RangeError(`maxBufferedBytes must be a non-negative number, got ${maxBufferedBytes}`);
  const ledger = createInflightLedger();
  let handlers: TransportHandlers | undefined;
  let decoder: LineDecoder | undefined;
  let scanner: OversizeScanner | undefined;
  let closed = false;
  /** stdin ended: the transport closes once the ledger has no request left to answer. */
  let inputEnded = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Rejects the sends waiting for 'drain' when the transport closes. */
  const closeSignal = new AbortController();
  /** Held from start() to close when the messages go to process.stdout (guardStdout). */
  let guard: StdoutGuard | undefined;
  const write = createLineWriter(stdout, closeSignal.signal, (text) => (guard ? guard.write(text) : stdout.write(text)));

  /** stdin is paused until stdout drains (the client is not reading its answers). */
  let outputBlocked = false;
  const onDrain = (): void => {
    outputBlocked = false;
    stdout.off('drain', onDrain);
    if (!closed && !inputEnded) stdin.resume();
  };
  const onData = (chunk: Buffer | string): void => {
    decoder?.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    // Flow control: answers pile up in stdout's buffer when the client does not read them;
    // read no more requests until it has. Past the high-water mark a write has returned
    // false, so 'drain' is due.
    if (!outputBlocked && stdout.writableLength > maxBufferedBytes && !closed) {
      outputBlocked = true;
      stdin.pause();
      stdout.on('drain', onDrain);
    }
  };
  const onEnd = (): void => {
    decoder?.end();
    if (closed || inputEnded) return;
    inputEnded = true;
    if (handlers) detachInput();
    // Answers to our requests would come on stdin: they cannot come any more.
    const gone = new McpError(LocalErrorCode.Closed, 'stdin ended before the client answered');
    for (const id of ledger.takeAsked()) handlers?.onRequestFailed?.(id, gone);
    if (ledger.answering === 0) {
      finish();
      return;
    }
    graceTimer = setTimeout(() => {
      diagnostic(`stdin ended; closing with ${ledger.answering} request(s) still unanswered after ${endGraceMs} ms (endGraceMs)`);
      finish();
    }, endGraceMs);
  };

  /** After a write: the last answer owed once stdin ended is out, so the transport closes. */
  const afterWrite = (): void => {
    if (inputEnded && ledger.answering === 0) finish();
  };
  const onStdinError = (error: Error): void => finish(error);
  const onStdoutError = (error: Error): void => finish(new McpError(LocalErrorCode.Closed, `stdout failed: ${error.message}`, { cause: error }));

  /** Stop reading stdin (at its end, or when the transport closes). */
  function detachInput(): void {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.off('error', onStdinError);
    stdin.pause();
  }

  function finish(error?: Error): void {
    if (closed) return;
    closed = true;
    decoder = undefined;
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    if (handlers) {
      if (!inputEnded) detachInput();
      stdout.off('error', onStdoutError);
      stdout.off('drain', onDrain);
    }
    closeSignal.abort(new McpError(LocalErrorCode.Closed, 'stdio transport closed'));
    guard?.release();
    guard = undefined;
    handlers?.onClose(error);
  }

  return {
    async start(h) {
      if (handlers) throw new McpError(LocalErrorCode.State, 'stdio transport already started');
      if (closed) throw new McpError(LocalErrorCode.Closed, 'stdio transport is closed');
      handlers = h;
      if (stdout === process.stdout && options.guardStdout !== false) guard = guardProcessStdout();
      decoder = createLineDecoder({
        maxLineBytes,
        onLine(line) {
          if (closed) return;
          try {
            const value = parseJson(line, maxJsonDepth);
            if (!(value instanceof OversizePayload)) ledger.received(value);
            else if (value.id !== null) ledger.expect(value.id); // too deep: answered -32600
            h.onMessage(value, undefined, line.length, line);
          } catch (error) {
            h.onError(asError(error));
          }
        },
        // 2025-11-25 basic/transports: JSON-RPC messages MUST be UTF-8. Not JSON text (RFC 8259
        // section 8.1), so answered -32700 with a null id (JSON-RPC 2.0 section 5), naming the
        // byte, rather than served with U+FFFD in place of what the client sent.
        onNotUtf8(error) {
          if (closed) return;
          try {
            h.onMessage(new UnparsablePayload(error.message));
          } catch (thrown) {
            h.onError(asError(thrown));
          }
        },
        // Reported once, at the line's end, when its shape says who hears of it: the peer
        // (a request, answered -32600), the caller (a response), or onError (the rest).
        onOversize() {
          if (closed) return;
          scanner = createOversizeScanner();
        },
        onOversizeBytes(bytes) {
          scanner?.push(bytes);
        },
        onOversizeEnd(bytesSeen) {
          const shape = scanner?.shape();
          scanner = undefined;
          if (closed || !shape) return;
          const detail = `the message of ${bytesSeen} bytes exceeds the limit of ${maxLineBytes} bytes (maxLineBytes)`;
          if (shape.hasOutcome && !shape.hasMethod) {
            // A response to one of our requests: that request fails now rather than timing out.
            if (shape.id !== null && ledger.answered(shape.id)) h.onRequestFailed?.(shape.id, new McpError(LocalErrorCode.MessageTooLarge, `the answer to request ${JSON.stringify(shape.id)}: ${detail}`));
            else h.onError(new McpError(LocalErrorCode.MessageTooLarge, `dropped an inbound response${shape.id === null ? '' : ` to ${JSON.stringify(shape.id)}`}, no request awaits it: ${detail}`));
            return;
          }
          if (shape.hasMethod && !shape.hasId) {
            // A notification: nobody to answer, so the owner hears of it here.
            h.onError(new McpError(LocalErrorCode.MessageTooLarge, `dropped an inbound notification: ${detail}`));
            return;
          }
          // JSON-RPC 2.0 section 5: an error reply, with the request's id when it was readable.
          const payload = new OversizePayload(detail, shape.id);
          if (shape.id !== null) ledger.expect(shape.id);
          try {
            h.onMessage(payload);
          } catch (error) {
            h.onError(asError(error));
          }
        },
      });
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.on('error', onStdinError);
      stdout.on('error', onStdoutError);
      stdin.resume();
      if (stdin.readableEnded) queueMicrotask(onEnd);
    },

    // Not an async function: the writer's promise is returned as it is, one fewer per message.
    send(message: JsonRpcMessage | JsonRpcMessage[], _options?: SendOptions) {
      if (closed) return Promise.reject(new McpError(LocalErrorCode.Closed, 'stdio transport is closed'));
      if (inputEnded && !Array.isArray(message) && 'method' in message && 'id' in message) {
        return Promise.reject(new McpError(LocalErrorCode.Closed, `cannot send ${message.method}: stdin ended, so no answer can come`));
      }
      try {
        const written = write(encodeLine(message));
        if (ledger.sent(message) && inputEnded) written.then(afterWrite, afterWrite);
        return written;
      } catch (error) {
        return Promise.reject(error);
      }
    },

    sendAnswerText(id: RequestId, text: string) {
      if (closed) return Promise.reject(new McpError(LocalErrorCode.Closed, 'stdio transport is closed'));
      try {
        // JSON text has no raw line break (RFC 8259 escapes them in strings): one line as it is.
        const written = write(`${text}\n`);
        if (ledger.answeredPeer(id) && inputEnded) written.then(afterWrite, afterWrite);
        return written;
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async close() {
      finish();
    },

    async [Symbol.asyncDispose]() {
      finish();
    },
  };
}
