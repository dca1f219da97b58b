/**
 * `req` for a 2026-07-28 request: its facts come from the request's own envelope, its
 * notifications go on its own stream (2026-07-28 basic/transports/streamable-http: only notifications that
 * relate to the request, never a server-to-client request), and `input()` becomes a multi
 * round-trip when the method allows one. A request that spans rounds keeps one `req`; each
 * round rebinds it to the retry's id, envelope and stream.
 */
import {
  LocalErrorCode, McpError,
  type ClientCapabilities, type Implementation, type JsonRpcNotification, type LoggingLevel, type ProgressToken,
  type RequestId, type ServerNotifications,
} from '../../protocol/index.ts';
import type { InputOptions, InputRequest, InputResult } from '../input.ts';
import { NO_AUTH, type RequestAuth, type RequestNotification, type ServerRequest } from '../request.ts';
import { Continuation } from './continuation.ts';
import type { Envelope } from './envelope.ts';
import type { CancelSource } from './cancel-source.ts';


/** Where a request's notifications go (its SSE stream, or stdout); may be absent. */
export type NotificationSink = (notification: JsonRpcNotification) => void | Promise<void>;

/** One round: the request that carries the handler now. */
export interface Round {
  readonly requestId: RequestId;
  readonly envelope: Envelope;
  readonly sink: NotificationSink | undefined;
  readonly auth: RequestAuth;
}

/** What a first round's handler promise settles with when the handler asked (ModernRequest.mayAsk). */
export const ASKED: unique symbol = Symbol('asked');

/** A first round's answers: none (read only, shared). */
const NO_ANSWERS: Record<string, unknown> = Object.freeze({});

export class ModernRequest implements ServerRequest {
  readonly method: string;
  readonly sessionId = undefined;
  readonly connection = undefined;
  #round: Round;
  readonly #cancel: CancelSource;
  /** The signal of a call made without one (never aborted), made when read. */
  #idle: AbortSignal | undefined;
  #continuation: Continuation | undefined;
  /**
   * A first round's request (nothing answered yet) of a method that may ask: its continuation
   * is made only when the handler asks or reads its signal, and this tells the dispatcher it
   * asked. A call that never asks makes none (it was ~1.7 KB of objects and promises a call).
   */
  #onAsk: ((asked: typeof ASKED) => void) | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;

  constructor(method: string, round: Round, cancel: CancelSource, continuation?: Continuation) {
    this.method = method;
    this.#round = round;
    this.#cancel = cancel;
    this.#continuation = continuation;
  }

  /**
   * Make this request's continuation only if its handler asks or reads its signal (a first
   * round): `onAsk` is called with {@link ASKED} at its first `input()`.
   */
  mayAsk(onAsk: (asked: typeof ASKED) => void): void {
    this.#onAsk = onAsk;
  }

  /** The continuation, once made (by the dispatcher, or here on a first round's ask). */
  get continuation(): Continuation | undefined { return this.#continuation; }

  /** A first round's continuation, made now: its handler asks, or holds its signal. */
  #lateContinuation(): Continuation {
    const cont = new Continuation(NO_ANSWERS, this.clientCapabilities, this.#cancel);
    cont.owner = this;
    this.#continuation = cont;
    return cont;
  }

  /** Runs before the response goes out (the log rate's dropped count: context.ts). */
  #beforeResponse: (() => Promise<void> | undefined) | undefined;

  /** `fn` runs once, before this request's next response (or round's answer) is sent. */
  beforeResponse(fn: () => Promise<void> | undefined): void {
    this.#beforeResponse = fn;
  }

  /** Run what waits for the response (the dispatcher, before it answers). */
  settle(): Promise<void> | undefined {
    const fn = this.#beforeResponse;
    this.#beforeResponse = undefined;
    return fn?.();
  }

  /** The retry of a multi round-trip request now carries the handler. */
  rebind(round: Round): void {
    this.#round = round;
  }

  get requestId(): RequestId { return this.#round.requestId; }
  get protocolVersion(): string { return this.#round.envelope.protocolVersion; }
  get clientCapabilities(): ClientCapabilities { return this.#round.envelope.clientCapabilities; }
  get clientInfo(): Implementation | undefined { return this.#round.envelope.clientInfo; }
  get logLevel(): LoggingLevel | undefined { return this.#round.envelope.logLevel; }
  get meta(): Record<string, unknown> { return this.#round.envelope.meta; }
  get progressToken(): ProgressToken | undefined { return this.#round.envelope.progressToken; }
  get auth(): RequestAuth { return this.#round.auth ?? NO_AUTH; }
  // The continuation's signal is read only when the handler asks (it is made on first use).
  get signal(): AbortSignal {
    if (!this.#continuation && this.#onAsk) return this.#lateContinuation().signal; // it aborts if a later suspension is dropped
    return this.#continuation?.signal ?? this.#cancel.signal ?? (this.#idle ??= new AbortController().signal);
  }

  async notify<M extends RequestNotification>(method: M, params: ServerNotifications[M]): Promise<void> {
    // 2026-07-28 server/utilities/logging: no log message unless the request set a level;
    // elicitation/complete belongs to server-to-client requests, which this era has not.
    if (method !== 'notifications/message' || this.logLevel === undefined) return;
    await this.#round.sink?.({ jsonrpc: '2.0', method, params: params as never });
  }

  async progress(progress: number, total?: number, message?: string): Promise<void> {
    const token = this.progressToken;
    if (token === undefined) return;
    // basic/utilities/progress: the value MUST increase with each notification.
    if (!(progress > this.#lastProgress)) throw new McpError(LocalErrorCode.Protocol, `progress must increase (${progress} after ${this.#lastProgress})`);
    this.#lastProgress = progress;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await this.#round.sink?.({ jsonrpc: '2.0', method: 'notifications/progress', params: params as never });
  }

  input<R extends InputRequest>(request: R, options?: InputOptions): Promise<InputResult<R>> {
    const onAsk = this.#onAsk;
    if (onAsk) {
      this.#onAsk = undefined;
      const cont = this.#continuation ?? this.#lateContinuation();
      onAsk(ASKED);
      return cont.input(request, options) as Promise<InputResult<R>>;
    }
    if (!this.#continuation) {
      return Promise.reject(new McpError(LocalErrorCode.Capability, `${this.method} cannot ask the client for input (2026-07-28: only tools/call, prompts/get and resources/read can)`));
    }
    return this.#continuation.input(request, options) as Promise<InputResult<R>>;
  }
}
