// A FLUSHALL (or a DEL of the keys) while instances run. scalewalk8's walk: the session went
// on on the instance holding it (as after a Redis restarted empty), the lease came back at the
// next beat, but the deployment's shared keys (the requestState HMAC key, the stream tag key)
// stayed gone: they were written again only at a reconnect, and there was none. An instance
// started then made its own, so instances refused each other's 2026 requestStates and took
// each other's stream ids for foreign ones. Now every lease beat writes them again where
// missing, with the values this instance uses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis stores after a FLUSHALL');

  test('the shared keys are written again at the next lease beat, with this instance\'s values', async () => {
    const stores = await createRedisStores(redis.url, { prefix: 'flush:', leaseMs: 90, evictionCheckMs: 0 });
    const link = await connectRedis(redis.url);
    try {
      const keyHex = await link.send(['GET', 'flush:mrtr:key']);
      const tagHex = await link.send(['GET', 'flush:es:tagkey']);
      assert.is(keyHex, Buffer.from(stores.requestStateKey).toString('hex'));
      assert.type(tagHex, 'string');
      await link.send(['FLUSHALL']);
      let back = false;
      for (let i = 0; i < 200 && !back; i++) {
        await new Promise<void>((resolve) => setTimeout(resolve, 25));
        back = await link.send(['EXISTS', 'flush:mrtr:key', 'flush:es:tagkey', `flush:alive:${stores.instanceId}`]) === 3;
      }
      assert.ok(back, 'the keys are back');
      assert.is(await link.send(['GET', 'flush:mrtr:key']), keyHex);
      assert.is(await link.send(['GET', 'flush:es:tagkey']), tagHex);
    } finally {
      await link.close();
      await stores.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
