/**
 * One outbound request's life after it is sent: its pending entry, timeouts, abort
 * listener and progress route, settled once by the response, a timeout, an abort, a lost
 * stream or the session closing (2025-11-25 basic/utilities/cancellation and progress).
 */
import { LocalErrorCode, McpError, RpcError } from './errors.ts';
import type { JsonRpcResponse, RequestId } from './jsonrpc.ts';
import type { Correlation } from './correlation.ts';
import type { ProgressCallback, ProgressRouter } from './progress.ts';
import type { ProgressToken } from './types/base.ts';
import type { SessionLimits } from './limits.ts';

/** What the session keeps per pending request. */
export interface PendingEntry {
  settle(message: JsonRpcResponse): void;
  fail(error: Error, sendCancel: boolean): void;
}

/** Timing and cancellation options of one request (the subset tracking needs). */
export interface TrackOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxTotalTimeoutMs?: number | undefined;
  resetTimeoutOnProgress?: boolean | undefined;
  onProgress?: ProgressCallback | undefined;
}

export interface TrackDeps {
  correlation: Correlation<PendingEntry>;
  progress: ProgressRouter;
  limits: SessionLimits;
  /** Tell the peer we gave up on `id` (notifications/cancelled). */
  sendCancel(id: RequestId, reason: string): void;
}

/** Register `id` as pending and return the promise of its result. */
export function trackRequest<R>(
  deps: TrackDeps, id: RequestId, method: string, opts: TrackOptions, token: ProgressToken | undefined,
): { promise: Promise<R>; entry: PendingEntry } {
  const { correlation, progress, limits } = deps;
  const { signal } = opts;
  let entry!: PendingEntry;
  const promise = new Promise<R>((resolve, reject) => {
    let done = false;
    const onAbort = () => entry.fail(new McpError(LocalErrorCode.Aborted, `${method} aborted`, { cause: signal?.reason }), true);
    const cleanup = () => {
      if (token !== undefined) progress.unregister(token);
      signal?.removeEventListener('abort', onAbort);
    };
    entry = {
      settle(message) {
        if (done) return;
        done = true;
        cleanup();
        if ('error' in message) reject(RpcError.fromObject(message.error));
        else resolve(message.result as R);
      },
      fail(error, sendCancel) {
        if (done) return;
        done = true;
        correlation.take(id);
        correlation.abandon(id);
        cleanup();
        // 2025-11-25 lifecycle: initialize is never cancelled.
        if (sendCancel && method !== 'initialize') deps.sendCancel(id, error.message);
        reject(error);
      },
    };
    if (token !== undefined && opts.onProgress) progress.register(token, id, opts.onProgress);
    const timeoutMs = opts.timeoutMs ?? limits.requestTimeoutMs;
    const maxTotalTimeoutMs = opts.maxTotalTimeoutMs ?? limits.maxTotalTimeoutMs;
    correlation.add(id, method, entry, {
      timeoutMs, maxTotalTimeoutMs, resetTimeoutOnProgress: opts.resetTimeoutOnProgress ?? opts.onProgress !== undefined,
    }, (kind) => entry.fail(new McpError(LocalErrorCode.Timeout,
      `${method} timed out after ${kind === 'idle' ? timeoutMs : maxTotalTimeoutMs} ms${kind === 'total' ? ' (total limit)' : ''}`), true));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, entry };
}
