// A Redis that refuses writes (`maxmemory` reached, `noeviction`) failed a script with its own
// text, which a client read in the 507: "Redis EVALSHA failed: OOM command not allowed when used
// memory > 'maxmemory'. script: d800..., on @user_script:12." (scalewalk2's leftover). The
// script's SHA1 and line said nothing to the reader; the error now names the write refused
// and why, with the way out, and carries Redis's own text as its cause.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis out of memory: what the script failure says');

  test('a task creation refused for memory names the write and the cause, not the script\'s hash', async () => {
    const link = await connectRedis(redis.url);
    const stores = await createRedisStores(redis.url, { prefix: 'oom:' });
    try {
      // Below what Redis holds already: with noeviction every write is refused (nothing is evicted).
      const used = Number(/used_memory:(\d+)/.exec(String(await link.send(['INFO', 'memory'])))![1]);
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await link.send(['CONFIG', 'SET', 'maxmemory', String(Math.floor(used / 2))]);
      const now = Date.now();
      const error = await stores.taskStore.create({
        taskId: 'oom-task', owner: 'o', status: 'working', createdAt: now, lastUpdatedAt: now, ttl: 60_000, inputs: [],
        request: { method: 'tools/call', params: { name: 'x' }, protocolVersion: '2025-11-25', clientCapabilities: {} },
      }).then(() => undefined, (e: Error & { code?: string; cause?: unknown }) => e);
      assert.is(error?.code, 'MCP_ERR_STORE');
      assert.is(error?.message, 'Redis refused the task creation: it is out of memory (OOM: its used memory is over maxmemory, and nothing is evicted to make room); free memory in Redis or raise its maxmemory');
      assert.match(String((error?.cause as Error | undefined)?.message), /^OOM command not allowed/, 'Redis\'s own text is the cause');
    } finally {
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      await stores.close();
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
