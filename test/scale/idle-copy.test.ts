// Issue #18: with a shared store, an instance whose copy of a session idles out drops its
// copy only; the session lives on in Redis for the other instances (and comes back here
// when asked for). In process: two HTTP handlers on one Redis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared } from './echo-instance.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: an idle local copy is dropped, the shared session kept');

  test('B drops its idle copy; A and then B again still serve the session', async () => {
    const instance = (sessionIdleMs: number) => echoInstance(redis.url, { prefix: 'idle:' }, { sessionIdleMs });
    const a = await instance(60_000);
    const b = await instance(40);
    try {
      const { post } = await openShared(a);
      assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      assert.is(b.handler.sessionCount, 1, 'B loaded the session');
      // B's sweep runs every 40 ms: wait (bounded) until its copy is gone.
      for (let i = 0; i < 100 && b.handler.sessionCount > 0; i++) await new Promise<void>((resolve) => setTimeout(resolve, 20));
      assert.is(b.handler.sessionCount, 0, 'B dropped its idle copy');
      const onA = await post(a, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } });
      assert.is(onA.status, 200);
      assert.match(await onA.text(), /still here/);
      const onB = await post(b, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'back on B' } } });
      assert.is(onB.status, 200, 'B loads the session again from Redis');
      assert.match(await onB.text(), /back on B/);
    } finally {
      for (const x of [a, b]) await x.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
