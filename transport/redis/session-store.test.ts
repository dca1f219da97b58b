import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisSessionStore } from './session-store.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const link = await connectRedis(redis.url);
  let n = 0;
  const two = async (leaseMs = 10_000) => {
    const prefix = `s${++n}:`;
    return [await createRedisSessionStore(link, { prefix, leaseMs }), await createRedisSessionStore(link, { prefix, leaseMs })] as const;
  };
  const call = (id: number) => ({ streamId: `p${id}`, token: 'T'.repeat(22), requests: [{ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow' } }] });

  const test = suite('the Redis session store shared by instances');

  test('a session saved on A loads by id on B, without the calls in flight; unknown ids load as undefined', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { protocolVersion: '2025-11-25' }, protocolVersion: '2025-11-25', inflight: [call(1)] });
    assert.equal(await b.loadSession('s1'), { app: { protocolVersion: '2025-11-25' }, protocolVersion: '2025-11-25' });
    assert.is(await b.loadSession('nope'), undefined);
    await a.close();
    await b.close();
  });

  test('optimistic concurrency: a copy older than the stored state cannot replace it', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { v: 1 } });
    await b.loadSession('s1');
    await b.saveSession('s1', { app: { v: 2 } });
    try {
      await a.saveSession('s1', { app: { v: 3 } });
      assert.unreachable('a stale save must be refused');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_STATE');
    }
    assert.equal(await a.loadSession('s1'), { app: { v: 2 } }, 'the newer state stays');
    await a.saveSession('s1', { app: { v: 3 } });
    assert.equal(await b.loadSession('s1'), { app: { v: 3 } }, 'after reading it again, A may save');
    await a.close();
    await b.close();
  });

  test('a save whose base this instance did not change leaves a newer stored base alone, without a conflict; a changed one is still refused', async () => {
    // Traced behind the round-robin proxy: the initialize instance's save as the initialize
    // stream ends (its call leaves the in-flight list) lands after the instance that got
    // `notifications/initialized` saved the session as initialized.
    const [a, b] = await two();
    await a.saveSession('s1', { app: { initialized: false }, inflight: [call(0)] });
    await b.loadSession('s1');
    await b.saveSession('s1', { app: {} });
    await a.saveSession('s1', { app: { initialized: false } });
    const fields = await link.send(['HKEYS', `s${n}:session:s1`]) as string[];
    assert.equal([...fields].sort(), ['base', 'ver'], "A's calls in flight are gone");
    assert.equal(await b.loadSession('s1'), { app: {} }, 'the newer base stays');
    try {
      await a.saveSession('s1', { app: { initialized: false, other: 1 } });
      assert.unreachable('a base changed on an older copy must be refused');
    } catch (error) {
      assert.match((error as Error).message, /changed by another instance \(version 2, this one had 1\)/);
    }
    assert.equal(await b.loadSession('s1'), { app: {} });
    await a.close();
    await b.close();
  });

  test('a save that comes after another instance deleted the session is dropped: no error, no record made again', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { v: 1 } });
    await b.loadSession('s1');
    await b.deleteSession('s1');
    // A still holds its copy (it learns of the end at the client's next request there).
    await a.saveSession('s1', { app: { v: 1 }, inflight: [call(1)] });
    await a.saveSession('s1', { app: { v: 2 } });
    assert.is(await b.loadSession('s1'), undefined);
    assert.is(Number(await link.send(['EXISTS', `s${n}:session:s1`])), 0, 'no record with only calls in flight');
    await a.close();
    await b.close();
  });

  test('a save of a session no longer in Redis (expired) says so, not "changed by another instance"', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { v: 1 } });
    await link.send(['DEL', `s${n}:session:s1`]);
    try {
      await a.saveSession('s1', { app: { v: 2 }, inflight: [call(1)] });
      assert.unreachable('the save of a copy of a session Redis no longer has must be refused');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_STATE');
      assert.match((error as Error).message, /no longer in Redis/);
    }
    assert.is(Number(await link.send(['EXISTS', `s${n}:session:s1`])), 0, 'no record with only calls in flight');
    await a.close();
    await b.close();
  });

  test('each instance writes its own calls in flight: an equal save of the state does not conflict', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { v: 1 } });
    await b.loadSession('s1');
    await a.saveSession('s1', { app: { v: 1 }, inflight: [call(1)] });
    await b.saveSession('s1', { app: { v: 1 }, inflight: [call(2)] });
    assert.equal(await b.claimInterrupted('s1'), [], 'A is alive: nothing to take over');
    await a.close();
    await b.close();
  });

  test('when an instance’s lease lapses, exactly one other instance claims its calls', async () => {
    const prefix = `s${++n}:`;
    const dead = await createRedisSessionStore(link, { prefix, leaseMs: 60 });
    await dead.saveSession('s1', { app: {}, inflight: [call(7)] });
    await link.send(['DEL', `${prefix}alive:${dead.instanceId}`]); // as if killed: no renewal, no clean stop
    await dead.close();
    const claimers = await Promise.all([1, 2, 3].map(() => createRedisSessionStore(link, { prefix, leaseMs: 60 })));
    const claims = await Promise.all(claimers.map((c) => c.claimInterrupted('s1')));
    assert.equal(claims.flat(), [call(7)], 'once, by one instance');
    assert.equal(await claimers[0]!.claimInterrupted('s1'), []);
    for (const c of claimers) await c.close();
  });

  test('a live instance keeps its lease by renewing it', async () => {
    const [a, b] = await two(60);
    await a.saveSession('s1', { app: {}, inflight: [call(1)] });
    // Three lease periods pass; A's renewals (every 20 ms) keep its calls its own.
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setTimeout(resolve, 60));
    assert.equal(await b.claimInterrupted('s1'), []);
    await a.close();
    await b.close();
  });

  test('deleteSession drops it; loadSessions lists what is stored', async () => {
    const [a, b] = await two();
    await a.saveSession('s1', { app: { x: 1 } });
    await a.saveSession('s2', { app: { x: 2 } });
    const listed = (await b.loadSessions()).sort((x, y) => x.sessionId.localeCompare(y.sessionId));
    assert.equal(listed, [{ sessionId: 's1', meta: { app: { x: 1 } } }, { sessionId: 's2', meta: { app: { x: 2 } } }]);
    await b.deleteSession('s1');
    assert.is(await a.loadSession('s1'), undefined);
    await a.close();
    await b.close();
  });

  test.after(async () => {
    await link.close();
    await redis.stop();
  });
  test.run();
}
