import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisSessionStore } from './session-store.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url);
  const test = suite('the Redis key prefix');

  test('a prefix holding glob characters lists only its own sessions, not those of a prefix it would match as a pattern', async () => {
    const wild = await createRedisSessionStore(link, { prefix: 'a*:' });
    const other = await createRedisSessionStore(link, { prefix: 'ab:' });
    const question = await createRedisSessionStore(link, { prefix: 'a?[x]:' });
    const near = await createRedisSessionStore(link, { prefix: 'ab[x]:' });
    await wild.saveSession('mine', { app: { w: 1 } });
    await other.saveSession('theirs', { app: { o: 1 } });
    await question.saveSession('q', { app: { q: 1 } });
    await near.saveSession('n', { app: { n: 1 } });
    assert.equal(await wild.loadSessions(), [{ sessionId: 'mine', meta: { app: { w: 1 } } }]);
    assert.equal(await question.loadSessions(), [{ sessionId: 'q', meta: { app: { q: 1 } } }]);
    for (const store of [wild, other, question, near]) await store.close();
  });

  test('an empty prefix is refused before connecting, with what it would do', async () => {
    for (const make of [
      () => createRedisStores(redis.url, { prefix: '' }),
      () => createRedisSessionStore(link, { prefix: '' }),
    ]) {
      try {
        await (await make()).close();
        assert.unreachable('an empty prefix must be refused');
      } catch (error) {
        assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
        assert.match((error as Error).message, /prefix must be a non-empty string .*unprefixed keys/);
      }
    }
    assert.equal(await link.send(['KEYS', 'alive:*']), [], 'no unprefixed key was written');
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });
  test.run();
}
