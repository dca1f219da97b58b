/**
 * Progress routing (2025-11-25 basic/utilities/progress): tokens we hand out on our
 * requests, routing of the peer's notifications to the caller's callback, and the
 * "progress MUST increase" rule in both directions.
 */
import type { RequestId } from './jsonrpc.ts';
import type { ProgressToken } from './types/base.ts';
import type { ProgressParams } from './types/utilities.ts';

/** What a caller receives for each progress notification of its request. */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

export type ProgressCallback = (progress: Progress) => void;

interface Route {
  requestId: RequestId;
  callback: ProgressCallback;
  last: number;
}

/** Outcome of routing one inbound progress notification. */
export type ProgressRouting =
  | { ok: true; requestId: RequestId }
  | { ok: false; reason: string };

/** Tokens of our outbound requests, and where their progress goes. */
export interface ProgressRouter {
  /** Register `token` (unique among our active requests) for `requestId`. */
  register(token: ProgressToken, requestId: RequestId, callback: ProgressCallback): void;
  unregister(token: ProgressToken): void;
  /** Deliver a notification; refuses unknown tokens and values that do not increase. */
  route(params: ProgressParams): ProgressRouting;
}

export function createProgressRouter(): ProgressRouter {
  return new ProgressRoutes();
}

/** The router behind {@link createProgressRouter}: one small object per peer, its map made on first use. */
class ProgressRoutes implements ProgressRouter {
  #routes: Map<ProgressToken, Route> | undefined;

  register(token: ProgressToken, requestId: RequestId, callback: ProgressCallback): void {
    (this.#routes ??= new Map()).set(token, { requestId, callback, last: Number.NEGATIVE_INFINITY });
  }

  unregister(token: ProgressToken): void {
    this.#routes?.delete(token);
  }

  route(params: ProgressParams): ProgressRouting {
    const route = this.#routes?.get(params.progressToken);
    if (!route) return { ok: false, reason: `progress for unknown or finished token ${JSON.stringify(params.progressToken)}` };
    if (typeof params.progress !== 'number' || !Number.isFinite(params.progress)) {
      return { ok: false, reason: 'progress value is not a finite number' };
    }
    // 2025-11-25 progress: "The progress value MUST increase with each notification".
    if (params.progress <= route.last) {
      return { ok: false, reason: `progress ${params.progress} does not increase past ${route.last} (token ${JSON.stringify(params.progressToken)})` };
    }
    route.last = params.progress;
    const update: Progress = { progress: params.progress };
    if (typeof params.total === 'number') update.total = params.total;
    if (typeof params.message === 'string') update.message = params.message;
    route.callback(update);
    return { ok: true, requestId: route.requestId };
  }
}

/**
 * The sending side of one inbound request's progress: only the token the peer sent is
 * used, and non-increasing values are refused before they reach the wire.
 */
export interface ProgressEmitter {
  readonly token: ProgressToken | undefined;
  /** Params for the next notification, or undefined when none may be sent. */
  next(progress: number, total?: number, message?: string): ProgressParams | undefined;
}

export function createProgressEmitter(token: ProgressToken | undefined): ProgressEmitter {
  let last = Number.NEGATIVE_INFINITY;
  return {
    token,
    next(progress, total, message) {
      if (token === undefined) return undefined; // the peer did not ask for progress
      if (!Number.isFinite(progress)) throw new RangeError(`progress must be a finite number, got ${progress}`);
      if (progress <= last) throw new RangeError(`progress must increase: ${progress} after ${last}`);
      last = progress;
      const params: ProgressParams = { progressToken: token, progress };
      if (total !== undefined) params.total = total;
      if (message !== undefined) params.message = message;
      return params;
    },
  };
}

/**
 * Default of the longest string progress token a receiver takes (`PeerLimits.maxProgressTokenLength`).
 * Every progress notification echoes the token: with no bound, one 3 MB request whose tool
 * reports 200 steps made 600 MB of notifications and 8.5 s of the server's CPU.
 */
export const DEFAULT_MAX_PROGRESS_TOKEN_LENGTH = 1024;

/**
 * Why the progress token of request `params` is refused, or undefined. The spec sets no size
 * (2025-11-25 basic/utilities/progress: "a string or integer value"); the bound is ours.
 */
export function progressTokenProblem(params: unknown, max: number): string | undefined {
  const meta = (params as { _meta?: unknown } | null | undefined)?._meta;
  const token = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).progressToken : undefined;
  if (typeof token !== 'string' || token.length <= max) return undefined;
  return `Invalid params: _meta.progressToken is ${token.length} characters long; at most ${max} are taken (maxProgressTokenLength)`;
}

/**
 * Read a valid progress token from request params' `_meta`, if any. 2025-11-25
 * basic/utilities/progress: tokens "MUST be a string or integer value"; progress for 1.5 would
 * echo it in notifications the schema refuses, so such a request gets none.
 */
export function progressTokenOf(params: Record<string, unknown> | undefined): ProgressToken | undefined {
  const meta = params?._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const token = (meta as Record<string, unknown>).progressToken;
  return typeof token === 'string' || Number.isInteger(token) ? token as ProgressToken : undefined;
}
