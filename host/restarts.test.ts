import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRestarter } from './restarts.ts';

const restarts = suite('restarts: bounded backoff for a stdio server that exits');

restarts('delays double up to the maximum, then the attempts run out', () => {
  const r = createRestarter({ initialDelayMs: 100, maxDelayMs: 350, maxAttempts: 4, stableMs: 1_000 }, () => 0);
  assert.equal([r.exited(), r.exited(), r.exited(), r.exited(), r.exited()], [100, 200, 350, 350, undefined]);
});

restarts('a server that stayed up long enough starts a fresh count', () => {
  let now = 0;
  const r = createRestarter({ initialDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 2, stableMs: 1_000 }, () => now);
  assert.is(r.exited(), 100);
  r.up();
  now = 500;
  assert.is(r.exited(), 200, 'died again soon: the count goes on');
  r.up();
  now = 2_000;
  assert.is(r.exited(), 100, 'up for 1.5 s: a fresh count');
});

restarts('maxAttempts 0 never restarts', () => {
  assert.is(createRestarter({ initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 0, stableMs: 1 }).exited(), undefined);
});

restarts.run();
