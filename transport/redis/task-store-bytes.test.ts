// The Redis task store counts its records' bytes in Redis (`tasks:bytes`, `tasks:total`) for
// maxTotalBytes. Under an evicting maxmemory-policy Redis may evict the per-record sizes and
// keep the sum: without a recount the sum stayed too high for good, and every later task was
// refused as if the store were full. Over the bound, the sum is counted again first.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from '../task-store/contract.ts';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis task store\'s byte total');
  const link = await connectRedis(redis.url);

  test('a total left too high (its sizes evicted) is counted again instead of refusing every task', async () => {
    const store = createRedisTaskStore(link, { prefix: 'bytes1:', now: () => 1_000, maxTotalBytes: 10_000 });
    await store.create(sampleTask('a'));
    const size = Number(await link.send(['HGET', 'bytes1:tasks:bytes', 'a']));
    assert.ok(size > 100, `a's size is recorded (${size})`);
    assert.is(Number(await link.send(['GET', 'bytes1:tasks:total'])), size);
    await link.send(['SET', 'bytes1:tasks:total', '999999']);
    await store.create(sampleTask('b'));
    assert.is(Number(await link.send(['GET', 'bytes1:tasks:total'])), 2 * size, 'the total is the sum of the sizes again');
    await store.update('a', { status: 'completed', outcome: { result: { content: [] } } });
    const grownA = Number(await link.send(['HGET', 'bytes1:tasks:bytes', 'a']));
    assert.ok(grownA > size);
    assert.is(Number(await link.send(['GET', 'bytes1:tasks:total'])), grownA + size, 'a change moves the total by what the record grew');
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });

  test.run();
}
