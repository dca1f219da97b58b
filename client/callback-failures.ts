/**
 * Making a {@link CallbackError} and matching it to the call it came under (README "When a
 * callback fails"). Loaded on the first callback failure (callback-error.ts holds the class).
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type RequestId } from '../protocol/index.ts';
import { CallbackError, type CallbackName } from './callback-error.ts';

const CALLBACK_OF: Readonly<Record<string, CallbackName>> = {
  'elicitation/create': 'onElicit',
  'sampling/createMessage': 'onSample',
  'roots/list': 'onRoots',
};

/** The CallbackError for `failure` (what the callback threw, or the McpError refusing its answer). */
export function callbackError(method: string, relatedRequestId: RequestId | undefined, failure: unknown): CallbackError {
  const refused = failure instanceof McpError && failure.code === LocalErrorCode.Validation;
  const own = failure instanceof Error ? failure.message : String(failure);
  const callback = CALLBACK_OF[method] ?? 'onElicit';
  // 2025-11-25 basic: the request is answered with an error; an RpcError the callback chose goes as it is.
  const wire = failure instanceof RpcError ? failure : new RpcError(ErrorCode.InternalError, own || 'Internal error');
  return new CallbackError(refused ? LocalErrorCode.Validation : LocalErrorCode.Callback,
    refused ? own : `${callback} failed answering ${method}: ${own || 'no message'}`,
    { callback, method, relatedRequestId, cause: failure, wire });
}

/**
 * The CallbackError to reject a 2025 call with instead of `error`, taken out of `kept`: the
 * failure whose answer the server failed the call with (its code passed on, or wrapped as its own
 * internal error, the message kept). Matched by message, since a 2025 request's id is not known
 * to the helper that awaits it; undefined when none matches (the server's error stands).
 */
export function claimFailure(kept: CallbackError[], error: unknown): CallbackError | undefined {
  if (!(error instanceof RpcError)) return undefined;
  const at = kept.findIndex((f) => f.wire.message !== 'Internal error'
    && (error.code === f.wire.code || error.code === ErrorCode.InternalError) && error.message.includes(f.wire.message));
  if (at < 0) return undefined;
  const [f] = kept.splice(at, 1) as [CallbackError];
  return new CallbackError(f.code, f.message, { ...f, cause: f.cause, serverError: error });
}
