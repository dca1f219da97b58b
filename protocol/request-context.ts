/**
 * The context an inbound request handler receives (peer.ts `onRequest`): the request's
 * identity, its cancellation signal, progress reporting (2025-11-25 basic/utilities/progress)
 * and requests or notifications that belong to it.
 *
 * One is made per inbound request, so it is a class: the signal, the progress emitter and
 * the methods' functions are made only when the handler uses them, and no accessor is
 * defined per object (an object literal with getters costs microseconds to create).
 */
import type { InFlightRequest } from './inbound-requests.ts';
import type { QuestionOwner } from './outbound.ts';
import type { JsonRpcRequest, RequestId } from './jsonrpc.ts';
import type { ParamsOf, ResultOf, SideMaps } from './methods.ts';
import { createProgressEmitter, progressTokenOf, type ProgressEmitter } from './progress.ts';
import type { RequestContext, RequestOptions } from './peer-types.ts';
import { SENT, type MessageExtra } from './transport.ts';
import type { ProgressToken } from './types/base.ts';

/** What the context needs from its peer. */
export interface ContextPeer<S extends SideMaps> {
  notify<M extends keyof S['outNotifications'] & string>(
    method: M, params: NoInfer<S['outNotifications'][M]>, options?: { relatedRequestId?: RequestId },
  ): Promise<void>;
  /** `owner`: the inbound request the question is asked for (peer.ts). */
  request<M extends keyof S['outRequests'] & string>(
    method: M, params: NoInfer<ParamsOf<S['outRequests'], M>>, options: RequestOptions | undefined,
    map: undefined, recover: undefined, owner: QuestionOwner,
  ): Promise<ResultOf<S['outRequests'], M>>;
}

export class InboundRequestContext<S extends SideMaps> implements RequestContext<S> {
  readonly requestId: RequestId;
  readonly method: string;
  readonly meta: Record<string, unknown> | undefined;
  readonly progressToken: ProgressToken | undefined;
  readonly extra: MessageExtra | undefined;
  readonly #entry: InFlightRequest;
  readonly #peer: ContextPeer<S>;
  #emitter: ProgressEmitter | undefined;
  #finished = false;
  #progressFn: RequestContext<S>['progress'] | undefined;
  #notifyFn: RequestContext<S>['notify'] | undefined;
  #requestFn: RequestContext<S>['request'] | undefined;

  constructor(peer: ContextPeer<S>, message: JsonRpcRequest, entry: InFlightRequest, extra: MessageExtra | undefined) {
    this.#peer = peer;
    this.#entry = entry;
    this.requestId = message.id;
    this.method = message.method;
    const params = message.params;
    this.meta = params?._meta as Record<string, unknown> | undefined;
    this.progressToken = progressTokenOf(params);
    this.extra = extra;
  }

  get signal(): AbortSignal {
    return this.#entry.signal;
  }

  /** The handler is done: progress stops (2025-11-25 progress: not after completion). */
  finish(): void {
    this.#finished = true;
  }

  // The methods are getters that hand out one arrow function each, made on first use: a
  // handler may destructure them, and one that never calls them costs no closure (or, under
  // transpilers that name every function they create, no per-request defineProperty).
  get progress(): RequestContext<S>['progress'] {
    return (this.#progressFn ??= (value, total, text) => this.#progress(value, total, text));
  }

  get notify(): RequestContext<S>['notify'] {
    return (this.#notifyFn ??= (method, params) => this.#peer.notify(method, params, { relatedRequestId: this.requestId }));
  }

  /**
   * A question on behalf of this request: it goes out related to it (on its stream over HTTP)
   * and fails when this request is aborted, held by the in-flight entry rather than through a
   * listener on its signal. The caller's options are passed as they are (no copy a question);
   * a `signal` among them is followed too, a `relatedRequestId` is this request's.
   */
  get request(): RequestContext<S>['request'] {
    return (this.#requestFn ??= (method, params, opts) => this.#peer.request(method, params, opts, undefined, undefined, this.#entry));
  }

  /**
   * Not async: the peer's promise is returned as it is (settled and shared when the message was
   * written at once), rather than an async function's promise awaiting it (bench d: a promise
   * and its jobs per notification). A failure still comes as a rejection.
   */
  #progress(value: number, total?: number, text?: string): Promise<void> {
    // 2025-11-25 progress: notifications stop once the request completes.
    if (this.#finished || this.#entry.aborted) return SENT;
    let params: ReturnType<ProgressEmitter['next']>;
    try {
      params = (this.#emitter ??= createProgressEmitter(this.progressToken)).next(value, total, text);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return params ? this.#peer.notify('notifications/progress' as never, params as never, { relatedRequestId: this.requestId }) : SENT;
  }
}
