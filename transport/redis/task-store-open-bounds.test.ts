// The Redis task store applied a lowered maxTasks or maxTotalBytes only at its next create or
// change, and createRedisStores could not be given maxTotalBytes (nor maxRecordBytes) at all:
// an operator who lowered the bound and restarted kept every record, and a server that only
// read tasks stayed over the bound for good. Now the stores apply it at open, in one script
// (no other instance's write falls between the count and the deletions): expired records,
// then the oldest finished ones, go; unfinished ones stay; told once through onError.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from '../task-store/contract.ts';
import type { TaskStore } from '../task-store/types.ts';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { createRedisTaskStore, openRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis task store: records over the bounds it is opened with');
  const link = await connectRedis(redis.url);
  const ids = ['old-done', 'running', 'mid-done', 'new-done'];
  const done = { status: 'completed' as const, outcome: { result: { content: [{ type: 'text', text: 'x'.repeat(1000) }] } } };

  /** Under `prefix`, oldest first: old-done, running, mid-done, new-done (finished ones about 1.3 kB). */
  async function written(prefix: string): Promise<void> {
    const store = createRedisTaskStore(link, { prefix });
    const now = Date.now();
    for (const id of ids) await store.create(sampleTask(id, 'o', now));
    for (const id of ['old-done', 'mid-done', 'new-done']) await store.update(id, done);
  }

  async function present(store: TaskStore): Promise<string[]> {
    const found: string[] = [];
    for (const id of ids) if (await store.get(id)) found.push(id);
    return found;
  }

  test('createRedisStores with a lowered maxTotalBytes: the oldest finished records go at open; told once', async () => {
    await written('fit1:');
    const told: string[] = [];
    const stores = await createRedisStores(redis.url, { prefix: 'fit1:', evictionCheckMs: 0, maxTotalBytes: 2000, onError: (e) => told.push(e.message) });
    try {
      assert.equal(await present(stores.taskStore), ['running', 'new-done'], 'trimmed at open, before any write');
      const mine = told.filter((m) => m.includes('task store'));
      assert.is(mine.length, 1, told.join('\n'));
      assert.match(mine[0]!, /^the Redis task store \(prefix fit1:\) held 4 records of \d+ bytes, more than this instance's maxTasks \(1000\) or maxTotalBytes \(2000\): 0 expired and the 2 oldest finished records were deleted$/);
      const total = Number(await link.send(['GET', 'fit1:tasks:total']));
      assert.ok(total > 0 && total <= 2000, `the shared total is within the bound (${total})`);
    } finally {
      await stores.close();
    }
  });

  test('maxTasks lowered below the unfinished records: every finished one goes, the unfinished stays, and the message says new tasks are refused', async () => {
    await written('fit2:');
    const told: string[] = [];
    const store = await openRedisTaskStore(link, { prefix: 'fit2:', maxTasks: 1, onError: (e) => told.push(e.message) });
    assert.equal(await present(store), ['running']);
    assert.is(told.length, 1, told.join('\n'));
    assert.match(told[0]!, /the 3 oldest finished records were deleted$/);
    const under = await openRedisTaskStore(link, { prefix: 'fit2:', maxTasks: 1, onError: (e) => told.push(e.message) });
    assert.equal(await present(under), ['running']);
    assert.is(told.length, 1, 'a store within its bounds says nothing');
    await openRedisTaskStore(link, { prefix: 'fit2:', maxTotalBytes: 100, onError: (e) => told.push(e.message) });
    assert.match(told[1] ?? '', /; unfinished tasks hold \d+ bytes, over maxTotalBytes \(100\), so new tasks are refused until some end$/);
  });

  test('within the bounds: nothing deleted, nothing told', async () => {
    await written('fit3:');
    const told: string[] = [];
    const store = await openRedisTaskStore(link, { prefix: 'fit3:', onError: (e) => told.push(e.message) });
    assert.equal(await present(store), ids);
    assert.equal(told, []);
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });

  test.run();
}
