// scalewalk5's left: Redis's `ttlMs` shorter than a handler's `sessionIdleMs` (possible in
// code: `createRedisStores(url, { ttlMs })` beside the handler's own default of 30 minutes).
// Redis dropped the session after `ttlMs` for every instance, while the instance holding a
// copy went on serving it (and failing to save it) until the copy was idle `sessionIdleMs`.
// Now `sessionIdleMs` defaults to the store's session TTL and may not exceed it.
// 2025-11-25 basic/transports: session management (the server MAY end a session; 404 afterwards).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import { createRedisStores } from '../../transport/redis/stores.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';

const TTL_MS = 1_500;

const redis = await startTestRedis();
if (redis) {
  const test = suite("scale-out: sessionIdleMs and the shared store's session TTL");

  test('a sessionIdleMs longer than the store keeps sessions is refused, naming both', async () => {
    const stores = await createRedisStores(redis.url, { prefix: 'idle-ttl-1:', ttlMs: TTL_MS });
    const server = createServer({ name: 'idle-ttl', version: '1.0.0' });
    try {
      assert.is(stores.eventStore.sessionTtlMs, TTL_MS);
      let error: unknown;
      try {
        createMcpHttpHandler(server, { eventStore: stores.eventStore, sessionIdleMs: TTL_MS + 1 });
      } catch (e) {
        error = e;
      }
      assert.instance(error, RangeError);
      assert.match((error as Error).message, `sessionIdleMs (${TTL_MS + 1} ms) is longer than the shared store's session TTL (${TTL_MS} ms; createRedisStores ttlMs)`);
      assert.match((error as Error).message, /leave sessionIdleMs out/);
      // Equal and shorter are what a deployment means: accepted.
      for (const sessionIdleMs of [TTL_MS, TTL_MS - 500]) {
        const handler = createMcpHttpHandler(server, { eventStore: stores.eventStore, sessionIdleMs });
        await handler.close();
      }
    } finally {
      await server.close();
      await stores.close();
    }
  });

  // With sessionIdleMs left out, A's idle copy answers 404 as B does: idle-expiry-agreed.test.ts.

  test.after(() => redis.stop());
  test.run();
}
