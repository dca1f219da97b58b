/**
 * One outbound request: its message as sent, then its life after it is sent: its pending entry, timeouts, abort
 * listener and progress route, settled once by the response, a timeout, an abort, a lost
 * stream or the peer closing (2025-11-25 basic/utilities/cancellation and progress).
 */
import { asError, LocalErrorCode, McpError, RpcError } from './errors.ts';
import { JSONRPC_VERSION, type JsonRpcRequest, type JsonRpcResponse, type RequestId } from './jsonrpc.ts';
import type { SendFailure, SendOptions } from './transport.ts';
import type { Correlation, PendingTiming, TimeoutKind } from './correlation.ts';
import type { ProgressCallback, ProgressRouter } from './progress.ts';
import type { ProgressToken } from './types/base.ts';
import type { PeerLimits } from './limits.ts';

/** What the peer keeps per pending request. */
export interface PendingEntry {
  /** The request's method, to name it in errors made outside the entry. */
  readonly method: string;
  /** The task a `tasks/result` waits on: a question naming that task belongs to it (inbound-run.ts). */
  taskId?: string | undefined;
  settle(message: JsonRpcResponse): void;
  fail(error: Error, sendCancel: boolean): void;
}

/** A question asked on behalf of an inbound request, as that request's entry holds it. */
export interface HeldQuestion {
  /** The request it was asked for was aborted (`reason`): the question fails and is cancelled. */
  ownerAborted(reason: unknown): void;
}

/**
 * The inbound request a question is asked on behalf of (inbound-requests.ts `InFlightRequest`):
 * the question goes out related to `id` (routed on its stream over HTTP) and holds on to it while
 * pending, so that the request's abort (the peer cancelled it, or this peer closed) fails it at
 * once. A question tied this way needs no listener on the request's AbortSignal, nor the signal.
 */
export interface QuestionOwner {
  readonly id: RequestId;
  readonly aborted: boolean;
  /** Why it was aborted, once it is. */
  readonly reason: unknown;
  hold(question: HeldQuestion): void;
  release(question: HeldQuestion): void;
}

/** Timing and cancellation options of one request (the subset tracking needs). */
export interface TrackOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxTotalTimeoutMs?: number | undefined;
  resetTimeoutOnProgress?: boolean | undefined;
  onProgress?: ProgressCallback | undefined;
}

export interface TrackDeps {
  correlation: Correlation<PendingEntry>;
  progress: ProgressRouter;
  limits: PeerLimits;
  /** Tell the peer we gave up on `id` (notifications/cancelled). */
  sendCancel(id: RequestId, reason: string): void;
  /** `id` is no longer pending, however it ended (the peer's questions asked for it are moot). */
  ended(id: RequestId, method: string): void;
}

/**
 * The pending entry of one request. A class rather than a set of closures: one object per
 * request, its abort listener is the object itself (`handleEvent`), and so are the transport's
 * report of a failed send (`sendFailed`) and the correlation table's timing and timeout
 * (`timedOut`): no options record, closure or promise of their own a call.
 */
class OutboundRequest<R> implements PendingEntry, SendFailure, PendingTiming, HeldQuestion {
  readonly promise: Promise<R>;
  // Set in the constructor; `declare` emits no field declarations (bytes of the stdio client).
  declare readonly timeoutMs: number;
  declare readonly maxTotalTimeoutMs: number;
  declare readonly resetTimeoutOnProgress: boolean;
  readonly #deps: TrackDeps;
  readonly #id: RequestId;
  readonly #method: string;
  readonly #signal: AbortSignal | undefined;
  readonly #token: ProgressToken | undefined;
  readonly #map: ((result: unknown) => R) | undefined;
  readonly #recover: ((error: unknown) => Promise<R>) | undefined;
  readonly #owner: QuestionOwner | undefined;
  #resolve!: (value: R | Promise<R>) => void;
  #reject!: (error: unknown) => void;
  #done = false;

  constructor(deps: TrackDeps, id: RequestId, method: string, opts: TrackOptions, token: ProgressToken | undefined,
    map: ((result: unknown) => R) | undefined, recover: ((error: unknown) => Promise<R>) | undefined, owner: QuestionOwner | undefined) {
    this.#deps = deps;
    this.#id = id;
    this.#method = method;
    this.#signal = opts.signal;
    this.timeoutMs = opts.timeoutMs ?? deps.limits.requestTimeoutMs;
    this.maxTotalTimeoutMs = opts.maxTotalTimeoutMs ?? deps.limits.maxTotalTimeoutMs;
    this.resetTimeoutOnProgress = opts.resetTimeoutOnProgress ?? opts.onProgress !== undefined;
    this.#token = token;
    this.#map = map;
    this.#recover = recover;
    this.#owner = owner;
    this.promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  settle(message: JsonRpcResponse): void {
    if (this.#done) return;
    this.#done = true;
    this.#cleanup();
    if ('error' in message) return this.#failed(RpcError.fromObject(message.error));
    try {
      this.#resolve(this.#map ? this.#map(message.result) : message.result as R);
    } catch (error) {
      this.#reject(error); // as `then(map, recover)`: a failing map is not recovered
    }
  }

  /** The request failed: rejected, or handed to `recover` in a later job (the engine may be mid-teardown now). */
  #failed(error: Error): void {
    const recover = this.#recover;
    if (recover) this.#resolve(Promise.reject(error).catch(recover));
    else this.#reject(error);
  }

  get method(): string {
    return this.#method;
  }

  fail(error: Error, sendCancel: boolean): void {
    if (this.#done) return;
    this.#done = true;
    const { correlation } = this.#deps;
    correlation.take(this.#id);
    correlation.abandon(this.#id);
    this.#cleanup();
    // 2025-11-25 lifecycle: initialize is never cancelled.
    if (sendCancel && this.#method !== 'initialize') this.#deps.sendCancel(this.#id, error.message);
    this.#failed(error);
  }

  /** The transport could not send the request or take its reply in (no cancel: it never arrived, or its answer is lost). */
  sendFailed(error: unknown): void {
    this.fail(asError(error), false);
  }

  /** A deadline of the correlation table passed. */
  timedOut(kind: TimeoutKind): void {
    this.fail(new McpError(LocalErrorCode.Timeout,
      `${this.#method} timed out after ${kind === 'idle' ? this.timeoutMs : this.maxTotalTimeoutMs} ms${kind === 'total' ? ' (total limit)' : ''}`), true);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.ownerAborted(this.#signal?.reason);
  }

  /** The inbound request it was asked for was aborted, or the caller's signal (2025-11-25 basic/utilities/cancellation). */
  ownerAborted(reason: unknown): void {
    this.fail(new McpError(LocalErrorCode.Aborted, `${this.#method} aborted`, { cause: reason }), true);
  }

  #cleanup(): void {
    if (this.#token !== undefined) this.#deps.progress.unregister(this.#token);
    this.#signal?.removeEventListener('abort', this);
    this.#owner?.release(this);
    this.#deps.ended(this.#id, this.#method);
  }
}

/** A request without options shares this one (no object made a call). */
export const NO_OPTIONS: { readonly signal?: never } = Object.freeze({});

/** A request refused before it was sent: rejected, or handed to the caller's `recover`. */
export const refused = <R>(error: unknown, recover: ((error: unknown) => Promise<R>) | undefined): Promise<R> =>
  recover ? recover(error) : Promise.reject(error);

/**
 * Register `id` as pending; its `promise` settles with the result, or with `map`'s turn of it
 * and `recover`'s answer to a failure when given (Peer.request). A question asked on behalf of
 * `owner` is held by it until it ends, and fails when the owner is aborted.
 */
export function trackRequest<R>(
  deps: TrackDeps, id: RequestId, method: string, opts: TrackOptions, token: ProgressToken | undefined,
  map?: (result: unknown) => R, recover?: (error: unknown) => Promise<R>, owner?: QuestionOwner,
): PendingEntry & SendFailure & { readonly promise: Promise<R> } {
  const entry = new OutboundRequest<R>(deps, id, method, opts, token, map, recover, owner);
  if (token !== undefined && opts.onProgress) deps.progress.register(token, id, opts.onProgress);
  deps.correlation.add(id, method, entry, entry); // the entry is its own timing and timeout handler
  opts.signal?.addEventListener('abort', entry, { once: true });
  owner?.hold(entry);
  return entry;
}

/**
 * The request as written: `params` as given, with our progress token merged into its `_meta`
 * when the caller follows progress (2025-11-25 basic/utilities/progress).
 */
export function outboundRequest(id: RequestId, method: string, params: unknown, token: ProgressToken | undefined): JsonRpcRequest {
  let sendParams = params as Record<string, unknown> | undefined;
  if (token !== undefined) sendParams = { ...sendParams, _meta: { ...(sendParams?._meta as object | undefined), progressToken: token } };
  return sendParams === undefined ? { jsonrpc: JSONRPC_VERSION, id, method } : { jsonrpc: JSONRPC_VERSION, id, method, params: sendParams };
}

/** The transport's options of one request (`relatedRequestId` as the caller's, or its owner's); none (the common case) makes no object. */
export function sendOptionsOf({ onResumptionToken }: Pick<SendOptions, 'onResumptionToken'>, relatedRequestId: RequestId | undefined): SendOptions | undefined {
  if (relatedRequestId === undefined && !onResumptionToken) return undefined;
  const options: SendOptions = {};
  if (relatedRequestId !== undefined) options.relatedRequestId = relatedRequestId;
  if (onResumptionToken) options.onResumptionToken = onResumptionToken;
  return options;
}
