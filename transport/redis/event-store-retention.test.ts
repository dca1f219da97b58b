// A finished stream is kept endedRetentionMs, but never past ttlMs: with a short idle expiry
// (`serve --session-idle-ms`), the session is gone everywhere (404) after ttlMs, and its
// histories were kept unreachable for the rest of endedRetentionMs (5 min by default).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisEventStore } from './event-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url);
  const test = suite('the Redis event store: how long a finished stream is kept');
  const keysOf = async (prefix: string) => (await link.send(['KEYS', `${prefix}es:*`]) as string[]).filter((k) => !k.endsWith('tagkey'));
  const ttls = async (prefix: string) => Promise.all((await keysOf(prefix)).map(async (k) => Number(await link.send(['PTTL', k]))));

  test('ttlMs shorter than endedRetentionMs: a finished stream expires within ttlMs', async () => {
    const store = await createRedisEventStore(link, { prefix: 'r1:', ttlMs: 3000, endedRetentionMs: 300_000 });
    const key = { sessionId: 's1', streamId: 'p1' };
    await store.append(key, { jsonrpc: '2.0', id: 1, result: {} });
    await store.endStream(key);
    const left = await ttls('r1:');
    assert.ok(left.length >= 3, `the stream's keys: ${left.length}`);
    for (const ms of left) assert.ok(ms > 0 && ms <= 3000, `PTTL ${ms} ms, at most ttlMs`);
  });

  test('endedRetentionMs shorter than ttlMs still applies as it is', async () => {
    const store = await createRedisEventStore(link, { prefix: 'r2:', ttlMs: 300_000, endedRetentionMs: 4000 });
    const key = { sessionId: 's1', streamId: 'p1' };
    await store.append(key, { jsonrpc: '2.0', id: 1, result: {} });
    await store.endStream(key);
    const streamKeys = (await keysOf('r2:')).filter((k) => !k.includes('es:sess:'));
    assert.is(streamKeys.length, 3);
    for (const k of streamKeys) {
      const ms = Number(await link.send(['PTTL', k]));
      assert.ok(ms > 3000 && ms <= 4000, `${k}: PTTL ${ms}`);
    }
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });
  test.run();
}
