/**
 * Periodic ping of a connected peer. 2025-11-25 basic/utilities/ping, "Implementation
 * Considerations": implementations SHOULD periodically issue pings to detect connection
 * health, the frequency SHOULD be configurable, timeouts SHOULD be treated as connection
 * failures, and ping failures SHOULD be logged. Off unless asked for (`ping` on the client's
 * options or the server's `connect()`): a peer that dies closes its pipe or socket, which
 * every transport already sees; pinging finds the other kind, a peer alive but no longer
 * reading (hung, stopped, or behind a half-open connection), at the cost of waking both ends
 * every interval.
 *
 * The timers are let go (`unref` where the platform has it) and the ping waits on its own
 * deadline, not the request table's (whose timer holds the process open while a request is
 * pending): an application with nothing else to do exits as it would without pinging.
 */
import { systemTimers, type Timers } from './correlation.ts';
import { positiveIntegerOption } from './limits.ts';
// From the index, not errors.ts: the client loads this file with import(), and a bundler
// puts a module its chunk shares with the start in a chunk of its own unless the rest of
// the index goes with it (1.5 KB more on the stdio client's start, measured).
import { HttpError, LocalErrorCode, McpError, RpcError } from './index.ts';

/** How often to ping, and when an unanswered peer is gone. */
export interface PingOptions {
  /** Milliseconds from one ping's end (answer or timeout) to the next ping. Required. */
  intervalMs: number;
  /** Milliseconds to wait for each answer. Default 10 000 (`DEFAULT_PING_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Pings in a row left unanswered after which the peer is treated as gone and the connection closed. Default 2. */
  maxMissed?: number;
}

/** Default of {@link PingOptions.timeoutMs}. */
export const DEFAULT_PING_TIMEOUT_MS = 10_000;
/** Default of {@link PingOptions.maxMissed}. */
export const DEFAULT_PING_MAX_MISSED = 2;

/** What is pinged: a peer engine (only `ping` is asked of it). */
export interface PingTarget {
  request(method: 'ping', params: undefined, options: { signal: AbortSignal; timeoutMs: number; maxTotalTimeoutMs: number }): Promise<unknown>;
  readonly closed: boolean;
}

/** Where the pinger reports. */
export interface PingHooks {
  /** "client" or "server": who is pinged, in messages. */
  readonly peerName: string;
  readonly timers?: Timers | undefined;
  /** A ping went unanswered (2025-11-25: ping failures SHOULD be logged); the connection stays. */
  missed(error: McpError): void;
  /** `maxMissed` pings in a row went unanswered: close the connection (the pinger has stopped). */
  gone(error: McpError): void;
  /** The peer answered with an error (a JSON-RPC error, an HTTP status below 500): it reads, and it may say more (a 404: our session is gone). */
  refused?(error: RpcError | HttpError): void;
}

/** Check `options` (a RangeError naming the bad one); the values with defaults applied. */
export function pingSettings(options: PingOptions): Required<PingOptions> {
  if (typeof options !== 'object' || options === null || options.intervalMs === undefined) {
    throw new RangeError(`ping needs intervalMs, the milliseconds between pings (like { intervalMs: 30000 }), got ${JSON.stringify(options)}`);
  }
  return {
    intervalMs: positiveIntegerOption('ping.intervalMs', options.intervalMs, 1),
    timeoutMs: positiveIntegerOption('ping.timeoutMs', options.timeoutMs, DEFAULT_PING_TIMEOUT_MS),
    maxMissed: positiveIntegerOption('ping.maxMissed', options.maxMissed, DEFAULT_PING_MAX_MISSED),
  };
}

/** Let a platform timer stop holding the process open (Node); other platforms have no such call. */
function letGo(handle: unknown): void {
  (handle as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * Ping `target` every `intervalMs` (one ping at a time) until it closes or `stop()` is
 * called. An answer, even an error answer (a peer that does not know ping still reads), resets
 * the count of misses; a ping without an answer within `timeoutMs` is a miss (the request is
 * cancelled, `notifications/cancelled`); a ping that cannot be sent, or that an HTTP 5xx
 * answers, is a miss too.
 */
export function startPinging(target: PingTarget, options: PingOptions, hooks: PingHooks): { stop(): void } {
  const { intervalMs, timeoutMs, maxMissed } = pingSettings(options);
  const timers = hooks.timers ?? systemTimers;
  let timer: unknown;
  let stopped = false;
  let missed = 0;
  const schedule = (): void => {
    if (stopped || target.closed) return;
    timer = timers.setTimeout(() => void ping(), intervalMs);
    letGo(timer);
  };
  const ping = async (): Promise<void> => {
    timer = undefined;
    if (stopped || target.closed) return;
    const controller = new AbortController();
    const deadline = timers.setTimeout(() => controller.abort(), timeoutMs);
    letGo(deadline);
    try {
      await target.request('ping', undefined, { signal: controller.signal, timeoutMs: Infinity, maxTotalTimeoutMs: Infinity });
      missed = 0;
    } catch (error) {
      if (stopped || target.closed) return;
      if (error instanceof RpcError || (error instanceof HttpError && error.status < 500)) {
        // It answered, with an error (a JSON-RPC error, or an HTTP status from the server such
        // as 404 for a session it forgot: the next call starts a new one): it reads. A 5xx
        // may be a proxy saying the server is not there: a miss.
        missed = 0;
        hooks.refused?.(error);
      } else {
        missed += 1;
        const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms`
          : error instanceof HttpError ? `answered HTTP ${error.status} (${error.message})` : `it could not be sent: ${(error as Error).message}`;
        const failure = new McpError(LocalErrorCode.Timeout, `ping to the ${hooks.peerName} failed (${missed} of ${maxMissed} in a row): ${why}`, { cause: error });
        if (missed >= maxMissed) {
          stopped = true;
          hooks.gone(new McpError(LocalErrorCode.Timeout, `the ${hooks.peerName} answered none of ${missed} pings in a row (each given ${timeoutMs} ms, every ${intervalMs} ms): the connection is treated as gone and closed`, { cause: failure }));
          return;
        }
        hooks.missed(failure);
      }
    } finally {
      timers.clearTimeout(deadline);
    }
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
