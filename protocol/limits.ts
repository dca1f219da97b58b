import { ErrorCode, type RpcErrorObject } from './errors.ts';
import { DEFAULT_MAX_PROGRESS_TOKEN_LENGTH, progressTokenProblem } from './progress.ts';

/** Limits of one peer (`createPeer` option `limits`), each an option with a documented default (README: limits). */
export interface PeerLimits {
  /** Idle timeout of an outbound request in ms (reset by progress when asked). Default 60 000. */
  requestTimeoutMs: number;
  /** Hard cap on one outbound request in ms, progress or not. Default 3 600 000 (one hour). */
  maxTotalTimeoutMs: number;
  /** Outbound requests awaiting a response at once. Default 1 024. */
  maxPendingRequests: number;
  /** Inbound requests being handled at once; more are refused with -32001. Default 1 024. */
  maxInflightHandlers: number;
  /**
   * Longest string `_meta.progressToken` of an inbound request, in characters; a longer one is
   * refused with -32602 (each progress notification echoes it). Default 1 024.
   */
  maxProgressTokenLength: number;
  /**
   * Requests a side that answers none (a 2026-07-28 client, `unansweredRequests`) drops and
   * reports one by one through `onError`; past it only the 10th, 100th, 1000th, ... are. Default 10.
   */
  maxUnansweredReports: number;
}

export const DEFAULT_PEER_LIMITS: Readonly<PeerLimits> = Object.freeze({
  requestTimeoutMs: 60_000,
  maxTotalTimeoutMs: 3_600_000,
  maxPendingRequests: 1_024,
  maxInflightHandlers: 1_024,
  maxProgressTokenLength: DEFAULT_MAX_PROGRESS_TOKEN_LENGTH,
  maxUnansweredReports: 10,
});

/**
 * The `count`th report of a kind that may flood (stray lines, requests dropped unanswered):
 * '' to give it as it is, the words to add to it, or undefined to leave it out. The first
 * `max` are given one by one, then only the 10th, 100th, 1000th, ...: a flood costs a few reports.
 */
export function thinnedReport(count: number, max: number, what: string, option: string): string | undefined {
  if (count <= max) return '';
  return /^10+$/.test(String(count)) ? ` (${count} ${what} so far; reports thin out past ${option} = ${max})` : undefined;
}

/**
 * Why an inbound request is refused before its handler runs, by the peer's limits (`inFlight`:
 * the requests being handled now), or undefined: -32001 when too many are in flight, -32602
 * for a progress token longer than `maxProgressTokenLength`.
 */
export function inboundLimitError(inFlight: number, params: unknown, limits: PeerLimits): RpcErrorObject | undefined {
  if (inFlight >= limits.maxInflightHandlers) {
    return { code: ErrorCode.ServerBusy, message: `too many requests in flight (limit ${limits.maxInflightHandlers})` };
  }
  const tokenProblem = progressTokenProblem(params, limits.maxProgressTokenLength);
  return tokenProblem === undefined ? undefined : { code: ErrorCode.InvalidParams, message: tokenProblem };
}

/**
 * A count option as given (`fallback` when undefined), or a RangeError naming the option: a
 * page size of 0 or "10" would otherwise surface far away ("Invalid cursor", a list that never ends).
 * `least` 0 admits 0 (a count of rounds that may be none); `unbounded` admits Infinity (no limit).
 */
export function positiveIntegerOption(name: string, value: unknown, fallback: number, least: 0 | 1 = 1, unbounded?: boolean): number {
  if (value === undefined || (unbounded && value === Infinity)) return (value ?? fallback) as number;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
    throw new RangeError(`${name} must be a ${least ? 'positive' : 'non-negative'} integer${unbounded ? ' or Infinity' : ''}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return value;
}

/** A limit as given (`fallback` when undefined): a positive integer, or Infinity for none; else a RangeError naming it. */
export const limitOption = (name: string, value: unknown, fallback: number): number => positiveIntegerOption(name, value, fallback, 1, true);

/** Default size limit of one framed message (stdio line, SSE event, memory message): 4 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Default size limit of one message a client transport reads from its server (stdio line, SSE
 * event, JSON body): 16 MiB, four times a server's. A server bounds what strangers send it; a
 * client bounds what the server it chose answers, and servers inflate text: the Python SDK's
 * 2026-07-28 JSON replies write each non-ASCII character as `\uXXXX` (an emoji as 12 bytes)
 * and carry a text result twice (content and structuredContent), so 1 MB of text comes as 6 MB.
 */
export const DEFAULT_CLIENT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Merged limits per frozen partial: every connection of a server passes the same frozen
 * object, so its peers share one limits object instead of a copy each (memory per idle session).
 */
const sharedLimits = new WeakMap<Partial<PeerLimits>, Readonly<PeerLimits>>();

/**
 * A peer's limits: the defaults with `given` over them (a key given as undefined keeps its
 * default). Throws a RangeError naming a limit that is not a positive integer or Infinity (no
 * limit): `requestTimeoutMs: -1` otherwise timed out every request at once.
 */
export function limitsFor(given: Partial<PeerLimits> | undefined): Readonly<PeerLimits> {
  if (given === undefined) return DEFAULT_PEER_LIMITS;
  // A partial that may still change is copied, as it always was.
  if (!Object.isFrozen(given)) return mergeLimits(given);
  let merged = sharedLimits.get(given);
  if (!merged) sharedLimits.set(given, merged = Object.freeze(mergeLimits(given)));
  return merged;
}

function mergeLimits(given: Partial<PeerLimits>): PeerLimits {
  const merged = { ...DEFAULT_PEER_LIMITS };
  for (const key of Object.keys(merged) as Array<keyof PeerLimits>) {
    const value = given[key];
    merged[key] = limitOption(`limits.${key}`, value, merged[key]);
  }
  return merged;
}
