import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisMarkers } from './markers.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const linkA = await connectRedis(redis.url);
  const linkB = await connectRedis(redis.url);
  const test = suite('single-use markers on Redis');

  test('an id is claimed once across instances, per scope', async () => {
    const a = createRedisMarkers(linkA);
    const b = createRedisMarkers(linkB);
    const until = Date.now() + 60_000;
    const results = await Promise.all([a.claim('mrtr', 'n1', until), b.claim('mrtr', 'n1', until), a.claim('mrtr', 'n1', until)]);
    assert.equal(results.filter(Boolean).length, 1);
    assert.ok(await b.claim('dpop', 'n1', until), 'another scope is another id');
  });

  test('a marker lasts until its expiry; a past expiry claims nothing', async () => {
    let now = 1_000_000;
    const a = createRedisMarkers(linkA, { now: () => now });
    assert.not.ok(await a.claim('mrtr', 'old', now - 1));
    assert.ok(await a.claim('mrtr', 'short', now + 30));
    assert.not.ok(await a.claim('mrtr', 'short', now + 30));
    await new Promise<void>((resolve) => setTimeout(resolve, 60)); // Redis expires by its own clock
    assert.ok(await a.claim('mrtr', 'short', now + 30), 'claimable again after expiry');
  });

  test('a bad scope is refused precisely', async () => {
    try {
      await createRedisMarkers(linkA).claim('a b', 'x', Date.now() + 1000);
      assert.unreachable();
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
    }
  });

  test.after(async () => {
    await linkA.close();
    await linkB.close();
    await redis.stop();
  });
  test.run();
}
