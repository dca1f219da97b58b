/**
 * The server side of the stdio transport (basic/transports, stdio): messages arrive on
 * stdin and leave on stdout, one JSON text per line. stdout carries nothing but messages;
 * diagnostics go to stderr.
 */
import type { Readable, Writable } from 'node:stream';
import {
  LocalErrorCode, McpError, parseJson,
  type JsonRpcMessage, type SendOptions, type Transport, type TransportHandlers,
} from '../../protocol/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../protocol/limits.ts';
import { createLineDecoder, encodeLine, type LineDecoder } from './framing.ts';
import { createLineWriter } from './write.ts';
import { asError } from '../../protocol/errors.ts';

/** Options of {@link createStdioServerTransport}. */
export interface StdioServerTransportOptions {
  /** Where messages are read from. Default `process.stdin`. */
  stdin?: Readable;
  /** Where messages are written to; nothing else is ever written there. Default `process.stdout`. */
  stdout?: Writable;
  /** Longest inbound line in bytes; a longer one is dropped and reported. Default 4 MiB. */
  maxLineBytes?: number;
  /** Where human-readable diagnostics go. Default: `mcpwire: <text>\n` on process.stderr. */
  onDiagnostic?: (text: string) => void;
}

function defaultDiagnostic(text: string): void {
  process.stderr.write(`mcpwire: ${text}\n`);
}

/**
 * Create the server side of a stdio transport. Each inbound line is parsed and handed to
 * `onMessage` (bytes that are not JSON arrive as an `UnparsablePayload`, which the session
 * answers with -32700; the transport itself never writes a reply). An oversize line is
 * reported on stderr and through `onError`, and reading continues with the next line.
 * End of stdin closes the transport; `close()` stops reading but leaves stdout open.
 */
export function createStdioServerTransport(options: StdioServerTransportOptions = {}): Transport {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const diagnostic = options.onDiagnostic ?? defaultDiagnostic;
  let handlers: TransportHandlers | undefined;
  let decoder: LineDecoder | undefined;
  let closed = false;
  /** Rejects the sends waiting for 'drain' when the transport closes. */
  const closeSignal = new AbortController();
  const write = createLineWriter(stdout, closeSignal.signal);

  const onData = (chunk: Buffer | string): void => {
    decoder?.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  };
  const onEnd = (): void => {
    decoder?.end();
    finish();
  };
  const onStdinError = (error: Error): void => finish(error);
  const onStdoutError = (error: Error): void => finish(new McpError(LocalErrorCode.Closed, `stdout failed: ${error.message}`, { cause: error }));

  function detach(): void {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.off('error', onStdinError);
    stdout.off('error', onStdoutError);
    stdin.pause();
  }

  function finish(error?: Error): void {
    if (closed) return;
    closed = true;
    decoder = undefined;
    if (handlers) detach();
    closeSignal.abort(new McpError(LocalErrorCode.Closed, 'stdio transport closed'));
    handlers?.onClose(error);
  }

  return {
    async start(h) {
      if (handlers) throw new McpError(LocalErrorCode.State, 'stdio transport already started');
      if (closed) throw new McpError(LocalErrorCode.Closed, 'stdio transport is closed');
      handlers = h;
      decoder = createLineDecoder({
        maxLineBytes,
        onLine(line) {
          if (closed) return;
          try {
            h.onMessage(parseJson(line));
          } catch (error) {
            h.onError(asError(error));
          }
        },
        onOversize(bytesSeen) {
          if (closed) return;
          const text = `dropped an inbound message longer than ${maxLineBytes} bytes (${bytesSeen} bytes seen)`;
          diagnostic(text);
          h.onError(new McpError(LocalErrorCode.MessageTooLarge, text));
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
      try {
        return write(encodeLine(message));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async close() {
      finish();
    },
  };
}
