/**
 * Rate limit of the log messages a server sends (2025-11-25 server/utilities/logging,
 * Security: "Servers SHOULD: ... Rate limit log messages"). A tool that logs in a tight loop
 * filled its client's connection (and, over HTTP, the stream's buffer) with notifications.
 * Each connection (a 2025 session; a 2026-07-28 request, which has none) has a token bucket:
 * `burst` messages at once, refilled at `perSecond`. A message over the limit is dropped at
 * once (the tool's `ctx.log()` resolves, never waits), and counted; the next message that
 * passes is preceded by one warning saying how many were dropped and the most severe level
 * among them (sent at that level when it is above warning: a dropped error is not hidden).
 * When none passes (a flood, then silence), the count is told when the bucket has a token
 * again: one timer per bucket at most, armed at the first drop, let go (`unref`: it keeps no
 * process awake) and cleared when the connection closes. A 2026-07-28 request that answers
 * first tells it on its stream just before its response ({@link LogRate.settle}).
 */
import type { LoggingLevel, LoggingMessageParams } from '../protocol/index.ts';
import { monotonicNow, systemTimers, type Timers } from '../protocol/correlation.ts';
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
  /** Armed at the first drop: tells the count when a token is back, if no message did. */
  timer: unknown;
}

/** Where a count no passing message carried is told, for a bucket's key (a connection or a request). */
export type TellDropped = (key: object, dropped: Dropped) => void;

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
  readonly #timers: Timers;
  readonly #tell: TellDropped;
  readonly #buckets = new WeakMap<object, Bucket>();

  constructor(options: LogRateOptions | false | undefined, timers: Timers | undefined, tell: TellDropped) {
    const given = options === false ? undefined : options;
    this.perSecond = options === false ? Infinity : positiveIntegerOption('logRate.perSecond', given?.perSecond, DEFAULT_LOG_RATE.perSecond);
    this.burst = options === false ? Infinity : positiveIntegerOption('logRate.burst', given?.burst, DEFAULT_LOG_RATE.burst);
    this.#now = timers ? () => timers.now() : monotonicNow;
    this.#timers = timers ?? systemTimers;
    this.#tell = tell;
  }

  /** The message that tells `dropped`, for a client whose level is `clientLevel`. */
  message({ count, worst }: Dropped, clientLevel: LoggingLevel | undefined): LoggingMessageParams {
    const data = `${count} log message${count === 1 ? ' was' : 's were'} dropped (the most severe: ${worst}): over this server's rate limit of ${this.perSecond} a second (bursts of ${this.burst})`;
    return { level: passesLevel(worst, 'warning') || !passesLevel('warning', clientLevel) ? worst : 'warning', logger: 'mcpwire', data };
  }

  /** `key` is gone (its connection closed): its timer, if armed, is cleared. */
  forget(key: object): void {
    const bucket = this.#buckets.get(key);
    if (bucket?.timer !== undefined) this.#timers.clearTimeout(bucket.timer);
    this.#buckets.delete(key);
  }

  #refill(bucket: Bucket): void {
    const now = this.#now();
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000);
    bucket.at = now;
  }

  /** Take what was dropped (a token for the message that tells it), the timer no longer needed. */
  #told(bucket: Bucket): Dropped {
    if (bucket.timer !== undefined) this.#timers.clearTimeout(bucket.timer);
    bucket.timer = undefined;
    const dropped: Dropped = { count: bucket.dropped, worst: bucket.worst };
    bucket.dropped = 0;
    return dropped;
  }

  /** The timer's end: a token is back and no message has told the count yet. */
  #due(key: object, bucket: Bucket): void {
    bucket.timer = undefined;
    if (bucket.dropped === 0 || this.#buckets.get(key) !== bucket) return;
    this.#refill(bucket);
    if (bucket.tokens < 1) return this.#arm(key, bucket);
    bucket.tokens -= 1;
    this.#tell(key, this.#told(bucket));
  }

  #arm(key: object, bucket: Bucket): void {
    const timer = this.#timers.setTimeout(() => this.#due(key, bucket), Math.ceil(((1 - bucket.tokens) * 1000) / this.perSecond));
    (timer as { unref?: () => void } | undefined)?.unref?.();
    bucket.timer = timer;
  }

  /**
   * `key`'s request is about to answer (a 2026-07-28 request: its stream closes with the
   * response): what was dropped and not yet told, taken without a token (one message, once),
   * or undefined. Its timer, if armed, is cleared.
   */
  settle(key: object): Dropped | undefined {
    const bucket = this.#buckets.get(key);
    return bucket !== undefined && bucket.dropped > 0 ? this.#told(bucket) : undefined;
  }

  /**
   * Take a token for a message at `level` to `key`: false when over the limit (drop it; it is
   * counted), true to send it, or what was dropped since the last that passed (say so, then send).
   */
  take(key: object, level: LoggingLevel): boolean | Dropped {
    if (this.perSecond === Infinity) return true;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, at: this.#now(), dropped: 0, worst: 'debug', timer: undefined };
      this.#buckets.set(key, bucket);
    } else {
      this.#refill(bucket);
    }
    if (bucket.tokens < 1) {
      if (bucket.dropped === 0 || !passesLevel(bucket.worst, level)) bucket.worst = level;
      bucket.dropped += 1;
      if (bucket.timer === undefined) this.#arm(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    return bucket.dropped === 0 ? true : this.#told(bucket);
  }
}
