/**
 * A line from the server over the client's `maxLineBytes`, routed by its shape as the server
 * side does: a response fails the request it answers as soon as its id is read (the line may
 * never end), a request is answered -32600 with its id (JSON-RPC 2.0 section 5), the rest goes
 * to `onError`, once, when the line ends. Loaded by the stdio client on the first such line
 * (issue #20: a server that keeps to the bound never writes one, so its scan stays out of the
 * client's start).
 */
import { LocalErrorCode, McpError, type TransportHandlers } from '../../protocol/index.ts';
import { OversizePayload } from '../../protocol/jsonrpc.ts';
import { createOversizeScanner } from './oversize-scan.ts';

/** One line over the limit, fed its bytes in order as they arrive. */
export interface OversizeLine {
  /** More bytes of the line. */
  bytes(bytes: Uint8Array): void;
  /** The line ended (its `\n`, or the end of the output), `bytesSeen` long. */
  end(bytesSeen: number): void;
}

/** Route one line over `maxLineBytes` to `h` (see the module comment). */
export function createOversizeLine(h: TransportHandlers, maxLineBytes: number): OversizeLine {
  const scanner = createOversizeScanner();
  /** Its request was failed already: nothing more to say when the line ends. */
  let failed = false;
  return {
    bytes(bytes) {
      scanner.push(bytes);
      if (failed) return;
      const shape = scanner.shape();
      if (shape.hasOutcome && !shape.hasMethod && shape.id !== null) {
        failed = true;
        h.onRequestFailed?.(shape.id, new McpError(LocalErrorCode.MessageTooLarge, `the answer to request ${JSON.stringify(shape.id)} exceeds the limit of ${maxLineBytes} bytes (maxLineBytes)`));
      }
    },
    end(bytesSeen) {
      if (failed) return;
      const shape = scanner.shape();
      const detail = `the message of ${bytesSeen} bytes exceeds the limit of ${maxLineBytes} bytes (maxLineBytes)`;
      if (shape.hasMethod && shape.hasId) {
        // JSON-RPC 2.0 section 5: the peer answers it -32600, with its id.
        h.onMessage(new OversizePayload(detail, shape.id));
        return;
      }
      h.onError(new McpError(LocalErrorCode.MessageTooLarge, `dropped an inbound ${shape.hasMethod ? 'notification' : shape.hasOutcome ? 'response' : 'message'}: ${detail}`));
    },
  };
}
