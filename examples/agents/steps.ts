/**
 * Pacing and progress for the agents' steps, written so a re-run after a restart repeats
 * what the client already has in the same words (the HTTP server stores a re-run's messages
 * only where they differ from the history) and skips what it cannot repeat identically.
 */
import { CancelledByPeer } from 'mcpwire/protocol';
import type { LoggingLevel } from 'mcpwire/protocol';
import type { ToolContext } from 'mcpwire/server';

/** How one call's steps are numbered, paced and replayed. */
export interface StepOptions {
  /** The `total` of every progress notification. */
  total: number;
  /** Pause after each step so a person can follow along; 0 in tests. */
  delayMs: number;
  /** The last step an earlier run of this call recorded as done (0 for a first run). */
  journaled: number;
  /**
   * Steps up to this one come before anything a re-run cannot repeat word for word (an
   * elicitation or sampling request gets a new id): they are sent again and match the stored
   * history. Later steps that were journaled are not sent again: the client has them.
   */
  replaySafeThrough: number;
  logger: string;
}

/** Progress, logs and pacing of one call. */
export interface Steps {
  /** Step `n`: progress `n/total` with `message` (only if the client sent a token), then the pause (unless `pause` is false). */
  step(n: number, message: string, options?: { pause?: boolean }): Promise<void>;
  /** A log message belonging to step `n` (sent under the same rule as its progress). */
  log(n: number, level: LoggingLevel, text: string): Promise<void>;
  /** True when step `n` was done by an earlier run (its effects are on disk). */
  done(n: number): boolean;
}

/** The steps of one call. */
export function createSteps(ctx: ToolContext, options: StepOptions): Steps {
  const send = (n: number) => n <= options.replaySafeThrough || n > options.journaled;
  return {
    async step(n, message, stepOptions) {
      ctx.signal.throwIfAborted();
      if (send(n)) await ctx.progress(n, options.total, message);
      // Steps an earlier run finished are fast-forwarded: the client already waited for them.
      if (n > options.journaled && stepOptions?.pause !== false) await sleep(options.delayMs, ctx.signal);
    },
    async log(n, level, text) {
      ctx.signal.throwIfAborted();
      if (send(n)) await ctx.log(level, text, options.logger);
    },
    done: (n) => n <= options.journaled,
  };
}

/** Resolve after `ms`, or reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * True when the call was aborted because the client cancelled it (2025-11-25
 * basic/utilities/cancellation). Other aborts (the session closing, the server shutting
 * down) are not the user's decision: the record is left as it was so a restart resumes it.
 */
export function cancelledByClient(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof CancelledByPeer;
}
