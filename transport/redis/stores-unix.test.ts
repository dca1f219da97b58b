// A Redis on the same host reached through its unix socket (`unix:///path/redis.sock`, as
// @redis/client reads it): the URL was refused ("a Redis URL starts with redis:// or
// rediss://") though the client supports it; a password in such a URL is hidden when refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis stores through a unix socket');

  test('unix:// reaches Redis: every store opens, writes and reads there', async () => {
    const stores = await createRedisStores(`unix://${redis.socketPath}`, { prefix: 'unix:', evictionCheckMs: 0 });
    const tcp = await connectRedis(redis.url);
    try {
      await stores.eventStore.saveSession('s-unix', { app: { v: 1 } });
      assert.equal(await stores.eventStore.loadSession('s-unix'), { app: { v: 1 } });
      assert.type(await tcp.send(['HGET', 'unix:session:s-unix', 'base']), 'string', 'the same Redis, seen over TCP');
    } finally {
      await tcp.close();
      await stores.close();
    }
  });

  test('a URL of another scheme is refused, its password hidden', async () => {
    const refused = await connectRedis('http://:s3cret@localhost/').then(() => 'connected', (e: Error) => e.message);
    assert.is(refused, 'a Redis URL starts with redis://, rediss:// or unix://, got "http://***@localhost/"');
  });

  test.after(() => redis.stop());
  test.run();
}
