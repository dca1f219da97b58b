/**
 * Restarting a stdio server that exited under the host: bounded exponential backoff, a
 * bounded number of attempts in a row, the count reset once a restarted server stayed up.
 */

/** How a stdio server that exited is restarted. */
export interface RestartPolicy {
  /** Wait before the first attempt; doubled after each failure. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in a row before giving up (0: never restart). */
  maxAttempts: number;
  /** A server up this long counts as healthy again: its next exit starts a fresh count. */
  stableMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, maxAttempts: 5, stableMs: 30_000 };

export interface Restarter {
  /**
   * The server exited: plan the next attempt. Resolves the delay before it, or undefined when
   * the attempts are spent (or restarting is off).
   */
  exited(): number | undefined;
  /** The server is up again (a restart or a connect worked). */
  up(): void;
  /** Attempts made in the current run of failures. */
  readonly attempts: number;
}

export function createRestarter(policy: RestartPolicy, now: () => number = Date.now): Restarter {
  let attempts = 0;
  let upSince: number | undefined;
  return {
    exited() {
      if (upSince !== undefined && now() - upSince >= policy.stableMs) attempts = 0;
      upSince = undefined;
      if (attempts >= policy.maxAttempts) return undefined;
      const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempts);
      attempts++;
      return delay;
    },
    up() {
      upSince = now();
    },
    get attempts() { return attempts; },
  };
}
