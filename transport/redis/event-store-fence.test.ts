// An append the store reported as failed because Redis did not answer in time (frozen:
// SIGSTOP) must never appear in the history once Redis answers again: the client was told it
// failed, so a resume that replayed it would deliver an event twice or out of its call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcMessage } from '../../protocol/index.ts';
import { connectRedis } from './connection.ts';
import { createRedisEventStore } from './event-store.ts';
import { startTestRedis } from './test-server.ts';

const TIMEOUT_MS = 300;
const note = (progress: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress } });
const progressOf = (m: JsonRpcMessage) => (m as unknown as { params: { progress: number } }).params.progress;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url, { commandTimeoutMs: TIMEOUT_MS });
  const other = await connectRedis(redis.url, { commandTimeoutMs: TIMEOUT_MS });
  let n = 0;
  const test = suite('Redis event store: an append reported failed is never stored');
  test.after(async () => {
    await link.close();
    await other.close();
    await redis.stop();
  });

  /** Append until Redis answers again (the first commands after a thaw may still be late). */
  async function appendWhenBack(append: () => Promise<string>): Promise<string> {
    for (let i = 0; i < 40; i++) {
      try { return await append(); } catch { await sleep(50); }
    }
    throw new Error('Redis did not answer again');
  }

  test('appends timed out while Redis was frozen are absent from the replay and the other instance’s replay after the thaw', async () => {
    const prefix = `fence${++n}:`;
    const store = await createRedisEventStore(link, { prefix });
    const key = { sessionId: 's', streamId: 'p' };
    const first = await store.append(key, note(1));
    redis.signal('SIGSTOP');
    const failed: unknown[] = [];
    try {
      for (const i of [2, 3]) {
        await store.append(key, note(i)).then(() => assert.unreachable(`append ${i} acknowledged while Redis was frozen`), (e: unknown) => failed.push(e));
      }
      await sleep(TIMEOUT_MS); // frozen well past the timeout, as an outage is
    } finally {
      redis.signal('SIGCONT');
    }
    assert.is(failed.length, 2);
    for (const e of failed) assert.is((e as { code?: string }).code, 'MCP_ERR_STORE');
    const last = await appendWhenBack(() => store.append(key, note(4)));
    const seen: number[] = [];
    const ids: string[] = [];
    await store.replayAfter(first, (id, m) => { ids.push(id); seen.push(progressOf(m)); });
    assert.equal(seen.filter((p) => p !== 4), [], `failed appends replayed: ${JSON.stringify(seen)}`);
    assert.is(seen.filter((p) => p === 4).length, 1, 'the acknowledged append once');
    assert.is(ids.at(-1), last);
    const elsewhere = await createRedisEventStore(other, { prefix });
    const seenElsewhere: number[] = [];
    await elsewhere.replayAfter(first, (_id, m) => { seenElsewhere.push(progressOf(m)); });
    assert.equal(seenElsewhere, [4]);
  });

  test('the write deadline is half the command timeout ahead on Redis’s clock', async () => {
    const [sec, usec] = await link.send(['TIME']) as [string, string];
    const ahead = link.writeDeadline() - (Number(sec) * 1000 + Number(usec) / 1000);
    assert.ok(ahead > TIMEOUT_MS / 2 - 50 && ahead <= TIMEOUT_MS / 2 + 50, `${ahead} ms ahead`);
  });

  test('an append Redis answers in time is stored and acknowledged as before', async () => {
    const store = await createRedisEventStore(link, { prefix: `fence${++n}:` });
    const key = { sessionId: 's', streamId: 'q' };
    const start = await store.openStream(key);
    const ids = [await store.append(key, note(1)), await store.append(key, note(2))];
    const seen: string[] = [];
    await store.replayAfter(start, (id) => { seen.push(id); });
    assert.equal(seen, ids);
  });

  test.run();
}
