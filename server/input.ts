/**
 * The input seam: what a handler may ask of the client while it runs (2025-11-25
 * client/elicitation, client/sampling, client/roots). `req.input()` carries it: in the 2025
 * era as a server-to-client request on the originating request's stream; in the 2026 era it
 * will answer the request with an `InputRequiredResult` instead, and resume or re-run the
 * handler when the client retries with the answers. For that the handler must never turn
 * the signal into a result of its own: {@link InputRequiredError} passes through every
 * error wrapping (a tool's `isError` result included).
 */
import {
  LocalErrorCode, McpError,
  type CreateMessageParams, type ElicitParams, type ResultOf, type ServerRequests,
} from '../protocol/index.ts';

/** One thing a handler asks of the client. */
export type InputRequest =
  | { readonly method: 'elicitation/create'; readonly params: ElicitParams }
  | { readonly method: 'sampling/createMessage'; readonly params: CreateMessageParams }
  | { readonly method: 'roots/list'; readonly params?: undefined };

/** The client's answer to an {@link InputRequest}. */
export type InputResult<R extends InputRequest> = ResultOf<ServerRequests, R['method']>;

/** How long to wait for the answer, and a signal to give up early. */
export interface InputOptions {
  /** Give up after this many ms; default: the session's request timeout. */
  timeoutMs?: number;
  /** Give up when this aborts (the request's own signal always applies too). */
  signal?: AbortSignal;
  /**
   * 2026-07-28 basic/patterns/mrtr: the key of this request in `inputRequests` (unique within the
   * request). Default: the method's short name and the call's rank, e.g. `elicitation-1`.
   */
  key?: string;
}

/**
 * The request cannot finish until the client supplies `requests`. Thrown by an era whose
 * `req.input()` does not wait for the answer (2026-07-28 multi round-trip requests); the
 * server core answers it, so handlers and their wrappers must let it through untouched.
 */
export class InputRequiredError extends McpError {
  override name = 'InputRequiredError';
  readonly requests: readonly InputRequest[];

  constructor(requests: readonly InputRequest[], options?: { cause?: unknown }) {
    super(LocalErrorCode.InputRequired, `the client must answer ${requests.map((r) => r.method).join(', ') || 'an input request'} before this request can finish`, options);
    this.requests = requests;
  }
}
