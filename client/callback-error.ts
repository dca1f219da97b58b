/**
 * One error for the application's own input callbacks failing, in both eras: `onElicit`,
 * `onSample` or `onRoots` threw, or answered what the client refuses to send. The 2025 era
 * answers the server's request with it (2025-11-25 basic: an error response), the 2026-07-28
 * era cannot send the retry at all (basic/patterns/mrtr): either way the caller catches the
 * same class, with the callback's own error as `cause`. Only the class is here, in the client's
 * first chunk; making one and matching it to a call are in callback-failures.ts, loaded on the
 * first failure (the stdio client's footprint, issue #20).
 */
import { McpError, type LocalErrorCode, type RpcError, type RequestId } from '../protocol/index.ts';

/** The client option whose callback failed. */
export type CallbackName = 'onElicit' | 'onSample' | 'onRoots';

/** What a {@link CallbackError} is made of (callback-failures.ts makes them). */
export interface CallbackFailure {
  callback: CallbackName;
  method: string;
  relatedRequestId: RequestId | undefined;
  cause: unknown;
  wire: RpcError;
  serverError?: RpcError | undefined;
}

/**
 * The application's `onElicit`, `onSample` or `onRoots` failed while answering the server.
 * `code` is `MCP_ERR_CALLBACK` when the callback threw (its error is `cause`) and
 * `MCP_ERR_VALIDATION` when its answer could not be sent (a form's content that breaks the
 * requested schema, a sampling answer that breaks the request's tool rules, roots that are not
 * `file://` URIs). Reported to `onError` when it happens; the call it came under rejects with
 * it in the 2026-07-28 era, and in the 2025 era when the server fails the call with the error
 * it was answered (ours does unless the tool catches it; a server may also carry on).
 * Made by the client, not by applications.
 */
export class CallbackError extends McpError {
  override readonly name = 'CallbackError';
  // `declare`d and set by one Object.assign: a field each would cost the stdio client's first chunk twice.
  /** The client option that failed. */
  declare readonly callback: CallbackName;
  /** The server's input request it was answering (`elicitation/create`, ...). */
  declare readonly method: string;
  /** The request of ours the input was asked under, when the transport says (HTTP does, stdio does not). */
  declare readonly relatedRequestId: RequestId | undefined;
  /**
   * What the 2025-era server is answered with: an `RpcError` the callback threw as it is (a
   * declined sampling's -1, 2025-11-25 client/sampling), else -32603 with the callback's own
   * message or the refusal's (2025-11-25 basic: an error response).
   */
  declare readonly wire: RpcError;
  /**
   * 2025 era only: the server's error that ended the call after it was answered with `wire`
   * (undefined on the error given to `onError`, and in the 2026-07-28 era, where nothing is sent).
   */
  declare readonly serverError: RpcError | undefined;

  constructor(code: LocalErrorCode, message: string, failure: CallbackFailure) {
    super(code, message, { cause: failure.cause });
    Object.assign(this, failure, { serverError: failure.serverError });
  }
}
