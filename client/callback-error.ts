/**
 * One error for the application's own input callbacks failing, in both eras: `onElicit`,
 * `onSample` or `onRoots` threw, or answered what the client refuses to send. The 2025 era
 * answers the server's request with -32603 carrying the failure's message (2025-11-25
 * basic: an error response, as before), the 2026-07-28 era cannot send the retry at all
 * (basic/patterns/mrtr): either way the caller catches the same class, with the callback's
 * own error as `cause`.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type RequestId } from '../protocol/index.ts';

/** The callback that answers each input request. */
export const CALLBACK_OF = {
  'elicitation/create': 'onElicit',
  'sampling/createMessage': 'onSample',
  'roots/list': 'onRoots',
} as const;

/** The client option whose callback failed. */
export type CallbackName = (typeof CALLBACK_OF)[keyof typeof CALLBACK_OF];

/**
 * The application's `onElicit`, `onSample` or `onRoots` failed while answering the server.
 * `code` is `MCP_ERR_CALLBACK` when the callback threw (its error is `cause`) and
 * `MCP_ERR_VALIDATION` when its answer could not be sent (a form's content that breaks the
 * requested schema, a sampling answer that breaks the request's tool rules, roots that are not
 * `file://` URIs). Reported to `onError` when it happens; the call it came under rejects with
 * it in the 2026-07-28 era, and in the 2025 era when the server fails the call with the error
 * it was answered (ours does unless the tool catches it; a server may also carry on).
 */
export class CallbackError extends McpError {
  override readonly name = 'CallbackError';
  /** The client option that failed. */
  readonly callback: CallbackName;
  /** The server's input request it was answering (`elicitation/create`, ...). */
  readonly method: string;
  /** The request of ours the input was asked under, when the transport says (HTTP does, stdio does not). */
  readonly relatedRequestId: RequestId | undefined;
  /**
   * 2025 era only: the server's error that ended the call after it was answered -32603
   * (undefined on the error given to `onError`, and in the 2026-07-28 era, where nothing is sent).
   */
  readonly serverError: RpcError | undefined;
  /**
   * What the 2025-era server is answered with: an `RpcError` the callback threw as it is (a
   * declined sampling's -1, 2025-11-25 client/sampling), else -32603 with the callback's own
   * message or the refusal's (2025-11-25 basic: an error response).
   */
  readonly wire: RpcError;

  constructor(method: string, relatedRequestId: RequestId | undefined, failure: unknown, serverError?: RpcError) {
    const refused = failure instanceof McpError && failure.code === LocalErrorCode.Validation;
    const own = failure instanceof Error ? failure.message : String(failure);
    const callback = CALLBACK_OF[method as keyof typeof CALLBACK_OF] ?? 'onElicit';
    super(refused ? LocalErrorCode.Validation : LocalErrorCode.Callback,
      refused ? own : `${callback} failed answering ${method}: ${own || 'no message'}`, { cause: failure });
    this.callback = callback;
    this.method = method;
    this.relatedRequestId = relatedRequestId;
    this.serverError = serverError;
    this.wire = failure instanceof RpcError ? failure : new RpcError(ErrorCode.InternalError, own || 'Internal error');
  }
}

/** What {@link createCallbackFailures} makes: `remember` a failure sent to the server, `claim` it for the call's error. */
export interface CallbackFailures {
  remember(error: CallbackError): void;
  /** The CallbackError to reject the call with instead of `error`, or undefined. */
  claim(error: unknown): Error | undefined;
}

/** Failures remembered for the calls they came under: a few at a time (the oldest go first). */
const KEPT = 16;

/**
 * The 2025 era's callback failures, kept until the call they came under fails with the error
 * they were answered with: that call then rejects with the {@link CallbackError} (the server's
 * error as `serverError`) rather than the round-tripped RpcError. Matched by the message the
 * server was sent, since a 2025 request's id is not known to the helper that awaits it.
 */
export function createCallbackFailures(): CallbackFailures {
  const kept: CallbackError[] = [];
  return {
    remember(error) {
      if (error.wire.message === 'Internal error') return; // a failure with no message of its own cannot be told apart
      kept.push(error);
      if (kept.length > KEPT) kept.shift();
    },
    claim(error) {
      if (kept.length === 0 || !(error instanceof RpcError)) return undefined;
      // The server passes the error on (its code), or wraps it as its own internal error.
      const at = kept.findIndex((f) => (error.code === f.wire.code || error.code === ErrorCode.InternalError) && error.message.includes(f.wire.message));
      if (at < 0) return undefined;
      const [failure] = kept.splice(at, 1) as [CallbackError];
      return new CallbackError(failure.method, failure.relatedRequestId, failure.cause, error);
    },
  };
}
