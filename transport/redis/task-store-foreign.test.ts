// Instances of two versions may share one Redis (a rolling upgrade). A task record this version
// cannot use was cast, not checked: a record without its `request` reached the runtime, whose
// sweep and start-up resume (`serve --redis`) failed on it with a TypeError. Now `list` skips
// it and tells `onError` once per task (a sweep lists every `sweepMs`), and `get` rejects
// naming the task and what is wrong.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from '../task-store/contract.ts';
import { connectRedis } from './connection.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis task store and records it cannot use');
  const link = await connectRedis(redis.url);

  test('a foreign record is skipped by list (told once), refused by get by name; the others are served', async () => {
    const told: string[] = [];
    const store = createRedisTaskStore(link, { prefix: 'foreign1:', now: () => 1_000, onError: (e) => told.push(e.message) });
    await store.create(sampleTask('good'));
    const foreign = { taskId: 'other', owner: 'session-a', status: 'working', createdAt: 1_000, lastUpdatedAt: 1_000, ttl: null, inputs: [] };
    await link.send(['SET', 'foreign1:task:other', JSON.stringify(foreign)]);
    await link.send(['ZADD', 'foreign1:tasks:order', 99, 'other']);
    assert.equal((await store.list()).tasks.map((t) => t.taskId), ['good']);
    assert.equal((await store.list({ active: true })).tasks.map((t) => t.taskId), ['good']);
    assert.equal(told, ['the record of task other in Redis cannot be used by this version (request is not a tools/call)']);
    const refused = await store.get('other').then(() => undefined, (e: Error & { code?: unknown }) => e);
    assert.is(refused?.code, 'MCP_ERR_STORE');
    assert.match(refused!.message, /task other .*request is not a tools\/call/);
    assert.ok(await store.get('good'));
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });

  test.run();
}
