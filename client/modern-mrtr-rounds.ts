/**
 * The rounds of a multi round-trip request after the server first answers `input_required`
 * (2026-07-28 basic/patterns/mrtr; modern-mrtr.ts sends the first): each input request answered
 * by the client's callbacks, the request retried with a new id, `inputResponses` under the same
 * keys and `requestState` echoed byte for byte. Loaded on the first such answer.
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError, type RequestId } from '../protocol/index.ts';
import { resultTypeOf, type MrtrDeps, type RoundSender } from './modern-mrtr.ts';
import type { InboundContext } from './types.ts';

const never = new AbortController().signal;

/**
 * Answer `first` (an InputRequiredResult) and retry until the request completes. A retry whose
 * `requestState` the server refuses as no longer usable ({@link lostState}) starts the request
 * over once, as a new request without it; refused again, the call fails with both refusals named.
 */
export async function moreRounds(first: Record<string, unknown>, send: RoundSender, deps: MrtrDeps): Promise<Record<string, unknown>> {
  let startedOver: RpcError | undefined;
  let result = first;
  for (let round = 0; ; round++) {
    if (resultTypeOf(result, deps) !== 'input_required') return result;
    if (round >= deps.maxRounds) {
      throw new McpError(LocalErrorCode.Protocol, `${deps.method} still needed input after ${deps.maxRounds} rounds (the client's maxInputRounds)`);
    }
    const { inputRequests, requestState } = result;
    if (inputRequests === undefined && requestState === undefined) {
      throw new McpError(LocalErrorCode.Protocol, `the server answered ${deps.method} with input_required but neither inputRequests nor requestState`);
    }
    if (requestState !== undefined && typeof requestState !== 'string') {
      throw new McpError(LocalErrorCode.Protocol, `the server answered ${deps.method} with a requestState that is not a string`);
    }
    // These fields belong to this retry only (basic/patterns/mrtr).
    const extra: Record<string, unknown> = {};
    if (inputRequests !== undefined) extra.inputResponses = await untilAborted(answerAll(inputRequests, deps), deps);
    if (requestState !== undefined) extra.requestState = requestState;
    try {
      result = await send(extra, true);
    } catch (error) {
      const reason = requestState === undefined || deps.signal?.aborted ? undefined : lostState(error);
      if (reason === undefined) throw error;
      if (startedOver) throw refusedTwice(error as RpcError, reason, startedOver, deps.method);
      // 2026-07-28 basic/patterns/mrtr: each request is independent and the server keeps no
      // state but what it sealed; a state it can no longer honour (a retry it consumed before
      // its answer was lost, a person slower than its TTL) leaves only the original request,
      // sent again as a new one (no requestState, no inputResponses), whose input is asked anew.
      startedOver = error as RpcError;
      result = await send({}, false);
      round = -1; // the rounds are counted again from the new request's first answer
    }
  }
}

/**
 * Why the server refused a retry's `requestState` as one it can no longer honour, or undefined:
 * -32602 with `data.reason` `replayed` (single use: already consumed) or `expired` (mcpwire's
 * servers), or `invalid_request_state` (the Python SDK's one reason for "invalid or expired").
 * A state refused as changed, malformed or another request's is not retried: this client
 * echoes it byte for byte, so starting over would hide a fault rather than recover from one.
 */
function lostState(error: unknown): string | undefined {
  if (!(error instanceof RpcError) || error.code !== ErrorCode.InvalidParams) return undefined;
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  return reason === 'replayed' || reason === 'expired' || reason === 'invalid_request_state' ? reason : undefined;
}

/** The error of a request started over whose state was refused again: the server's, with both refusals said. */
function refusedTwice(error: RpcError, reason: string, first: RpcError, method: string): RpcError {
  const before = lostState(first);
  return new RpcError(error.code, `${method} failed: the server refused its requestState as ${reason} (${error.message}) after the request had been started over once because it refused an earlier one as ${before} (${first.message})`, error.data, { cause: error });
}

/**
 * `answers`, unless the caller aborts first: then the call rejects at once, as a call cancelled
 * in the 2025-11-25 era does, instead of waiting for a form a person may never fill in (the
 * callbacks see the same signal and may close it). Nothing is sent: the retry is abandoned.
 */
function untilAborted<T>(answers: Promise<T>, deps: MrtrDeps): Promise<T> {
  const signal = deps.signal;
  if (!signal) return answers;
  const aborted = () => new McpError(LocalErrorCode.Aborted, `${deps.method} aborted while the client answered the server's input requests`, { cause: signal.reason });
  if (signal.aborted) {
    answers.catch(() => undefined); // abandoned: its late failure is nobody's
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      answers.catch(() => undefined);
      reject(aborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    answers.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/** Answer every input request, concurrently, under its key. */
async function answerAll(requests: unknown, deps: MrtrDeps): Promise<Record<string, unknown>> {
  if (typeof requests !== 'object' || requests === null || Array.isArray(requests)) {
    throw new McpError(LocalErrorCode.Protocol, `the server answered ${deps.method} with inputRequests that is not an object`);
  }
  const entries = Object.entries(requests as Record<string, unknown>);
  // Each is answered at once (a form, a model call): a round asking thousands is refused whole.
  if (entries.length > deps.maxRequests) {
    throw new McpError(LocalErrorCode.TooManyPending, `the server asked for ${entries.length} inputs at once in ${deps.method}, more than the client's maxInputRequests (${deps.maxRequests})`);
  }
  const answers = await Promise.all(entries.map(async ([key, request]) => {
    const { method, params } = (request ?? {}) as { method?: unknown; params?: unknown };
    const answer = typeof method === 'string' ? deps.answerers.get(method) : undefined;
    if (!answer) {
      // basic/patterns/mrtr: a server MUST NOT ask for what the client did not declare.
      throw new McpError(LocalErrorCode.Capability, `the server asked for input ${JSON.stringify(key)} with ${JSON.stringify(method)}, which this client did not declare`);
    }
    const ctx: InboundContext = { signal: deps.signal ?? never, requestId: key as RequestId, relatedRequestId: deps.roundId?.(), server: deps.server() };
    return [key, await answer(params, ctx)] as const;
  }));
  return Object.fromEntries(answers);
}
