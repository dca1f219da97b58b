// The DPoP jti replay cache: a key is accepted once until it expires, and the cache never
// holds more than maxEntries (expired keys go first, then the oldest).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryReplayCache } from './replay-cache.ts';
import { replayCacheContract } from './replay-cache-contract.ts';

const test = suite('memory replay cache');

test('a key is refused while remembered and accepted again once expired', async () => {
  let now = 1_000;
  const cache = createMemoryReplayCache({ now: () => now });
  assert.ok(await cache.add('k:1', 100));
  assert.not.ok(await cache.add('k:1', 100));
  now += 101;
  assert.ok(await cache.add('k:1', 100));
});

test('at most maxEntries keys: the oldest is forgotten first', async () => {
  const now = 0;
  const cache = createMemoryReplayCache({ maxEntries: 3, now: () => now });
  for (const k of ['a', 'b', 'c', 'd']) assert.ok(await cache.add(k, 1_000));
  assert.ok(await cache.add('a', 1_000), 'a was evicted to make room for d');
  assert.not.ok(await cache.add('d', 1_000));
  assert.not.ok(await cache.add('c', 1_000));
});

for (const c of replayCacheContract(() => createMemoryReplayCache())) test(`contract: ${c.name}`, c.run);

test.run();
