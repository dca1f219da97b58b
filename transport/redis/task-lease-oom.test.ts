// Task leases while Redis refuses writes (`maxmemory` reached, `noeviction`), scalewalk2's
// leftover traced: the lease script's SET was refused (OOM) like any write, so the instance
// running a task could not renew its lease; the lease lapsed (600 ms in that cluster) while
// the run went on, and once Redis had room again another instance's sweep or `tasks/get` could
// take the lease first and run the task a second time (the first run, told its lease was lost,
// stops and drops its outcome). The lease script now runs out of memory too (Redis 7 script
// flag allow-oom; a lease is one small key), so the holder keeps its lease through the outage.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis task leases while Redis is out of memory');
  const admin = await connectRedis(redis.url);
  const a = await connectRedis(redis.url);
  const b = await connectRedis(redis.url);

  test('the holder renews through the outage, so no other instance takes the task once Redis has room', async () => {
    const here = createRedisTaskStore(a, { prefix: 'oomlease:' });
    const there = createRedisTaskStore(b, { prefix: 'oomlease:' });
    assert.ok(await here.lease('t1', 'instance-a', 300));
    const used = Number(/used_memory:(\d+)/.exec(String(await admin.send(['INFO', 'memory'])))![1]);
    await admin.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await admin.send(['CONFIG', 'SET', 'maxmemory', String(Math.floor(used / 2))]);
    try {
      const write = await admin.send(['SET', 'oomlease:junk', 'x']).then(() => 'written', (e: Error) => e.message);
      assert.match(write, /OOM/, 'Redis refuses writes');
      // Beats every third of the lease, for three leases.
      for (let beat = 0; beat < 9; beat++) {
        assert.is(await here.lease('t1', 'instance-a', 300), true, `renewal ${beat}`);
        assert.is(await there.lease('t1', 'instance-b', 300), false, `the other instance, beat ${beat}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.send(['CONFIG', 'SET', 'maxmemory', '0']);
    }
    assert.is(await there.lease('t1', 'instance-b', 300), false, 'Redis has room again: the lease is still its holder\'s');
    await here.releaseLease('t1', 'instance-a');
  });

  test.after(async () => {
    for (const link of [admin, a, b]) await link.close();
    await redis.stop();
  });
  test.run();
}
