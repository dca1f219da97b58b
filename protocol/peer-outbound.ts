/**
 * The outbound side of one peer engine (peer.ts): the requests we sent and still wait for
 * (the correlation table: ids, deadlines), the progress routes of those that follow
 * progress, and the tracking of each request from its send to its answer (outbound.ts).
 * A peer makes it with its first request or progress route; until then it reads
 * {@link NO_OUTBOUND}, so an idle peer (a server keeps one per HTTP session) holds none.
 */
import { LocalErrorCode, McpError } from './errors.ts';
import type { JsonRpcResponse, RequestId } from './jsonrpc.ts';
import { SENT, type Transport } from './transport.ts';
import { createCorrelation, type Correlation } from './correlation.ts';
import { createProgressRouter, type ProgressCallback, type ProgressRouter } from './progress.ts';
import type { ProgressToken } from './types/base.ts';
import type { ProgressParams } from './types/utilities.ts';
import type { PeerLimits } from './limits.ts';
import type { PeerOptions, RequestOptions } from './peer-types.ts';
import { outboundRequest, refused, sendOptionsOf, trackRequest, type PendingEntry, type TrackDeps } from './outbound.ts';

/**
 * One peer's outbound requests. It is the tracking's dependencies itself (TrackDeps): one
 * object per peer that sends, rather than a record of them beside the tables.
 */
export class OutboundSide implements TrackDeps {
  readonly correlation: Correlation<PendingEntry>;
  readonly progress: ProgressRouter;
  readonly limits: PeerLimits;
  readonly sendCancel: (id: RequestId, reason: string) => void;
  readonly ended: (id: RequestId, method: string) => void;

  /**
   * `sendCancel` tells the peer we gave up on a request; `ended` is told of each request that
   * is no longer pending, however it ended (the engine aborts the peer's questions about it).
   */
  constructor(options: Pick<PeerOptions, 'timers' | 'firstRequestId'>, limits: PeerLimits,
    sendCancel: (id: RequestId, reason: string) => void, ended: (id: RequestId, method: string) => void) {
    this.correlation = createCorrelation<PendingEntry>({
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.firstRequestId !== undefined ? { firstId: options.firstRequestId } : {}),
    });
    this.progress = createProgressRouter();
    this.limits = limits;
    this.sendCancel = sendCancel;
    this.ended = ended;
  }

  /**
   * Send `method` over `transport` as a new request (the engine checked it may): its promise
   * settles with the answer, `map`'s turn of it, or `recover`'s answer to a failure.
   */
  request<R>(transport: Transport, method: string, params: unknown, opts: RequestOptions,
    map: ((result: unknown) => R) | undefined, recover: ((error: unknown) => Promise<R>) | undefined): Promise<R> {
    const correlation = this.correlation;
    if (correlation.size >= this.limits.maxPendingRequests) {
      return refused(new McpError(LocalErrorCode.TooManyPending, `too many pending requests (limit ${this.limits.maxPendingRequests})`), recover);
    }
    const id = correlation.nextId();
    opts.onRequestId?.(id);
    const token = opts.onProgress ? id : undefined;
    const entry = trackRequest<R>(this, id, method, opts, token, map, recover);
    if (method === 'tasks/result') entry.taskId = (params as { taskId?: string }).taskId;
    const sent = transport.send(outboundRequest(id, method, params, token), sendOptionsOf(opts), entry);
    // SENT: handed on, and a later failure goes to `entry.sendFailed`: no handler and no reaction job a call.
    if (sent !== SENT) sent.catch((e: unknown) => entry.sendFailed(e));
    return entry.promise;
  }

  /** Wait for the answer to `id`, a request sent before (a resumed call): pending from now. */
  expect<R>(method: string, id: RequestId, opts: RequestOptions & { progressToken?: ProgressToken }): Promise<R> {
    if (this.correlation.has(id)) return Promise.reject(new McpError(LocalErrorCode.State, `request ${JSON.stringify(id)} is already pending`));
    const token = opts.onProgress ? (opts.progressToken ?? id) : undefined;
    return trackRequest<R>(this, id, method, opts, token).promise;
  }

  /** Route progress of `token` to `callback` until the returned function is called. */
  follow(token: ProgressToken, callback: ProgressCallback): () => void {
    const routes = this.progress;
    routes.register(token, token, callback);
    return () => routes.unregister(token);
  }

  /**
   * Settle the request `message` answers. Returns what is wrong when no request waits for it;
   * a response to a request already settled (an answer sent again after a network failure
   * whose first try did arrive, client-answer-retry.ts) is a duplicate, not a fault.
   */
  settle(id: RequestId, message: JsonRpcResponse): string | undefined {
    const entry = this.correlation.take(id);
    if (entry) entry.value.settle(message);
    else if (!this.correlation.wasAbandoned(id) && !this.correlation.wasSettled(id)) return `response to unknown request id ${JSON.stringify(id)}`;
    return undefined;
  }

  /** 2025-11-25 basic/utilities/progress: hand it to its request's callback; what is wrong when none follows it. */
  routeProgress(params: ProgressParams): string | undefined {
    const routed = this.progress.route(params);
    if (!routed.ok) return routed.reason;
    this.correlation.touch(routed.requestId);
    return undefined;
  }

  /** Fail every pending request, with the error `errorOf` makes for it. */
  failAll(errorOf: (method: string) => Error, sendCancel: boolean): void {
    for (const { value } of this.correlation.drain()) value.fail(errorOf(value.method), sendCancel);
  }
}

const noCancel = (): void => undefined;

/**
 * Read by peers that have sent no request and followed no progress: never written (a peer
 * makes its own before it adds, issues an id or registers), so one serves them all.
 */
export const NO_OUTBOUND: OutboundSide = new OutboundSide({}, Object.freeze({}) as PeerLimits, noCancel, noCancel);
