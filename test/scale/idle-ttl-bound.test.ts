// scalewalk5's left: Redis's `ttlMs` shorter than a handler's `sessionIdleMs` (possible in
// code: `createRedisStores(url, { ttlMs })` beside the handler's own default of 30 minutes).
// Redis dropped the session after `ttlMs` for every instance, while the instance holding a
// copy went on serving it (and failing to save it) until the copy was idle `sessionIdleMs`.
// Now `sessionIdleMs` defaults to the store's session TTL and may not exceed it.
// 2025-11-25 basic/transports: session management (the server MAY end a session; 404 afterwards).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler } from '../../server/http.ts';
import { connectRedis } from '../../transport/redis/connection.ts';
import { createRedisStores } from '../../transport/redis/stores.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { closedAfterEach, echoInstance, openShared } from './echo-instance.ts';

/** Redis's expiry, awaited (real time): long enough for the session to open under load. */
const TTL_MS = 1_500;
const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

const redis = await startTestRedis();
if (redis) {
  const test = suite("scale-out: sessionIdleMs and the shared store's session TTL");
  const open = closedAfterEach(test);

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

  test("sessionIdleMs left out: expired in Redis after its ttlMs, A's idle copy answers 404 as B does", async () => {
    const prefix = 'idle-ttl-2:';
    const clock = createManualTimers(Date.now());
    // No sessionIdleMs: it was 30 minutes, and A served its copy for that long.
    const a = await echoInstance(redis.url, { prefix, ttlMs: TTL_MS }, { timers: clock });
    open.push(a);
    const b = await echoInstance(redis.url, { prefix, ttlMs: TTL_MS });
    open.push(b);
    // A's sweep ran at its start and runs again one TTL later: a copy used halfway between is
    // idle at 1.5 TTL and dropped by the sweep only at 2 TTL.
    clock.advance(TTL_MS / 2);
    const session = await openShared(a);
    assert.is((await session.post(a, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
    const link = await connectRedis(redis.url);
    try {
      // Redis's expiry, on its own clock: polled (bounded) as nothing announces it.
      for (let i = 0; i < 100 && await link.send(['EXISTS', `${prefix}session:${session.id}`]) === 1; i++) await new Promise<void>((resolve) => setTimeout(resolve, 50));
      assert.is(await link.send(['EXISTS', `${prefix}session:${session.id}`]), 0, 'Redis dropped the session');
    } finally {
      await link.close();
    }
    clock.advance(TTL_MS + 1);
    assert.is(a.handler.sessionCount, 1, "A's copy is still held (its sweep has not run)");
    assert.is((await session.post(b, ping(1))).status, 404, 'B: unknown');
    assert.is((await session.post(a, ping(2))).status, 404, 'A agrees: the session expired');
    assert.is(a.handler.sessionCount, 0, "A's stale copy is dropped");
  });

  test.after(() => redis.stop());
  test.run();
}
