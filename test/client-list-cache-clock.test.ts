// 2026-07-28 server/utilities/caching: a list is fresh for `ttlMs` from its receipt. The client
// counted it on the wall clock, so a step of Date.now back (NTP, a VM resumed) kept a list
// fresh for the length of the step: with ttlMs 1 and the clock stepped back 2 h, listTools
// answered from the cache for 2 h. It is counted on performance.now() now (fault injection,
// session 29: clock steps on the client's own deadlines).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { scripted } from './modern-script.ts';

const test = suite('client 2026-07-28: a list cache under a wall clock that steps');

test('a step of Date.now back 2 h does not keep a list with ttlMs 1 fresh', async () => {
  const { fetch, seen } = scripted((s) => (s.body.method === 'tools/list' ? { tools: [{ name: 'a', inputSchema: { type: 'object' } }], ttlMs: 1, cacheScope: 'public' } : undefined));
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3001/mcp', fetch }));
  const realNow = Date.now;
  try {
    await client.listTools();
    Date.now = () => realNow() - 2 * 3_600_000;
    await new Promise((r) => setTimeout(r, 20)); // past the 1 ms TTL
    await client.listTools();
    assert.is(seen.filter((s) => s.body.method === 'tools/list').length, 2, 'fetched again once its TTL passed');
  } finally {
    Date.now = realNow;
    await client.close();
  }
});

test.run();
