/**
 * JSON-RPC batches (2025-03-26 basic: a batch of requests is answered by one array of
 * responses; 2025-06-18 removed batching, so later versions refuse them). The peer engine
 * hands each item to its own dispatcher; this file owns only the batch's shape on the wire.
 */
import { ErrorCode } from './errors.ts';
import { makeErrorResponse, type Inbound, type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse, type RequestId } from './jsonrpc.ts';

/** How one item of a batch is handled: its response (if any) goes to `respond`. */
export type BatchItemHandler = (item: Inbound, respond: (r: JsonRpcResponse) => void) => Promise<void> | undefined;

/**
 * Handle every item of a batch and send their responses as one array, once every handler
 * has settled. A batch of notifications and responses only is answered with nothing.
 *
 * A batch naming one request id twice is refused whole, nothing in it run, with one -32600
 * error (2025-03-26 basic: a request id "MUST NOT have been previously used by the requestor
 * within the same session"; two answers under one id could not be told apart). The
 * Streamable HTTP server refuses such a POST with 400 and the same error
 * (transport/http/server-session.ts), so stdio and HTTP agree.
 */
export function answerBatch(
  items: readonly Inbound[], handle: BatchItemHandler,
  send: (responses: JsonRpcMessage | JsonRpcMessage[]) => Promise<void>, onError: (e: unknown) => void,
): void {
  const twice = repeatedId(items.flatMap((item) => (item.kind === 'request' ? [item.message] : [])));
  if (twice !== undefined) {
    send(makeErrorResponse(null, { code: ErrorCode.InvalidRequest, message: `Invalid Request: request id ${JSON.stringify(twice)} appears twice in the batch` })).catch(onError);
    return;
  }
  const responses: JsonRpcResponse[] = [];
  const waits: Promise<void>[] = [];
  for (const item of items) {
    const wait = handle(item, (r) => responses.push(r));
    if (wait) waits.push(wait);
  }
  void Promise.all(waits).then(() => {
    if (responses.length > 0) send(responses).catch(onError);
  });
}

/** The first request id a batch names twice, if any (the number 1 and the string "1" differ). */
export function repeatedId(requests: readonly JsonRpcRequest[]): RequestId | undefined {
  const seen = new Set<RequestId>();
  for (const { id } of requests) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}
