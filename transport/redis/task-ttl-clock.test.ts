// Task TTLs on Redis were timed by each instance's wall clock (Date.now): an instance whose
// clock ran ahead (skew between machines, a step after a VM resumes) found the tasks other
// instances had made past their TTL, and deleted them: on its next task creation (the
// creation script purges expired tasks) and on a read of one of them. Expiry is now timed by
// Redis's clock (TIME), as the run leases are, unless a test injects a clock; the TTL a
// record gets is what was left of it on its creator's clock.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from '../task-store/contract.ts';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis task TTLs under wall clocks that disagree');
  const a = await connectRedis(redis.url);
  const b = await connectRedis(redis.url);
  const HOUR = 3_600_000;

  /** Run `body` with this process's wall clock `ms` ahead (the runtime stamps records with Date.now). */
  async function ahead<T>(ms: number, body: () => Promise<T>): Promise<T> {
    const realNow = Date.now;
    Date.now = () => realNow() + ms;
    try {
      return await body();
    } finally {
      Date.now = realNow;
    }
  }

  test('an instance an hour ahead neither purges nor hides the tasks another made (TTL 60 s)', async () => {
    const here = createRedisTaskStore(a, { prefix: 'ttl1:' });
    await here.create(sampleTask('t1', 'alice', Date.now(), 60_000));
    await ahead(HOUR, async () => {
      const there = createRedisTaskStore(b, { prefix: 'ttl1:' }); // an instance whose clock is an hour ahead
      await there.create(sampleTask('t2', 'bob', Date.now(), 60_000)); // the creation purges expired tasks
      assert.ok(await there.get('t1'), 'the task of the other instance read as expired');
      assert.equal((await there.list()).tasks.map((t) => t.taskId), ['t1', 't2']);
    });
    assert.ok(await here.get('t1'), 'the task was deleted');
    assert.ok(await here.get('t2'), 'the task of the instance ahead reads as expired on this one');
    assert.equal((await here.list()).tasks.map((t) => t.taskId), ['t1', 't2']);
  });

  test('a task whose TTL has passed on its creator\'s clock is gone on every instance, whatever their clocks', async () => {
    const here = createRedisTaskStore(a, { prefix: 'ttl2:' });
    await here.create(sampleTask('old', 'alice', Date.now() - 10_000, 5_000)); // its 5 s ran out 5 s ago
    await here.create(sampleTask('new', 'alice', Date.now(), 60_000));
    assert.is(await here.get('old'), undefined);
    await ahead(-HOUR, async () => {
      const behind = createRedisTaskStore(b, { prefix: 'ttl2:' });
      assert.is(await behind.get('old'), undefined, 'an instance an hour behind still sees it');
      assert.equal((await behind.list()).tasks.map((t) => t.taskId), ['new']);
    });
  });

  test('ttlLeft is what is left on Redis\'s clock, whatever the clock of the instance asking', async () => {
    const here = createRedisTaskStore(a, { prefix: 'ttl3:' });
    await here.create(sampleTask('timed', 'alice', Date.now(), 60_000));
    await here.create(sampleTask('forever', 'alice', Date.now(), null));
    await ahead(HOUR, async () => {
      const there = createRedisTaskStore(b, { prefix: 'ttl3:' });
      const left = await there.ttlLeft!('timed');
      assert.ok(left !== null && left !== undefined && left > 50_000 && left <= 60_000, `left: ${left}`);
      assert.is(await there.ttlLeft!('forever'), null);
      assert.is(await there.ttlLeft!('unknown'), undefined);
    });
  });

  test.after(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });

  test.run();
}
