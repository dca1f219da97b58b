import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createReconnectPolicy, DEFAULT_RECONNECT, waitUnlessAborted } from './reconnect.ts';
import { createSteppedTimers } from './client-fake-server.ts';

const policy = suite('reconnect policy');

policy('defaults: 1 s first, doubling to 30 s, 10 attempts', () => {
  const p = createReconnectPolicy();
  assert.is(p.maxAttempts, DEFAULT_RECONNECT.maxAttempts);
  assert.equal([0, 1, 2, 3, 4, 5, 6].map((n) => p.delayFor(n, undefined)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

policy('the server\'s retry is the first delay and a floor after it', () => {
  const p = createReconnectPolicy({ initialDelayMs: 10, factor: 3, maxDelayMs: 1_000 });
  assert.equal([0, 1, 2, 3, 4].map((n) => p.delayFor(n, 50)), [50, 50, 90, 270, 810]);
  assert.is(p.delayFor(0, 0), 0, 'retry 0 means at once');
  assert.is(p.delayFor(9, 5_000), 5_000, 'the floor wins over the cap');
});

policy('bad settings are refused', () => {
  for (const bad of [{ factor: 0.5 }, { initialDelayMs: -1 }, { maxAttempts: 1.5 }, { maxDelayMs: 5, initialDelayMs: 10 }, { factor: Number.NaN }]) {
    assert.throws(() => createReconnectPolicy(bad), RangeError);
  }
});

policy.run();

const waiting = suite('waitUnlessAborted');

waiting('resolves true when the timer fires, false and clears it on abort', async () => {
  const timers = createSteppedTimers();
  const controller = new AbortController();
  const fired = waitUnlessAborted(20, timers, controller.signal);
  assert.is(await timers.next(), 20);
  timers.fire();
  assert.is(await fired, true);
  const aborted = waitUnlessAborted(30, timers, controller.signal);
  await timers.next();
  controller.abort();
  assert.is(await aborted, false);
  assert.is(timers.pending.length, 0);
  assert.is(await waitUnlessAborted(1, timers, controller.signal), false, 'an aborted signal never waits');
});

waiting.run();
