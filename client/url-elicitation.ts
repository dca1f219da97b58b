/**
 * URL-mode elicitation on the client side (2025-11-25 client/elicitation: URL mode): the
 * `-32042` URLElicitationRequiredError a request may fail with, and the ids of out-of-band
 * interactions the client knows about, so that `notifications/elicitation/complete` is
 * delivered for those and ignored for any other id ("clients MUST ignore notifications
 * referencing unknown or already-completed IDs").
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  eraOf, type ElicitUrlParams, type Timers,
} from '../protocol/index.ts';
import { systemTimers } from '../protocol/correlation.ts';
import { isObject } from '../protocol/jsonrpc.ts';

type Obj = Record<string, unknown>;
/**
 * A 2025-11-25 URL elicitation, as carried in `-32042` error data or an `elicitation/create`
 * request: with its `elicitationId` (a 2026-07-28 request has none, see {@link urlElicitationProblem}).
 */
export function isUrlElicitation(value: unknown): value is ElicitUrlParams & { elicitationId: string } {
  return urlElicitationProblem(value, undefined) === undefined;
}

/**
 * Why a URL-mode `elicitation/create` of protocol `version` cannot be answered, or undefined.
 * 2025-11-25 client/elicitation requires `elicitationId`; 2026-07-28's URL request has only
 * `mode`, `message` and `url` (its schema and examples), so the Python SDK's server sends none.
 */
export function urlElicitationProblem(value: unknown, version: string | undefined): string | undefined {
  const needsId = version === undefined || eraOf(version) !== 'modern';
  return isObject(value) && value.mode === 'url' && typeof value.url === 'string' && typeof value.message === 'string'
    && (!needsId || typeof value.elicitationId === 'string')
    ? undefined : `a URL elicitation needs ${needsId ? '"message", "url" and "elicitationId"' : '"message" and "url"'} strings`;
}

/**
 * The URL elicitations a `-32042` error asks for (2025-11-25 URLElicitationRequiredError:
 * `data.elicitations`), or undefined when `error` is not one. Malformed entries are dropped.
 */
export function urlElicitationsOf(error: unknown): Array<ElicitUrlParams & { elicitationId: string }> | undefined {
  if (!(error instanceof RpcError) || error.code !== ErrorCode.UrlElicitationRequired) return undefined;
  const data: unknown = error.data;
  const list = isObject(data) && Array.isArray(data.elicitations) ? data.elicitations : [];
  return list.filter(isUrlElicitation);
}

/** Options of {@link ElicitationTracker.wait}. */
export interface WaitForElicitationOptions {
  /** Stop waiting (rejects with MCP_ERR_ABORTED). */
  signal?: AbortSignal;
  /** Give up after this many ms (rejects with MCP_ERR_TIMEOUT). Default: wait until the session ends. */
  timeoutMs?: number;
}

/** The URL elicitations one client knows about. */
export interface ElicitationTracker {
  /** Remember `id` as pending: its completion notification will be delivered. */
  expect(id: string): void;
  /** A completion arrived: true when `id` was pending (deliver it), false to ignore it. */
  complete(id: string): boolean;
  /** Resolves once `id` completed (at once when it already did); the id becomes expected. */
  wait(id: string, options?: WaitForElicitationOptions): Promise<void>;
  /** Reject every waiter (the session ended). */
  closeAll(error: Error): void;
}

/** Create a tracker remembering at most `maxIds` pending and `maxIds` completed ids (oldest dropped first). */
export function createElicitationTracker(maxIds = 1_000, timers: Pick<Timers, 'setTimeout' | 'clearTimeout'> = systemTimers): ElicitationTracker {
  const pending = new Set<string>();
  const completed = new Set<string>();
  const waiters = new Map<string, Set<{ resolve: () => void; reject: (e: Error) => void }>>();

  /** Insertion-ordered sets: dropping the first entry drops the oldest. */
  const bounded = (set: Set<string>, id: string) => {
    set.delete(id);
    set.add(id);
    if (set.size > maxIds) set.delete(set.values().next().value as string);
  };

  return {
    expect(id) {
      if (!completed.has(id)) bounded(pending, id);
    },
    complete(id) {
      if (!pending.delete(id)) return false;
      bounded(completed, id);
      const list = waiters.get(id);
      waiters.delete(id);
      for (const w of list ?? []) w.resolve();
      return true;
    },
    wait(id, options = {}) {
      if (completed.has(id)) return Promise.resolve();
      bounded(pending, id);
      return new Promise<void>((resolve, reject) => {
        const { signal, timeoutMs } = options;
        let timer: unknown;
        const entry = {
          resolve: () => { cleanup(); resolve(); },
          reject: (e: Error) => { cleanup(); reject(e); },
        };
        const onAbort = () => entry.reject(new McpError(LocalErrorCode.Aborted, `stopped waiting for elicitation ${JSON.stringify(id)}`, { cause: signal?.reason }));
        function cleanup(): void {
          waiters.get(id)?.delete(entry);
          if (waiters.get(id)?.size === 0) waiters.delete(id);
          if (timer !== undefined) timers.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
        if (signal?.aborted) return onAbort();
        let set = waiters.get(id);
        if (!set) waiters.set(id, (set = new Set()));
        set.add(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (timeoutMs !== undefined) {
          timer = timers.setTimeout(() => entry.reject(new McpError(LocalErrorCode.Timeout, `elicitation ${JSON.stringify(id)} did not complete within ${timeoutMs} ms`)), timeoutMs);
        }
      });
    },
    closeAll(error) {
      for (const list of [...waiters.values()]) for (const w of [...list]) w.reject(error);
      waiters.clear();
    },
  };
}
