// Issue #18: a session's record in Redis expires `ttlMs` after it was last used, not after it
// was last saved. Most requests save nothing (a tools/call that ends quickly, a ping), so a
// session in steady use expired from Redis while its clients worked: an instance that did not
// hold it (one started since, or one that dropped its idle copy) answered 404, and the
// instances that held it had their next save refused as "changed by another instance".
// In process: handlers on one real redis-server, ttlMs short.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared, type EchoInstance } from './echo-instance.ts';

const TTL_MS = 600;

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: a session in use does not expire from Redis');

  const instance = (errors: string[]) => echoInstance(redis!.url, { prefix: 'ttl-use:', ttlMs: TTL_MS }, { onError: (e) => errors.push(e.message) });
  type Instance = EchoInstance;

  test('used every ttlMs / 3 on A and B for 3 x ttlMs: C, started later, serves it; A saves without a conflict', async () => {
    const errors: string[] = [];
    const started: Instance[] = [await instance(errors), await instance(errors)];
    const [a, b] = started as [Instance, Instance];
    try {
      const { post } = await openShared(a);
      assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      const until = Date.now() + 3 * TTL_MS;
      for (let i = 1; Date.now() < until; i++) {
        const answer = await post(i % 2 ? a : b, { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text: `call ${i}` } } });
        assert.is(answer.status, 200);
        await answer.text();
        await new Promise<void>((resolve) => setTimeout(resolve, TTL_MS / 3));
      }
      const c = await instance(errors);
      started.push(c);
      const onC = await post(c, { jsonrpc: '2.0', id: 'c', method: 'tools/call', params: { name: 'echo', arguments: { text: 'on C' } } });
      const text = await onC.text();
      assert.is(onC.status, 200, `C loads the session in use: ${text}`);
      assert.match(text, /on C/);
      const level = await post(a, { jsonrpc: '2.0', id: 'level', method: 'logging/setLevel', params: { level: 'debug' } });
      assert.is(level.status, 200);
      await level.text();
      assert.equal(errors, []);
    } finally {
      for (const x of started) await x.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
