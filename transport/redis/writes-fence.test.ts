// Every write the Redis stores are told failed stays unmade, not only event appends: a session
// save (its calls in flight), a claim of interrupted calls, a task's creation, change or
// lease. Each carries a deadline on Redis's clock (RedisLink.writeDeadline) that its script
// checks first. Before, a save or claim timed out while Redis was frozen ran when it thawed:
// calls in flight written over newer ones, calls claimed that no instance re-ran, a task the
// client was told failed created (and run by the next sweep).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleTask } from '../task-store/contract.ts';
import { connectRedis, type RedisLink } from './connection.ts';
import { createRedisSessionStore } from './session-store.ts';
import { createRedisTaskStore } from './task-store.ts';
import { startTestRedis } from './test-server.ts';

const TIMEOUT_MS = 300;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const call = (id: number) => ({ streamId: `p${id}`, token: 'T'.repeat(22), requests: [{ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow' } }] });

/** `link` as seen by a write Redis runs after its deadline (the deadline is long past). */
function late(link: RedisLink): RedisLink {
  return {
    send: (args, blockMs) => link.send(args, blockMs),
    eval: (script, keys, args) => link.eval(script, keys, args),
    duplicate: () => link.duplicate(),
    subscribe: (channel, onMessage) => link.subscribe(channel, onMessage),
    writeDeadline: () => link.writeDeadline() - 60_000,
    get ready() { return link.ready; },
    close: () => link.close(),
  };
}

async function refusedLate(write: Promise<unknown>, what: string): Promise<void> {
  const outcome = await write.then(() => 'made', (e: unknown) => e);
  assert.ok(outcome instanceof Error, `the late ${what} was made`);
  assert.match((outcome as Error).message, /MCPWIRE_LATE/);
}

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url, { commandTimeoutMs: TIMEOUT_MS });
  let n = 0;
  const test = suite('Redis stores: a write run after its deadline is not made');
  test.after(async () => {
    await link.close();
    await redis.stop();
  });

  test('session save and claim: refused late, the stored state unchanged', async () => {
    const prefix = `wf${++n}:`;
    const a = await createRedisSessionStore(link, { prefix, leaseMs: 60 });
    const b = await createRedisSessionStore(link, { prefix, leaseMs: 60_000 });
    await a.saveSession('s', { app: { v: 1 }, inflight: [call(1)] });
    const lateA = await createRedisSessionStore(late(link), { prefix, instanceId: a.instanceId, leaseMs: 60 });
    await refusedLate(lateA.saveSession('s', { app: { v: 2 }, inflight: [call(2)] }), 'save');
    assert.equal(await b.loadSession('s'), { app: { v: 1 } });
    await a.close(); // its lease ends: its call 1 is interrupted
    await lateA.close();
    const lateB = await createRedisSessionStore(late(link), { prefix, instanceId: b.instanceId, leaseMs: 60_000 });
    await refusedLate(lateB.claimInterrupted('s'), 'claim');
    assert.equal((await b.claimInterrupted('s')).map((c) => (c as { streamId: string }).streamId), ['p1'], 'the call is still there to claim');
    await b.close();
    await lateB.close();
  });

  test('task creation, change and lease: refused late, nothing made', async () => {
    const prefix = `wf${++n}:`;
    const store = createRedisTaskStore(link, { prefix });
    const lateStore = createRedisTaskStore(late(link), { prefix });
    await store.create(sampleTask('t1', 'o', Date.now()));
    await refusedLate(lateStore.create(sampleTask('t2', 'o', Date.now())), 'creation');
    assert.is(await store.get('t2'), undefined);
    await refusedLate(lateStore.update('t1', { status: 'cancelled' }), 'change');
    assert.is((await store.get('t1'))?.status, 'working');
    await refusedLate(lateStore.lease('t1', 'late-holder', 60_000), 'lease');
    assert.ok(await store.lease('t1', 'other', 60_000), 'the lease is free');
  });

  test('frozen (SIGSTOP): a save and a task creation that timed out do not land after the thaw', async () => {
    const prefix = `wf${++n}:`;
    const sessions = await createRedisSessionStore(link, { prefix });
    const tasks = createRedisTaskStore(link, { prefix });
    await sessions.saveSession('s', { app: { v: 1 } });
    redis.signal('SIGSTOP');
    const failed: unknown[] = [];
    try {
      await sessions.saveSession('s', { app: { v: 1 }, inflight: [call(9)] }).catch((e: unknown) => failed.push(e));
      await tasks.create(sampleTask('t9', 'o', Date.now())).catch((e: unknown) => failed.push(e));
      await sleep(TIMEOUT_MS); // frozen well past the timeout, as an outage is
    } finally {
      redis.signal('SIGCONT');
    }
    assert.is(failed.length, 2, 'both reported failed');
    let stored: unknown = 'unanswered';
    for (let i = 0; i < 40 && stored === 'unanswered'; i++) {
      stored = await link.send(['HGET', `${prefix}session:s`, `inf:${sessions.instanceId}`]).catch(async () => { await sleep(50); return 'unanswered'; });
    }
    assert.is(stored, null, 'the calls in flight of the failed save were written');
    assert.is(await tasks.get('t9'), undefined, 'the task reported failed was created');
    await sessions.close();
  });

  test.run();
}
