// Lease renewals failing while Redis is away are reported once per outage, not once per beat
// (every third of the lease: 400 lines in a minute at `--redis-lease-ms 600`); the first
// renewal that succeeds again ends the outage, and the next one is reported again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisSessionStore } from './session-store.ts';
import { startTestRedis } from './test-server.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis session store: failed lease renewals');

  test('one report per outage, whatever the number of beats', async () => {
    const link = await connectRedis(redis.url, { maxReconnectDelayMs: 50, onError: () => {} });
    const errors: Error[] = [];
    const store = await createRedisSessionStore(link, { prefix: 'beat:', leaseMs: 60, onError: (e) => errors.push(e) });
    try {
      await redis.kill();
      await sleep(400); // 20 beats
      assert.is(errors.length, 1, errors.map((e) => e.message).join(' | '));
      assert.match(errors[0]!.message, /lease/);
      await redis.up();
      for (let i = 0; i < 100 && !link.ready; i++) await sleep(50);
      await sleep(100); // a beat succeeds
      await redis.kill();
      await sleep(400);
      assert.is(errors.length, 2, errors.map((e) => e.message).join(' | '));
    } finally {
      await store.close();
      await link.close();
      await redis.stop();
    }
  });

  test.run();
}
