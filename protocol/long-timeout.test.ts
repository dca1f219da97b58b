import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { systemTimers } from './correlation.ts';
import { clearLongTimeout, MAX_TIMER_MS, setLongTimeout } from './long-timeout.ts';

const long = suite('delays past what a platform timer keeps');

/** Platform timers replaced by a record of what was armed, for the body of `run`. */
function recording(run: (armed: Array<{ ms: number; fire: () => void; cleared: boolean; unrefs: number }>) => void): void {
  const armed: Array<{ ms: number; fire: () => void; cleared: boolean; unrefs: number }> = [];
  const real = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    const entry = { ms, fire: fn, cleared: false, unrefs: 0 };
    armed.push(entry);
    return { entry, unref() { entry.unrefs += 1; return this; }, ref() { return this; } };
  }) as unknown as typeof globalThis.setTimeout;
  globalThis.clearTimeout = ((handle: { entry: { cleared: boolean } }) => { handle.entry.cleared = true; }) as unknown as typeof globalThis.clearTimeout;
  try {
    run(armed);
  } finally {
    globalThis.setTimeout = real.set;
    globalThis.clearTimeout = real.clear;
  }
}

long('a server\'s retry of 3,000,000,000 ms is waited whole through the clients\' timers, not fired after 1 ms', () => {
  recording((armed) => {
    let fired = 0;
    systemTimers.setTimeout(() => { fired += 1; }, 3_000_000_000);
    assert.ok(armed.every((t) => t.ms <= MAX_TIMER_MS), `no platform timer is armed past ${MAX_TIMER_MS} ms (Node would fire it at once)`);
    assert.is(armed.length, 1);
    armed[0]!.fire();
    assert.is(fired, 0, 'the first step is not the whole wait');
    assert.is(armed.length, 2);
    assert.is(armed[0]!.ms + armed[1]!.ms, 3_000_000_000);
    armed[1]!.fire();
    assert.is(fired, 1);
  });
});

long('clearing a long wait mid-way stops it; unref carries to each step', () => {
  recording((armed) => {
    let fired = 0;
    const handle = setLongTimeout(() => { fired += 1; }, 5 * MAX_TIMER_MS) as { unref(): unknown };
    handle.unref();
    armed[0]!.fire();
    assert.is(armed[1]!.unrefs, 1, 'the next step is unref\'d too');
    clearLongTimeout(handle);
    assert.ok(armed[1]!.cleared);
    assert.is(fired, 0);
  });
});

long('short delays are the platform\'s own timer, one step', () => {
  recording((armed) => {
    const handle = setLongTimeout(() => {}, 20);
    assert.is(armed.length, 1);
    assert.is(armed[0]!.ms, 20);
    clearLongTimeout(handle);
    assert.ok(armed[0]!.cleared);
  });
});

long.run();
