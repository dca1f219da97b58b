/**
 * A clock moved by hand, for tests of anything that takes {@link Timers}: request timeouts,
 * keep-alives, idle expiry. Nothing runs until `advance` moves time past it.
 */
import type { Timers } from './correlation.ts';

export interface ManualTimers extends Timers {
  /** Move the clock `ms` forward, running each timer that falls due at its own time, in order. */
  advance(ms: number): void;
  /** Timers armed and neither run nor cleared. */
  armed(): number;
  /** Timers ever armed. */
  readonly started: number;
}

export function createManualTimers(start = 0): ManualTimers {
  let now = start;
  let seq = 0;
  let started = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      started += 1;
      const id = ++seq;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) { due.delete(handle as number); },
    armed: () => due.size,
    get started() { return started; },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of due) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = until;
    },
  };
}
