// A session store's script that fails names the session it worked on. scalewalk7's walk (Redis
// kill -9'd mid-call) logged "Redis EVALSHA failed: Socket closed unexpectedly (the session
// renewal)": which session's request had failed was not said, so an operator could not match
// the line to a client's 507. The renewal, the save and the claim of interrupted calls each
// name it now, for a lost connection and for Redis out of memory alike.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisSessionStore } from './session-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis session store: a failed script names the session');
  const failure = (work: Promise<unknown>) => work.then(() => 'no failure', (e: Error) => e.message);

  test('Redis out of memory: the refused save names the session', async () => {
    const link = await connectRedis(redis.url);
    const store = await createRedisSessionStore(link, { prefix: 'oom:' });
    try {
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await link.send(['CONFIG', 'SET', 'maxmemory', '1']);
      assert.is(await failure(store.saveSession('s-full', { app: { v: 1 } })),
        'Redis refused the session save of session s-full: it is out of memory (OOM: its used memory is over maxmemory, and nothing is evicted to make room); free memory in Redis or raise its maxmemory');
    } finally {
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      await store.close();
      await link.close();
    }
  });

  test('Redis down: the renewal, the save and the claim each name the session', async () => {
    const link = await connectRedis(redis.url, { maxReconnectDelayMs: 50 });
    const store = await createRedisSessionStore(link, { prefix: 'down:' });
    try {
      // Loaded while Redis is up, so what fails below is the EVALSHA itself.
      assert.is(await store.sessionEnded('s-up'), false);
      await store.saveSession('s-up', { app: { v: 1 } });
      assert.equal(await store.claimInterrupted('s-up'), []);
      await redis.down();
      for (let i = 0; i < 200 && link.ready; i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
      const down = 'Redis EVALSHA failed: the connection to Redis is down (reconnecting)';
      assert.is(await failure(store.sessionEnded('s-7f3a')), `${down} (the session renewal of session s-7f3a)`);
      assert.is(await failure(store.saveSession('s-7f3a', { app: { v: 2 } })), `${down} (the session save of session s-7f3a)`);
      assert.is(await failure(store.claimInterrupted('s-7f3a')), `${down} (the claim of interrupted calls of session s-7f3a)`);
    } finally {
      await redis.up();
      await store.close().catch(() => undefined);
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
