import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { connectRedis } from './connection.ts';
import { createRedisEventStore } from './event-store.ts';
import { startTestRedis } from './test-server.ts';

const note = (i: number, who = 'a'): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: who, progress: i } });
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

const key = { sessionId: 'session-1', streamId: 'p1' };

const redis = await startTestRedis();
if (redis) {
  // Two connections and two stores on one prefix: two server instances sharing Redis.
  const linkA = await connectRedis(redis.url);
  const linkB = await connectRedis(redis.url);
  let n = 0;
  const pair = async () => {
    const prefix = `f${++n}:`;
    return [await createRedisEventStore(linkA, { prefix, followBlockMs: 50 }), await createRedisEventStore(linkB, { prefix, followBlockMs: 50 })] as const;
  };

  const test = suite('the Redis store shared by two instances');

  test('appends from two instances at once get unique ids, each instance’s in its call order', async () => {
    const [a, b] = await pair();
    const start = await a.openStream(key);
    const fromA = Array.from({ length: 100 }, (_, i) => note(i, 'a'));
    const fromB = Array.from({ length: 100 }, (_, i) => note(i, 'b'));
    const [idsA, idsB] = await Promise.all([Promise.all(fromA.map((m) => a.append(key, m))), Promise.all(fromB.map((m) => b.append(key, m)))]);
    const all = [...idsA, ...idsB];
    assert.is(new Set(all).size, 200);
    const seen: Array<[string, JsonRpcMessage]> = [];
    await b.replayAfter(start, (id, m) => void seen.push([id, m]));
    assert.is(seen.length, 200, 'exactly once');
    const order = (who: string) => seen.filter(([, m]) => (m as unknown as { params: { progressToken: string } }).params.progressToken === who).map(([id]) => id);
    assert.equal(order('a'), idsA);
    assert.equal(order('b'), idsB);
    await a.close();
    await b.close();
  });

  test('a follower on B gets the history, then what A appends live, and stops at the end of the stream', async () => {
    const [a, b] = await pair();
    const first = await a.append(key, note(1));
    const second = await a.append(key, note(2));
    const got: string[] = [];
    let wanted = 2;
    const { promise: enough, resolve: heard } = deferred();
    const { key: followed, done } = await b.follow(first, (id) => {
      got.push(id);
      if (got.length === wanted) heard();
    }, { expectedSessionId: key.sessionId });
    assert.equal(followed, key);
    assert.equal(got, [second], 'the stored history first');
    const third = await a.append(key, note(3));
    await enough;
    assert.equal(got, [second, third], 'then live');
    wanted = 4;
    const more = [await a.append(key, note(4))];
    await a.endStream(key);
    await done;
    assert.equal(got, [second, third, ...more], 'nothing twice, nothing after the end');
    await a.close();
    await b.close();
  });

  test('a follower stops when told to, and on a quiet stream calls onQuiet', async () => {
    const [a, b] = await pair();
    const first = await a.append(key, note(1));
    let quiet = 0;
    let stop = false;
    const { promise: twice, resolve: woke } = deferred();
    const { done } = await b.follow(first, () => {}, { stop: () => stop, onQuiet: () => { if (++quiet === 2) { stop = true; woke(); } } });
    await twice;
    await done;
    assert.ok(quiet >= 2);
    await a.close();
    await b.close();
  });

  test('a follower of an ended stream gets its rest and stops at once', async () => {
    const [a, b] = await pair();
    const first = await a.append(key, note(1));
    const second = await a.append(key, note(2));
    await a.endStream(key);
    const got: string[] = [];
    const { done } = await b.follow(first, (id) => void got.push(id), {});
    await done;
    assert.equal(got, [second]);
    await a.close();
    await b.close();
  });

  test('a follow is refused like a replay: wrong session, unknown, evicted', async () => {
    const [a, b] = await pair();
    const id = await a.append(key, note(1));
    await assert_rejects(b.follow(id, () => {}, { expectedSessionId: 'other' }), 'wrong-session');
    await a.deleteSession(key.sessionId);
    await assert_rejects(b.follow(id, () => {}, { expectedSessionId: key.sessionId }), 'evicted');
    await a.close();
    await b.close();
  });

  async function assert_rejects(p: Promise<unknown>, reason: string): Promise<void> {
    try {
      await p;
    } catch (error) {
      assert.is((error as { reason?: string }).reason, reason);
      return;
    }
    assert.unreachable('should have been refused');
  }

  test.after(async () => {
    await linkA.close();
    await linkB.close();
    await redis.stop();
  });
  test.run();
}
