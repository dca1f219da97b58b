// The client's process-wide caches (the era a server speaks, the HTTP transport an endpoint
// speaks) expire by a monotonic clock: a wall-clock step forward (NTP, a suspended laptop's
// catch-up, a user's date change) neither drops an entry early nor, stepping back, keeps one
// for hours past its TTL. Before, both read Date.now (faults21's leftover).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEraCache, createHttpTransportCache } from 'mcpwire/client';

const test = suite('client caches and the wall clock');

/** A wall clock the test can step (installed before the caches are made: they keep the function they read). */
function steppedWallClock(run: (step: (ms: number) => void) => void): void {
  const real = Date.now;
  let offset = 0;
  Date.now = () => real() + offset;
  try {
    run((ms) => { offset += ms; });
  } finally {
    Date.now = real;
  }
}

test('an era cache entry survives a wall-clock step of a day forward', () => {
  steppedWallClock((step) => {
    const cache = createEraCache();
    cache.set('k', { era: 'legacy' });
    step(24 * 3_600_000);
    assert.ok(cache.get('k'), 'not dropped by the wall clock');
  });
});

test('an HTTP transport cache entry survives a wall-clock step of a day forward', () => {
  steppedWallClock((step) => {
    const cache = createHttpTransportCache();
    cache.set('http://127.0.0.1:1/mcp', 'sse');
    step(24 * 3_600_000);
    assert.is(cache.get('http://127.0.0.1:1/mcp'), 'sse');
  });
});

test('an injected clock still drives both (tests and embedders keep their own)', () => {
  let now = 0;
  const era = createEraCache(1_000, () => now);
  const http = createHttpTransportCache(1_000, () => now);
  era.set('k', { era: 'legacy' });
  http.set('u', 'streamable');
  now = 1_001;
  assert.is(era.get('k'), undefined);
  assert.is(http.get('u'), undefined);
});

test.run();
