/** Writing lines to a Node stream with backpressure, shared by both stdio transport sides. */
import type { Writable } from 'node:stream';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { SENT } from '../../protocol/transport.ts';

/**
 * Default `maxBufferedBytes` of both stdio sides: bytes of our messages waiting unread by the
 * peer before we stop reading what it sends.
 */
export const DEFAULT_STDIO_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Writes text to one stream; each call resolves when the stream accepted it. */
export type LineWriter = (text: string) => Promise<void>;

/**
 * One settled promise shared by every write the stream accepted at once (nothing to wait for):
 * the protocol's {@link SENT}, which the peer engine chains nothing to.
 */
export const WRITTEN: Promise<void> = SENT;

/**
 * Create a writer for `stream`. A write resolves at once when the stream's buffer is below
 * its high-water mark, else when the stream emits 'drain'. All writes waiting for the same
 * 'drain' share one set of listeners. They reject with MCP_ERR_CLOSED when the stream closes
 * or `signal` aborts first. `send` writes the text (default `stream.write`; the stdio server
 * passes its guard's, which reaches stdout when other writes to it are sent to stderr).
 */
export function createLineWriter(stream: Writable, signal: AbortSignal, send: (text: string) => boolean = (text) => stream.write(text)): LineWriter {
  let drained: Promise<void> | undefined;

  function waitForDrain(): Promise<void> {
    drained ??= new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        drained = undefined;
        stream.off('drain', onDrain);
        stream.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onClose = (): void => {
        cleanup();
        reject(new McpError(LocalErrorCode.Closed, 'the output stream closed before the message was written'));
      };
      const onAbort = (): void => {
        cleanup();
        reject(closedError(signal));
      };
      stream.on('drain', onDrain);
      stream.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return drained;
  }

  return (text) => {
    if (signal.aborted) return Promise.reject(closedError(signal));
    if (stream.destroyed || stream.writableEnded) {
      return Promise.reject(new McpError(LocalErrorCode.Closed, 'the output stream is closed'));
    }
    // Errors surface as the stream's 'error' event, which the transport listens to.
    return send(text) ? WRITTEN : waitForDrain();
  };
}

function closedError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new McpError(LocalErrorCode.Closed, 'transport closed');
}
