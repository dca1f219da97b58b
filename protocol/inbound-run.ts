/**
 * Running one inbound request's handler and answering it, once the engine (peer.ts) has
 * found the handler and admitted the request: the in-flight entry, the pause of our own
 * related request's clocks, the handler's context, and the response or its withholding.
 */
import { toRpcErrorObject } from './errors.ts';
import { JSONRPC_VERSION, makeErrorResponse, type JsonRpcRequest, type JsonRpcResponse, type RequestId } from './jsonrpc.ts';
import type { MessageExtra } from './transport.ts';
import type { SideMaps } from './methods.ts';
import type { Correlation } from './correlation.ts';
import type { InFlightRequest, InboundRequests } from './inbound-requests.ts';
import type { PendingEntry } from './outbound.ts';
import { InboundRequestContext, type ContextPeer } from './request-context.ts';
import type { AnyHandler, RequestContext } from './peer-types.ts';

/**
 * Run `handler` for `message`, tracked as `entry`, and answer through `respond`. Not async:
 * a handler that returns its result at once (a synchronous tool) is answered in the same
 * turn, with no promise made here, none for an await of a plain value, and no microtask hop
 * (bench c-json: 3 promises per call). Only a handler's promise (any thenable, as `await`
 * took) is waited on.
 */
export function runInbound<S extends SideMaps>(
  peer: ContextPeer<S>, handler: AnyHandler, message: JsonRpcRequest, entry: InFlightRequest, extra: MessageExtra | undefined,
  inbound: InboundRequests, correlation: Correlation<PendingEntry>, respond: (r: JsonRpcResponse) => void,
): Promise<void> | undefined {
  const id = message.id;
  // While the peer's request is handled (an elicitation may wait for a human), our own
  // request it belongs to must not time out; with no known relation, pause them all.
  const related = extra?.relatedRequestId;
  let pauseKey = related !== undefined && correlation.has(related) ? related : undefined;
  // 2025-11-25 basic/utilities/tasks: a request that serves a task MUST carry the task's
  // `related-task` `_meta`. It belongs to that task, so to our `tasks/result` for it when one
  // is pending, and never to the other requests that happen to be pending.
  const task = pauseKey === undefined && correlation.size > 0 ? (relatedTaskOf(message.params) as { taskId?: unknown } | undefined)?.taskId : undefined;
  if (task !== undefined) pauseKey = correlation.ids().find((id) => correlation.peek(id)?.taskId === task);
  correlation.pause(pauseKey);
  // Aborted when that request of ours ends: a form for a call the user gave up on closes,
  // even when the peer never cancels its question (the Python SDK's server does not over
  // HTTP, nor SDK 2.4's over stdio). On one channel the relation is not on the wire: 2025-11-25
  // basic/transports (stdio) has no per-request stream, and a request names no request of the
  // other side. It is taken to be one of the requests of ours pending when it came, and ends
  // once all of them have ended. With one pending, that is the request it was asked for.
  entry.related = pauseKey;
  if (pauseKey === undefined && task === undefined && extra?.oneChannel === true && correlation.size > 0) entry.askedDuring(correlation.ids());
  const ctx: RequestContext<S> & { finish(): void } = new InboundRequestContext<S>(peer, message, entry, extra);
  let result: unknown;
  try {
    result = handler(message.params, ctx);
  } catch (e) {
    return settle(inbound, correlation, id, false, e, ctx, pauseKey, respond);
  }
  if (typeof (result as PromiseLike<unknown> | null | undefined)?.then !== 'function') return settle(inbound, correlation, id, true, result, ctx, pauseKey, respond);
  return Promise.resolve(result).then(
    (value) => settle(inbound, correlation, id, true, value, ctx, pauseKey, respond),
    (e: unknown) => settle(inbound, correlation, id, false, e, ctx, pauseKey, respond),
  );
}

/** 2025-11-25 basic/utilities/tasks: the `_meta` key naming the task a message serves. */
export const RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** `params._meta[RELATED_TASK]` as sent (`{ taskId }` from a peer that follows the spec), if any. */
export const relatedTaskOf = (params: unknown): unknown => (params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[RELATED_TASK];

/**
 * A handler returned (`ok`) or threw `value`: answer it, unless it was cancelled (the
 * response is then withheld). A response that cannot be made is answered with its error.
 * Plain arguments rather than a closure per request: a synchronous handler's answer makes
 * no function object (bench c-json).
 */
function settle(
  inbound: InboundRequests, correlation: Correlation<PendingEntry>, id: RequestId, ok: boolean, value: unknown,
  ctx: { finish(): void }, pauseKey: RequestId | undefined, respond: (r: JsonRpcResponse) => void,
): undefined {
  try {
    if (inbound.end(id)) return;
    respond(ok ? { jsonrpc: JSONRPC_VERSION, id, result: (value ?? {}) as Record<string, unknown> } : makeErrorResponse(id, toRpcErrorObject(value)));
  } catch (e) {
    if (ok && !inbound.end(id)) respond(makeErrorResponse(id, toRpcErrorObject(e)));
    else throw e;
  } finally {
    ctx.finish();
    correlation.resume(pauseKey);
  }
}
