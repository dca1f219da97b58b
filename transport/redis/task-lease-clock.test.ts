// Task run leases on Redis were timed by each instance's wall clock (Date.now): an instance
// whose clock ran ahead by more than leaseMs (skew between machines, or a step after an NTP
// correction or a VM resume) found the lease of a task another instance was running and
// renewing lapsed, took it over and ran the tool a second time. Leases now use Redis's own
// clock (TIME) unless a test injects one. Here the wall clock of this process jumps ahead
// between the holder's lease and the other instance's attempt.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis task leases under a wall clock that jumps');
  const a = await connectRedis(redis.url);
  const b = await connectRedis(redis.url);

  test('a clock an hour ahead does not take a lease its holder holds; a lease released is free at once', async () => {
    const here = createRedisTaskStore(a, { prefix: 'clock1:' });
    assert.ok(await here.lease('t1', 'instance-a', 10_000));
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      const there = createRedisTaskStore(b, { prefix: 'clock1:' }); // an instance whose clock is an hour ahead
      assert.is(await there.lease('t1', 'instance-b', 10_000), false, 'the other instance took a lease that runs for 10 s more');
      assert.ok(await here.lease('t1', 'instance-a', 10_000), 'its holder renews it');
    } finally {
      Date.now = realNow;
    }
    await here.releaseLease('t1', 'instance-a');
    assert.ok(await createRedisTaskStore(b, { prefix: 'clock1:' }).lease('t1', 'instance-b', 10_000), 'free once released');
  });

  test.after(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });

  test.run();
}
