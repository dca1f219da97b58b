/**
 * When to reconnect a lost SSE stream, and for how long to keep trying
 * (2025-11-25 basic/transports: resumability and redelivery). The policy is pure arithmetic;
 * waiting goes through injectable timers so tests control time.
 */
import type { Timers } from '../../protocol/index.ts';

/** Reconnection settings of the HTTP client transport. */
export interface ReconnectOptions {
  /** Delay before the first reconnection when the server sent no `retry`. Default 1 000 ms. */
  initialDelayMs?: number;
  /** Upper bound of the growing delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth of the delay after each attempt that brought nothing. Default 2. */
  factor?: number;
  /**
   * Reconnection attempts in a row that bring no new event before the stream is given up.
   * Default 10. 0 gives up at the first loss.
   */
  maxAttempts?: number;
}

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT: Readonly<Required<ReconnectOptions>> = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 2,
  maxAttempts: 10,
};

/** A resolved reconnection policy. */
export interface ReconnectPolicy {
  readonly maxAttempts: number;
  /**
   * The delay before reconnection attempt number `attempt` (0 for the first after progress).
   * `retryMs` is the last SSE `retry` the server sent on that stream, if any.
   */
  delayFor(attempt: number, retryMs: number | undefined): number;
}

function check(name: string, value: number, min: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(`reconnect.${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${value}`);
  }
  return value;
}

/** Resolve {@link ReconnectOptions} against the defaults; throws RangeError on bad values. */
export function createReconnectPolicy(options: ReconnectOptions = {}): ReconnectPolicy {
  const initialDelayMs = check('initialDelayMs', options.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs, 0);
  const maxDelayMs = check('maxDelayMs', options.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs, initialDelayMs);
  const factor = check('factor', options.factor ?? DEFAULT_RECONNECT.factor, 1);
  const maxAttempts = check('maxAttempts', options.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts, 0, true);
  return {
    maxAttempts,
    delayFor(attempt, retryMs) {
      // 2025-11-25 basic/transports: the client MUST wait the server's `retry` before
      // reconnecting. It is a floor: later attempts back off beyond it.
      if (attempt === 0) return retryMs ?? initialDelayMs;
      const backoff = Math.min(maxDelayMs, initialDelayMs * factor ** attempt);
      return Math.max(retryMs ?? 0, backoff);
    },
  };
}

/**
 * Wait `ms` on `timers`. Resolves true when the time passed, false when `signal` aborted
 * first (the timer is cleared then, so nothing stays scheduled).
 */
export function waitUnlessAborted(ms: number, timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      resolve(false);
    };
    const handle = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
