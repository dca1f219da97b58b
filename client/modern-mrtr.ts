/**
 * Multi round-trip requests, the client's side (2026-07-28 basic/patterns/mrtr): a
 * `tools/call`, `prompts/get` or `resources/read` answered with an `InputRequiredResult` is
 * retried with a new id once its input requests are answered, with `inputResponses` under the
 * same keys and `requestState` echoed byte for byte (never parsed, never invented). The input
 * requests are answered by the same callbacks as the legacy era's server-to-client requests.
 */
import { LocalErrorCode, McpError, type Implementation, type RequestId } from '../protocol/index.ts';
import type { InputAnswerers } from './inbound.ts';
import type { InboundContext } from './types.ts';

/** One round's request, as the loop asks for it; `retry` is true from the second round on. */
export type RoundSender = (extra: Record<string, unknown>, retry: boolean) => Promise<Record<string, unknown>>;

/** What the loop needs besides the sender. */
export interface MrtrDeps {
  answerers: InputAnswerers;
  /** Rounds answered before giving up (the first request is not counted). */
  maxRounds: number;
  /** Input requests one round may ask for at once. */
  maxRequests: number;
  server(): Implementation | undefined;
  signal?: AbortSignal | undefined;
  method: string;
  /**
   * Result types that end the loop besides `complete`: `task` when the request declared the
   * tasks extension (2026-07-28 basic/index: extensions the request advertised add values).
   */
  also?: ReadonlySet<string> | undefined;
  /**
   * The id of the round's request that asked (each round has its own id): an input request's
   * `relatedRequestId`, so a host with several calls on one server knows whose question it is.
   */
  roundId?: (() => RequestId | undefined) | undefined;
}

const never = new AbortController().signal;

/** 2026-07-28 basic/index: `resultType` absent means complete; an unknown one is invalid. */
function resultTypeOf(result: Record<string, unknown>, deps: MrtrDeps): string {
  const type = result.resultType ?? 'complete';
  if (type === 'complete' || type === 'input_required' || (typeof type === 'string' && deps.also?.has(type))) return type as string;
  throw new McpError(LocalErrorCode.Protocol, `the server answered ${deps.method} with resultType ${JSON.stringify(type)}, which this client does not know`);
}

/** Run the rounds of one request until it completes. */
export async function runInputRounds(send: RoundSender, deps: MrtrDeps): Promise<Record<string, unknown>> {
  let extra: Record<string, unknown> = {};
  for (let round = 0; ; round++) {
    const result = await send(extra, round > 0);
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
    extra = {};
    if (inputRequests !== undefined) extra.inputResponses = await untilAborted(answerAll(inputRequests, deps), deps);
    if (requestState !== undefined) extra.requestState = requestState;
  }
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
