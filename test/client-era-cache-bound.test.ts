// The client's era cache holds at most `maxEntries` answers. A stdio or memory transport is
// its own key, so every connection added an entry no later client would read, dropped only
// when read after its 10 minutes: 8 000 connect/close cycles of a 2026-07-28 client over memory
// pairs grew the heap by 1.9 MB (about 240 B per connection; 2025-11-25 clients, not cached,
// leveled off). Now the oldest answers go first, and expired ones as new ones come.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEraCache } from '../client/index.ts';

const cache = suite('era cache: bounded');

cache('the default holds 1 000 answers: the 1 001st set drops the oldest', () => {
  const c = createEraCache();
  for (let i = 0; i <= 1_000; i++) c.set(`transport:${i}`, { era: 'modern', version: '2026-07-28' });
  assert.is(c.get('transport:0'), undefined);
  assert.equal(c.get('transport:1'), { era: 'modern', version: '2026-07-28' });
  assert.equal(c.get('transport:1000'), { era: 'modern', version: '2026-07-28' });
});

cache('maxEntries given: an answer set again is the newest; expired answers go when others are set', () => {
  let now = 0;
  const c = createEraCache(100, () => now, 2);
  c.set('a', { era: 'legacy' });
  c.set('b', { era: 'legacy' });
  c.set('a', { era: 'modern', version: '2026-07-28' }); // a is now newer than b
  c.set('c', { era: 'legacy' });
  assert.is(c.get('b'), undefined);
  assert.equal(c.get('a'), { era: 'modern', version: '2026-07-28' });
  now = 150;
  c.set('d', { era: 'legacy' });
  now = 50; // read back as if earlier: a and c would still be fresh, had they not been dropped as expired
  assert.is(c.get('a'), undefined);
  assert.is(c.get('c'), undefined);
  assert.equal(c.get('d'), { era: 'legacy' });
});

cache.run();
