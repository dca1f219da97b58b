/**
 * Correlation of outbound requests with their responses: id allocation (never reused),
 * the pending map, per-request timeouts that progress may reset, a hard total timeout,
 * and pausing while the peer waits on us (2025-11-25 basic/lifecycle: timeouts).
 */
import type { RequestId } from './jsonrpc.ts';

/** An injectable clock, so tests can drive time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** The platform clock (globalThis timers; no Node typings needed). */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
};

/** Why a pending request timed out. */
export type TimeoutKind = 'idle' | 'total';

/** Per-request timing options. */
export interface PendingTiming {
  /** Milliseconds without a response (or progress, when reset on progress) before giving up. */
  timeoutMs: number;
  /** Hard cap on the whole request, whatever progress says; Infinity for none. */
  maxTotalTimeoutMs: number;
  /** Progress notifications restart the idle timer. */
  resetTimeoutOnProgress: boolean;
}

interface Pending<T> {
  id: RequestId;
  method: string;
  value: T;
  timing: PendingTiming;
  idleTimer: unknown;
  totalTimer: unknown;
  /** Total budget left when the timers last started. */
  totalLeftMs: number;
  startedAt: number;
  pauses: number;
  onTimeout: (kind: TimeoutKind) => void;
}

/** Options of {@link createCorrelation}. */
export interface CorrelationOptions {
  timers?: Timers;
  /** How many abandoned ids to remember, so their late responses are ignored quietly. Default 1024. */
  abandonedMemory?: number;
  /** The first id handed out. Default 1. */
  firstId?: number;
}

/** The pending-request table of one session. `T` is whatever the caller settles with. */
export interface Correlation<T> {
  /** A fresh id, never handed out before in this session. */
  nextId(): number;
  add(id: RequestId, method: string, value: T, timing: PendingTiming, onTimeout: (kind: TimeoutKind) => void): void;
  /** The value of a pending entry, left in place. */
  peek(id: RequestId): T | undefined;
  /** Remove and return the entry (timers cleared), or undefined when unknown. */
  take(id: RequestId): { method: string; value: T } | undefined;
  /** Restart the idle timer of `id` when its timing asks for it (progress arrived). */
  touch(id: RequestId): void;
  /** Stop the clocks of `id` (or of every pending request) while the peer waits on us. */
  pause(id?: RequestId): void;
  resume(id?: RequestId): void;
  has(id: RequestId): boolean;
  readonly size: number;
  /** Remember `id` as given up locally (timeout, abort). */
  abandon(id: RequestId): void;
  wasAbandoned(id: RequestId): boolean;
  /** Remove every entry, clearing timers, and return them. */
  drain(): Array<{ id: RequestId; method: string; value: T }>;
}

export function createCorrelation<T>(options: CorrelationOptions = {}): Correlation<T> {
  const timers = options.timers ?? systemTimers;
  const abandonedLimit = options.abandonedMemory ?? 1024;
  const pending = new Map<RequestId, Pending<T>>();
  const abandoned = new Set<RequestId>();
  let counter = (options.firstId ?? 1) - 1;

  function stopTimers(p: Pending<T>): void {
    if (p.idleTimer !== undefined) timers.clearTimeout(p.idleTimer);
    if (p.totalTimer !== undefined) timers.clearTimeout(p.totalTimer);
    p.idleTimer = undefined;
    p.totalTimer = undefined;
  }

  function startIdle(p: Pending<T>): void {
    if (p.idleTimer !== undefined) timers.clearTimeout(p.idleTimer);
    p.idleTimer = Number.isFinite(p.timing.timeoutMs) ? timers.setTimeout(() => p.onTimeout('idle'), p.timing.timeoutMs) : undefined;
  }

  function startTotal(p: Pending<T>): void {
    p.startedAt = timers.now();
    p.totalTimer = Number.isFinite(p.totalLeftMs) ? timers.setTimeout(() => p.onTimeout('total'), p.totalLeftMs) : undefined;
  }

  function pauseOne(p: Pending<T>): void {
    if (p.pauses++ > 0) return;
    p.totalLeftMs = Math.max(0, p.totalLeftMs - (timers.now() - p.startedAt));
    stopTimers(p);
  }

  function resumeOne(p: Pending<T>): void {
    if (p.pauses === 0 || --p.pauses > 0) return;
    // The wait on our side is over: the peer gets a full idle window again.
    startIdle(p);
    startTotal(p);
  }

  return {
    nextId: () => ++counter,
    add(id, method, value, timing, onTimeout) {
      const p: Pending<T> = {
        id, method, value, timing, onTimeout,
        idleTimer: undefined, totalTimer: undefined,
        totalLeftMs: timing.maxTotalTimeoutMs, startedAt: timers.now(), pauses: 0,
      };
      pending.set(id, p);
      startIdle(p);
      startTotal(p);
    },
    peek: (id) => pending.get(id)?.value,
    take(id) {
      const p = pending.get(id);
      if (!p) return undefined;
      pending.delete(id);
      stopTimers(p);
      return { method: p.method, value: p.value };
    },
    touch(id) {
      const p = pending.get(id);
      if (p && p.pauses === 0 && p.timing.resetTimeoutOnProgress) startIdle(p);
    },
    pause(id) {
      if (id === undefined) for (const p of pending.values()) pauseOne(p);
      else { const p = pending.get(id); if (p) pauseOne(p); }
    },
    resume(id) {
      if (id === undefined) for (const p of pending.values()) resumeOne(p);
      else { const p = pending.get(id); if (p) resumeOne(p); }
    },
    has: (id) => pending.has(id),
    get size() {
      return pending.size;
    },
    abandon(id) {
      abandoned.add(id);
      if (abandoned.size > abandonedLimit) {
        const oldest = abandoned.values().next().value;
        if (oldest !== undefined) abandoned.delete(oldest);
      }
    },
    wasAbandoned: (id) => abandoned.has(id),
    drain() {
      const all = [...pending.values()];
      pending.clear();
      for (const p of all) stopTimers(p);
      return all.map((p) => ({ id: p.id, method: p.method, value: p.value }));
    },
  };
}
