/**
 * Outbound size matches inbound: the Streamable HTTP server sends no message larger than a
 * client accepts by default (4 MiB, the client's `maxEventBytes`), since a client would drop
 * it and wait out its timeout. A response that is too large is replaced by an error the
 * client can read (a tool error for a tool result, 2025-11-25 server/tools: isError); any
 * other message fails to send with MCP_ERR_MESSAGE_TOO_LARGE.
 */
import { ErrorCode, LocalErrorCode, McpError, type JsonRpcMessage, type JsonRpcResponse } from '../../protocol/index.ts';
import { isResponse, JSONRPC_VERSION, makeErrorResponse } from '../../protocol/jsonrpc.ts';
import { jsonReply, type ServerReply } from './exchange.ts';

const encoder = new TextEncoder();

/** The UTF-8 size of `text` when it is over `limit` bytes, else undefined (cheap for short text). */
export function bytesOver(text: string, limit: number): number | undefined {
  // A UTF-16 unit takes 1 to 3 UTF-8 bytes: only text that may be over the limit is encoded.
  if (text.length * 3 <= limit) return undefined;
  const bytes = encoder.encode(text).length;
  return bytes > limit ? bytes : undefined;
}

/**
 * What to send instead of `message`, whose JSON is `bytes` long, over `limit`: a response is
 * replaced (same id) by a tool error when it holds a tool result, else by a -32603 error.
 * @throws McpError MCP_ERR_MESSAGE_TOO_LARGE for a request or notification.
 */
export function fitOutbound(message: JsonRpcMessage, bytes: number, limit: number): JsonRpcResponse {
  const why = `of ${bytes} bytes exceeds ${limit} bytes, the largest message a client accepts by default (maxOutboundMessageBytes); it was not sent`;
  if (!isResponse(message)) {
    throw new McpError(LocalErrorCode.MessageTooLarge, `${'method' in message ? message.method : 'a message'} ${why}`);
  }
  const id = message.id ?? null;
  const result = 'result' in message ? message.result : undefined;
  if (id !== null && result && Array.isArray(result.content)) {
    return { jsonrpc: JSONRPC_VERSION, id, result: { content: [{ type: 'text', text: `The tool result ${why}.` }], isError: true } };
  }
  return makeErrorResponse(id, { code: ErrorCode.InternalError, message: `Internal error: the response ${why}` });
}

/**
 * A JSON reply's body: the one response to a lone request, else the array of them. JSON-RPC
 * 2.0 answers a batch with an array, even of one (2025-03-26 basic: messages follow JSON-RPC 2.0).
 */
export function bodyOf(responses: JsonRpcMessage[], batch: boolean | undefined): unknown {
  return responses.length === 1 && !batch ? responses[0] : responses;
}

/** `reply` (a JSON body of `responses`), each response over `limit` bytes replaced as above. */
export function fitJsonReply(reply: ServerReply, responses: JsonRpcMessage[], batch: boolean | undefined, limit: number | undefined): ServerReply {
  if (limit === undefined || bytesOver(reply.body ?? '', limit) === undefined) return reply;
  const fitted = responses.map((r) => {
    const over = bytesOver(JSON.stringify(r), limit);
    return over === undefined ? r : fitOutbound(r, over, limit);
  });
  return jsonReply(200, bodyOf(fitted, batch));
}
