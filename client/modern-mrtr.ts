/**
 * Multi round-trip requests, the client's side (2026-07-28 basic/patterns/mrtr): a
 * `tools/call`, `prompts/get` or `resources/read` answered with an `InputRequiredResult` is
 * retried with a new id once its input requests are answered, with `inputResponses` under the
 * same keys and `requestState` echoed byte for byte (never parsed, never invented). The input
 * requests are answered by the same callbacks as the legacy era's server-to-client requests.
 */
import { LocalErrorCode, McpError, type Implementation, type RequestId } from '../protocol/index.ts';
import { loadOnce } from '../protocol/load-once.ts';
import type { InputAnswerers } from './inbound.ts';

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

/** The rounds after the first input request: loaded when a server first asks (the stdio client's footprint at start, issue #20). */
const rounds = loadOnce(() => import('./modern-mrtr-rounds.ts'));

/** 2026-07-28 basic/index: `resultType` absent means complete; an unknown one is invalid. */
export function resultTypeOf(result: Record<string, unknown>, deps: MrtrDeps): string {
  const type = result.resultType ?? 'complete';
  if (type === 'complete' || type === 'input_required' || (typeof type === 'string' && deps.also?.has(type))) return type as string;
  throw new McpError(LocalErrorCode.Protocol, `the server answered ${deps.method} with resultType ${JSON.stringify(type)}, which this client does not know`);
}

/** Run the rounds of one request until it completes: the first here, any more in modern-mrtr-rounds.ts. */
export async function runInputRounds(send: RoundSender, deps: MrtrDeps): Promise<Record<string, unknown>> {
  const result = await send({}, false);
  if (resultTypeOf(result, deps) !== 'input_required') return result;
  return (await rounds.load()).moreRounds(result, send, deps);
}
