// A DELETE of a session when Redis refuses writes (`maxmemory` reached under `noeviction`):
// the instance answered 200 though neither the `ended:` marker nor the deletion was written,
// so the session went on serving on every other instance (and on this one, loaded again).
// Now 507 naming Redis; once Redis has room, the client's DELETE again ends it everywhere
// (2025-11-25 basic/transports#session-management). In process: two handlers on one Redis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared } from './echo-instance.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: DELETE while Redis is full');

  test('refused writes: 507 naming Redis, the session still served; with room again: 200, then 404 on both', async () => {
    const link = await connectRedis(redis.url);
    const a = await echoInstance(redis.url, { prefix: 'full:' });
    const b = await echoInstance(redis.url, { prefix: 'full:' });
    let junk = 0;
    try {
      const { post, del } = await openShared(a);
      const echo = async (on: typeof a, n: number) => (await post(on, { jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } })).status;
      assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

      const used = Number(/used_memory:(\d+)/.exec(String(await link.send(['INFO', 'memory'])))![1]);
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await link.send(['CONFIG', 'SET', 'maxmemory', String(used + 1_000_000)]);
      for (;; junk++) {
        try { await link.send(['SET', `junk:${junk}`, 'x'.repeat(10_000)]); } catch { break; }
        if (junk > 1000) throw new Error('Redis never refused a write');
      }
      const refused = await del(a);
      assert.is(refused.status, 507);
      assert.match(await refused.text(), /Redis .*OOM/);
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      assert.is(await echo(b, 1), 200, 'the session was not ended: B serves it');
      assert.is(await echo(a, 2), 200, 'A loads it again');

      const done = await del(a);
      assert.is(done.status, 200);
      assert.is(await echo(b, 3), 404);
      assert.is(await echo(a, 4), 404);
    } finally {
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      for (let k = 0; k <= junk; k++) await link.send(['DEL', `junk:${k}`]);
      for (const x of [a, b]) await x.close();
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
