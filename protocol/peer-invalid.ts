/**
 * What the peer engine (peer.ts) does with an inbound message that is not valid JSON-RPC:
 * reported, and answered with an error response carrying the request's id when it could be
 * read (JSON-RPC 2.0 section 5). A plain function, as peer-outbound.ts: no method name in the
 * stdio client's bundle.
 */
import { LocalErrorCode, McpError } from './errors.ts';
import { makeErrorResponse, type InvalidInbound, type JsonRpcResponse } from './jsonrpc.ts';
import type { Correlation } from './correlation.ts';
import type { PendingEntry } from './outbound.ts';
import type { PeerOptions } from './peer-types.ts';

/** Report `item`, fail the request a malformed response was meant to answer, and answer it unless this side answers nothing. */
export function answerInvalid(
  item: InvalidInbound, correlation: Correlation<PendingEntry>, options: PeerOptions,
  report: (error: Error) => void, respond: (r: JsonRpcResponse) => void,
): void {
  // A malformed response still ends the wait of the request it answers.
  const waiting = item.answers === undefined ? undefined : correlation.peek(item.answers);
  if (waiting) waiting.fail(new McpError(LocalErrorCode.Protocol, `malformed response to request ${JSON.stringify(item.answers)}: ${item.error.message}`), false);
  else report(new McpError(LocalErrorCode.Protocol, `invalid message from peer${item.id === null ? '' : ` (request ${JSON.stringify(item.id)})`}: ${item.error.message}`));
  if (item.id === null && options.replyToUnreadable === false) return;
  if (options.unansweredRequests?.() !== undefined) return; // reported above, never answered
  respond(makeErrorResponse(item.id, item.error));
}
