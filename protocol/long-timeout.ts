/**
 * Timers for delays a peer chooses. Node (and browsers) store a timer's delay in 32 bits: one
 * over 2^31 - 1 ms (about 24.8 days) fires after 1 ms instead. A server's SSE `retry` or a
 * task's `pollInterval` of 3,000,000,000 would then make a client reconnect or poll at once,
 * over and over, where the spec says it MUST wait (2025-11-25 basic/transports: the client
 * waits the server's `retry` before reconnecting). Longer delays are waited in steps.
 */

/** The longest delay a platform timer keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A wait longer than {@link MAX_TIMER_MS}, made of platform timers one after the other. */
class LongTimeout {
  #handle: ReturnType<typeof globalThis.setTimeout> | undefined;
  #held = true;

  constructor(fn: () => void, ms: number) {
    this.#arm(fn, ms);
  }

  #arm(fn: () => void, left: number): void {
    const step = Math.min(left, MAX_TIMER_MS);
    this.#handle = globalThis.setTimeout(() => (left > step ? this.#arm(fn, left - step) : fn()), step);
    if (!this.#held) (this.#handle as { unref?: () => void }).unref?.();
  }

  clear(): void {
    globalThis.clearTimeout(this.#handle);
  }

  /** As a Node timer's: whether the wait keeps the process alive. */
  ref(): this {
    this.#held = true;
    (this.#handle as { ref?: () => void } | undefined)?.ref?.();
    return this;
  }

  unref(): this {
    this.#held = false;
    (this.#handle as { unref?: () => void } | undefined)?.unref?.();
    return this;
  }
}

/** `setTimeout` that waits the whole of any finite delay (an infinite one never fires). */
export function setLongTimeout(fn: () => void, ms: number): unknown {
  if (ms <= MAX_TIMER_MS) return globalThis.setTimeout(fn, ms);
  return new LongTimeout(fn, ms === Infinity ? Number.MAX_VALUE : ms);
}

/** `clearTimeout` for a handle of {@link setLongTimeout} (or of `setTimeout`). */
export function clearLongTimeout(handle: unknown): void {
  if (handle instanceof LongTimeout) handle.clear();
  else globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
}
