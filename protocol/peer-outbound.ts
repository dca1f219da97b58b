/**
 * The outbound side of one peer engine (peer.ts): its table of the requests we sent and still
 * wait for (ids, deadlines), sending a request and tracking it to its answer (outbound.ts),
 * and settling it by its response. Plain functions over the
 * engine's tables rather than an object of their own: no method names in the stdio client's
 * bundle, and no object more per peer.
 */
import { LocalErrorCode, McpError } from './errors.ts';
import type { JsonRpcResponse, RequestId } from './jsonrpc.ts';
import { SENT, type Transport } from './transport.ts';
import { createCorrelation, type Correlation } from './correlation.ts';
import { createProgressRouter, type ProgressRouter } from './progress.ts';
import type { PeerOptions, RequestOptions } from './peer-types.ts';
import { outboundRequest, refused, sendOptionsOf, trackRequest, type PendingEntry, type QuestionOwner, type TrackDeps } from './outbound.ts';

/**
 * Read by peers that have sent no request and followed no progress: never written (a peer
 * makes its own table before it adds, issues an id or registers), so one serves them all.
 */
export const NO_PENDING: Correlation<PendingEntry> = createCorrelation<PendingEntry>();
export const NO_ROUTES: ProgressRouter = createProgressRouter();

/** A peer's table of pending requests, made by its first request or progress route. */
export function createPendingTable({ timers, firstRequestId }: PeerOptions): Correlation<PendingEntry> {
  return createCorrelation<PendingEntry>({
    ...(timers ? { timers } : {}),
    ...(firstRequestId !== undefined ? { firstId: firstRequestId } : {}),
  });
}

/**
 * Send `method` over `transport` as a new request (the engine checked it may): its promise
 * settles with the answer, `map`'s turn of it, or `recover`'s answer to a failure. Asked on
 * behalf of the inbound request `owner`, it goes out related to it and ends with it.
 */
export function sendRequest<R>(deps: TrackDeps, transport: Transport, method: string, params: unknown, opts: RequestOptions,
  map: ((result: unknown) => R) | undefined, recover: ((error: unknown) => Promise<R>) | undefined, owner?: QuestionOwner): Promise<R> {
  if (owner?.aborted === true) return refused(new McpError(LocalErrorCode.Aborted, `${method} aborted before it was sent`, { cause: owner.reason }), recover);
  const { correlation, limits } = deps;
  if (correlation.size >= limits.maxPendingRequests) {
    return refused(new McpError(LocalErrorCode.TooManyPending, `too many pending requests (limit ${limits.maxPendingRequests})`), recover);
  }
  const id = correlation.nextId();
  opts.onRequestId?.(id);
  const token = opts.onProgress ? id : undefined;
  const entry = trackRequest<R>(deps, id, method, opts, token, map, recover, owner);
  if (method === 'tasks/result') entry.taskId = (params as { taskId?: string }).taskId;
  const sent = transport.send(outboundRequest(id, method, params, token), sendOptionsOf(opts, owner ? owner.id : opts.relatedRequestId), entry);
  // SENT: handed on, and a later failure goes to `entry.sendFailed`: no handler and no reaction job a call.
  if (sent !== SENT) sent.catch((e: unknown) => entry.sendFailed(e));
  return entry.promise;
}

/**
 * Settle the request `message` answers; what is wrong when no request waits for it. A
 * response to a request already settled (an answer sent again after a network failure whose
 * first try did arrive, client-answer-retry.ts) is a duplicate, not a fault.
 */
export function settleResponse(correlation: Correlation<PendingEntry>, id: RequestId, message: JsonRpcResponse): string | undefined {
  const entry = correlation.take(id);
  if (entry) entry.value.settle(message);
  else if (!correlation.wasAbandoned(id) && !correlation.wasSettled(id)) return `response to unknown request id ${JSON.stringify(id)}`;
  return undefined;
}
