// A Redis that lost writes it had acknowledged (restarted from an older snapshot: no AOF, or
// the fsync window of `appendfsync everysec`) holds a stream shorter than the ids its clients
// got (faults31). An id past the stream's end names an event that was issued and lost: a gap
// (410, 'evicted'), as the file store answers after a power loss, not "never issued" (400).
// Real redis-server: a SAVE, two more appends, then Redis stopped and started from its file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const note = (i: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: i } });

const until = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end && !check();) await new Promise<void>((resolve) => setTimeout(resolve, 25));
  return check();
};

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis event store after Redis lost acknowledged writes');

  test('an id past the stream\'s end is refused as a gap (410), naming where the history ends', async () => {
    const stores = await createRedisStores(redis.url, { prefix: 'lost:', maxReconnectDelayMs: 50, evictionCheckMs: 0, onError: () => {} });
    const store = stores.eventStore;
    try {
      const key = { sessionId: 's1', streamId: 'p1' };
      const start = await store.openStream(key);
      const ids = [await store.append(key, note(1)), await store.append(key, note(2))];
      const link = await connectRedis(redis.url);
      await link.send(['SAVE']);
      await link.close();
      ids.push(await store.append(key, note(3)), await store.append(key, note(4)));
      await redis.down();
      await redis.up(); // from the snapshot: events 3 and 4 are gone, their ids were sent
      assert.ok(await until(() => stores.link.ready, 10_000), 'the stores reconnected');

      const outcome = (id: string) => store.replayAfter(id, () => {}, 's1').then(() => 'ok', (e: { reason?: string; message: string }) => `${e.reason}: ${e.message}`);
      for (const lost of [ids[2]!, ids[3]!]) {
        const said = await outcome(lost);
        assert.ok(said.startsWith('evicted: '), `a lost id: ${said}`);
        assert.match(said, /lost from Redis \(the stream's history ends at event 2\)/);
      }
      const kept: number[] = [];
      await store.replayAfter(start, (_id, m) => void kept.push((m as unknown as { params: { progress: number } }).params.progress), 's1');
      assert.equal(kept, [1, 2], 'what Redis kept is still served');
    } finally {
      await stores.close();
    }
  });

  test.after(async () => {
    await redis.stop();
  });
  test.run();
}
