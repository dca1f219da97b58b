/**
 * Correlation of outbound requests with their responses: id allocation (never reused),
 * the pending map, per-request timeouts that progress may reset, a hard total timeout,
 * and pausing while the peer waits on us (2025-11-25 basic/lifecycle: timeouts). A pause
 * stops both clocks and resuming starts them with what was left: only progress resets the
 * idle window (basic/utilities/progress), never the peer's own requests, so a peer that asks
 * without end (pings on a call's stream) cannot keep a call alive.
 *
 * Timeouts are deadlines kept on each entry and watched by one timer per peer, armed
 * for the earliest deadline. A request that is answered in time (nearly all of them) costs
 * no timer of its own: setting and clearing two platform timers per request was a
 * measurable share of a short call's CPU.
 */
import type { RequestId } from './jsonrpc.ts';
import { clearLongTimeout, setLongTimeout } from './long-timeout.ts';

/** An injectable clock, so tests can drive time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** The platform clock (globalThis timers; no Node typings needed; delays past 24.8 days kept whole). */
export const systemTimers: Timers = {
  setTimeout: setLongTimeout,
  clearTimeout: clearLongTimeout,
  now: () => Date.now(),
};

/** Why a pending request timed out. */
export type TimeoutKind = 'idle' | 'total';

/**
 * Per-request timing options, and what to tell when a deadline passes. The peer's pending
 * entry is its own (outbound.ts): no timing record and no timeout closure a request.
 */
export interface PendingTiming {
  /** Milliseconds without a response (or progress, when reset on progress) before giving up. */
  readonly timeoutMs: number;
  /** Hard cap on the whole request, whatever progress says; Infinity for none. */
  readonly maxTotalTimeoutMs: number;
  /** Progress notifications restart the idle timer. */
  readonly resetTimeoutOnProgress: boolean;
  /** A deadline passed (each fires once; the owner usually takes the entry). */
  timedOut(kind: TimeoutKind): void;
}

interface Pending<T> {
  id: RequestId;
  method: string;
  value: T;
  timing: PendingTiming;
  /** When the idle timeout fires (Infinity: never, or paused). */
  idleAt: number;
  /** When the total timeout fires (Infinity: never, or paused). */
  totalAt: number;
  /** Total budget left when the clocks last started. */
  totalLeftMs: number;
  /** Idle window left when the clocks were paused (Infinity: none). */
  idleLeftMs: number;
  startedAt: number;
  pauses: number;
}

/** Options of {@link createCorrelation}. */
export interface CorrelationOptions {
  timers?: Timers;
  /** How many abandoned ids to remember, so their late responses are ignored quietly. Default 1024. */
  abandonedMemory?: number;
  /** The first id handed out. Default 1. */
  firstId?: number;
}

/** The pending-request table of one peer. `T` is whatever the caller settles with. */
export interface Correlation<T> {
  /** A fresh id, never handed out before by this peer. */
  nextId(): number;
  add(id: RequestId, method: string, value: T, timing: PendingTiming): void;
  /** The value of a pending entry, left in place. */
  peek(id: RequestId): T | undefined;
  /** Remove and return the entry (its timeouts cancelled), or undefined when unknown. */
  take(id: RequestId): { readonly method: string; readonly value: T } | undefined;
  /** Restart the idle timer of `id` when its timing asks for it (progress arrived). */
  touch(id: RequestId): void;
  /** Stop the clocks of `id` (or of every pending request) while the peer waits on us. */
  pause(id?: RequestId): void;
  resume(id?: RequestId): void;
  has(id: RequestId): boolean;
  readonly size: number;
  /** The ids of the pending requests, oldest first. */
  ids(): RequestId[];
  /** Remember `id` as given up locally (timeout, abort). */
  abandon(id: RequestId): void;
  wasAbandoned(id: RequestId): boolean;
  /** True for an id this table issued (nextId) that is no longer pending: its request was settled. */
  wasSettled(id: RequestId): boolean;
  /** Remove every entry, cancelling their timeouts, and return them. */
  drain(): Array<{ id: RequestId; method: string; value: T }>;
}

/** A platform timer handle that can stop keeping the process alive (Node's Timeout). */
interface Refable {
  ref(): unknown;
  unref(): unknown;
}

function isRefable(handle: unknown): handle is Refable {
  return typeof handle === 'object' && handle !== null
    && typeof (handle as Refable).ref === 'function' && typeof (handle as Refable).unref === 'function';
}

/**
 * The platform's monotonic clock, read once: Node defines `globalThis.performance` as a lazy
 * accessor, and reading it cost ~290 instructions of every request (bench h).
 */
const platformClock: { now(): number } | undefined = globalThis.performance;

/** A monotonic clock where the platform has one, so wall-clock jumps move no deadline. */
export function monotonicNow(): number {
  return platformClock ? platformClock.now() : Date.now();
}

export function createCorrelation<T>(options: CorrelationOptions = {}): Correlation<T> {
  return new PendingTable<T>(options);
}

/**
 * The table behind {@link createCorrelation}. A class, so that a peer holds one small
 * object rather than a closure per operation (one peer engine per HTTP session).
 */
class PendingTable<T> implements Correlation<T> {
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #abandonedLimit: number;
  /**
   * The request pending when only one is (sequential calls, the common case), in a field: a
   * map that grows to one entry and shrinks to none rehashes and shrinks its table on every
   * request (~650 instructions a call, bench h).
   */
  #one: Pending<T> | undefined;
  /** Every pending request, oldest first, while two or more are (then `#one` is unused). Made on first use, as `#abandoned`: an idle peer holds neither. */
  #pending: Map<RequestId, Pending<T>> | undefined;
  #abandoned: Set<RequestId> | undefined;
  #counter: number;
  readonly #firstId: number;
  /** The one watch timer, armed for `#armedAt` (Infinity: not armed). */
  #timer: unknown;
  #armedAt = Number.POSITIVE_INFINITY;
  /** The armed timer keeps the process alive only while something is pending. */
  #timerHeld = false;

  constructor(options: CorrelationOptions) {
    const timers = options.timers ?? systemTimers;
    this.#timers = timers;
    this.#now = timers === systemTimers ? monotonicNow : () => timers.now();
    this.#abandonedLimit = options.abandonedMemory ?? 1024;
    this.#firstId = options.firstId ?? 1;
    this.#counter = this.#firstId - 1;
  }

  nextId(): number {
    return ++this.#counter;
  }

  add(id: RequestId, method: string, value: T, timing: PendingTiming): void {
    const p: Pending<T> = {
      id, method, value, timing,
      idleAt: Number.POSITIVE_INFINITY, totalAt: Number.POSITIVE_INFINITY,
      totalLeftMs: timing.maxTotalTimeoutMs, idleLeftMs: timing.timeoutMs, startedAt: 0, pauses: 0,
    };
    const pending = this.#pending;
    const one = this.#one;
    if (pending) pending.set(id, p);
    else if (one === undefined || one.id === id) this.#one = p;
    else {
      this.#pending = new Map([[one.id, one], [id, p]]);
      this.#one = undefined;
    }
    this.#start(p, this.#now());
  }

  peek(id: RequestId): T | undefined {
    return this.#get(id)?.value;
  }

  take(id: RequestId): { readonly method: string; readonly value: T } | undefined {
    const pending = this.#pending;
    let p: Pending<T> | undefined;
    if (pending) {
      p = pending.get(id);
      if (!p) return undefined;
      pending.delete(id);
      if (pending.size > 0) return p;
      this.#pending = undefined;
    } else {
      p = this.#one;
      if (p === undefined || p.id !== id) return undefined;
      this.#one = undefined;
    }
    this.#release();
    return p;
  }

  touch(id: RequestId): void {
    const p = this.#get(id);
    if (!p || p.pauses !== 0 || !p.timing.resetTimeoutOnProgress) return;
    p.idleAt = idleFrom(p, this.#now());
    this.#watch(deadline(p));
  }

  pause(id?: RequestId): void {
    if (this.size === 0) return;
    if (id === undefined) for (const p of this.#all()) this.#pauseOne(p);
    else { const p = this.#get(id); if (p) this.#pauseOne(p); }
  }

  resume(id?: RequestId): void {
    if (this.size === 0) return;
    if (id === undefined) for (const p of this.#all()) this.#resumeOne(p);
    else { const p = this.#get(id); if (p) this.#resumeOne(p); }
  }

  has(id: RequestId): boolean {
    return this.#get(id) !== undefined;
  }

  get size(): number {
    return this.#pending?.size ?? (this.#one === undefined ? 0 : 1);
  }

  ids(): RequestId[] {
    return this.#all().map((p) => p.id);
  }

  abandon(id: RequestId): void {
    const abandoned = (this.#abandoned ??= new Set());
    abandoned.add(id);
    if (abandoned.size > this.#abandonedLimit) {
      const oldest = abandoned.values().next().value;
      if (oldest !== undefined) abandoned.delete(oldest);
    }
  }

  wasAbandoned(id: RequestId): boolean {
    return this.#abandoned?.has(id) ?? false;
  }

  wasSettled(id: RequestId): boolean {
    // Ids are issued in order from firstId: one at or below the counter was ours once.
    return typeof id === 'number' && Number.isInteger(id) && id >= this.#firstId && id <= this.#counter && !this.has(id);
  }

  drain(): Array<{ id: RequestId; method: string; value: T }> {
    if (this.size === 0) return [];
    const all = this.#all();
    this.#pending = undefined;
    this.#one = undefined;
    this.#disarm();
    return all.map((p) => ({ id: p.id, method: p.method, value: p.value }));
  }

  /** The pending entry of `id`. */
  #get(id: RequestId): Pending<T> | undefined {
    const pending = this.#pending;
    if (pending) return pending.get(id);
    const one = this.#one;
    return one !== undefined && one.id === id ? one : undefined;
  }

  /** Every pending entry, oldest first, in an array of its own (callbacks may add or take entries meanwhile). */
  #all(): Array<Pending<T>> {
    const pending = this.#pending;
    if (pending) return [...pending.values()];
    return this.#one === undefined ? [] : [this.#one];
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    this.#timerHeld = false;
  }

  /** Make sure the watch fires no later than `at`. */
  #watch(at: number): void {
    if (at === Number.POSITIVE_INFINITY) return;
    if (at >= this.#armedAt) {
      // A later deadline is found by the sweep at `#armedAt`; the timer only needs to hold
      // the process open again if it was let go while nothing was pending.
      const timer = this.#timer;
      if (!this.#timerHeld && isRefable(timer)) {
        timer.ref();
        this.#timerHeld = true;
      }
      return;
    }
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = this.#timers.setTimeout(() => this.#sweep(), Math.max(0, at - this.#now()));
    this.#timerHeld = true;
  }

  /** Nothing is pending: a Node timer is kept armed but let go, others are cleared. */
  #release(): void {
    const timer = this.#timer;
    if (timer === undefined) return;
    if (isRefable(timer)) {
      if (this.#timerHeld) timer.unref();
      this.#timerHeld = false;
    } else {
      this.#disarm();
    }
  }

  /** The watch fired: time out every entry past a deadline, then watch the next one. */
  #sweep(): void {
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    this.#timerHeld = false;
    if (this.size === 0) return;
    const at = this.#now();
    const due: Array<[Pending<T>, TimeoutKind]> = [];
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.#all()) {
      const d = deadline(p);
      if (d <= at) due.push([p, p.idleAt <= p.totalAt ? 'idle' : 'total']);
      else if (d < next) next = d;
    }
    this.#watch(next);
    // Each deadline fires once, as its own timer did. The callbacks settle (and take)
    // their entries; one may add or take others.
    for (const [p, kind] of due) {
      if (this.#get(p.id) !== p || deadline(p) > at) continue;
      if (kind === 'idle') p.idleAt = Number.POSITIVE_INFINITY;
      else p.totalAt = Number.POSITIVE_INFINITY;
      p.timing.timedOut(kind);
      if (this.#get(p.id) === p) this.#watch(deadline(p)); // kept by its owner: its other clock runs on
    }
  }

  /** Start (or restart) both clocks of `p` at `from`; the idle one with `idleLeftMs`. */
  #start(p: Pending<T>, from: number): void {
    p.startedAt = from;
    // No budget (Infinity) stays Infinity; written without tests for it, a few bytes of the server entry.
    p.idleAt = from + p.idleLeftMs;
    p.totalAt = from + p.totalLeftMs;
    this.#watch(deadline(p));
  }

  #pauseOne(p: Pending<T>): void {
    if (p.pauses++ > 0) return;
    const now = this.#now();
    p.totalLeftMs = Math.max(0, p.totalLeftMs - (now - p.startedAt));
    p.idleLeftMs = p.idleAt - now; // past due: swept at once on resume
    p.idleAt = Number.POSITIVE_INFINITY;
    p.totalAt = Number.POSITIVE_INFINITY;
  }

  #resumeOne(p: Pending<T>): void {
    if (p.pauses === 0 || --p.pauses > 0) return;
    // The wait on our side is over: the peer's clocks run on from where they stopped (a
    // fresh idle window would let a peer that keeps asking hold the call open).
    this.#start(p, this.#now());
  }
}

function deadline(p: Pending<unknown>): number {
  return p.idleAt < p.totalAt ? p.idleAt : p.totalAt;
}

function idleFrom(p: Pending<unknown>, from: number): number {
  return Number.isFinite(p.timing.timeoutMs) ? from + p.timing.timeoutMs : Number.POSITIVE_INFINITY;
}
