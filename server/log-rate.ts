/**
 * Rate limit of the log messages a server sends (2025-11-25 server/utilities/logging,
 * Security: "Servers SHOULD: ... Rate limit log messages"). A tool that logs in a tight loop
 * filled its client's connection (and, over HTTP, the stream's buffer) with notifications.
 * Each connection (a 2025 session; a 2026-07-28 request, which has none) has a token bucket:
 * `burst` messages at once, refilled at `perSecond`. A message over the limit is dropped at
 * once (the tool's `ctx.log()` resolves, never waits), and counted; the next message that
 * passes is preceded by one warning saying how many were dropped and the most severe level
 * among them (sent at that level when it is above warning: a dropped error is not hidden).
 */
import type { LoggingLevel } from '../protocol/index.ts';
import { monotonicNow } from '../protocol/correlation.ts';
import { positiveIntegerOption } from '../protocol/limits.ts';
import { passesLevel } from './logging.ts';

/** `ServerOptions.logRate`: how many log messages a connection may carry. */
export interface LogRateOptions {
  /** Messages per second, sustained. Default 100. */
  perSecond?: number;
  /** Messages at once after a quiet spell (the bucket's size). Default 200. */
  burst?: number;
}

/** Defaults of {@link LogRateOptions}. */
export const DEFAULT_LOG_RATE: Readonly<Required<LogRateOptions>> = Object.freeze({ perSecond: 100, burst: 200 });

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
  /** The most severe level among the dropped ones. */
  worst: LoggingLevel;
}

/** What {@link LogRate.take} says of messages dropped since the last that passed. */
export interface Dropped {
  readonly count: number;
  readonly worst: LoggingLevel;
}

/** The buckets of one server, by connection (or request); `false` options: no limit. */
export class LogRate {
  readonly perSecond: number;
  readonly burst: number;
  readonly #now: () => number;
  readonly #buckets = new WeakMap<object, Bucket>();

  constructor(options: LogRateOptions | false | undefined, now: (() => number) | undefined) {
    const given = options === false ? undefined : options;
    this.perSecond = options === false ? Infinity : positiveIntegerOption('logRate.perSecond', given?.perSecond, DEFAULT_LOG_RATE.perSecond);
    this.burst = options === false ? Infinity : positiveIntegerOption('logRate.burst', given?.burst, DEFAULT_LOG_RATE.burst);
    this.#now = now ?? monotonicNow;
  }

  /**
   * Take a token for a message at `level` to `key`: false when over the limit (drop it; it is
   * counted), true to send it, or what was dropped since the last that passed (say so, then send).
   */
  take(key: object, level: LoggingLevel): boolean | Dropped {
    if (this.perSecond === Infinity) return true;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, at: now, dropped: 0, worst: 'debug' };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000);
      bucket.at = now;
    }
    if (bucket.tokens < 1) {
      if (bucket.dropped === 0 || !passesLevel(bucket.worst, level)) bucket.worst = level;
      bucket.dropped += 1;
      return false;
    }
    bucket.tokens -= 1;
    if (bucket.dropped === 0) return true;
    const dropped: Dropped = { count: bucket.dropped, worst: bucket.worst };
    bucket.dropped = 0;
    return dropped;
  }
}
