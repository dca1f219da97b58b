// scalewalk5's walk: a session's idle expiry, agreed by every instance. Redis drops the session
// `ttlMs` after its last use; an instance's idle sweep drops its own copy only at its next
// round (every `sessionIdleMs`), so for up to that long the instance that held a copy went
// on serving a session every other instance answered 404 for. Forced here: A's clock moved by
// hand (its copy idle, its sweep not yet run), Redis's expiry real.
// 2025-11-25 basic/transports: session management (the server MAY end a session; 404 afterwards).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { closedAfterEach, echoInstance, openShared } from './echo-instance.ts';

const IDLE_MS = 1_000;
/** Redis's expiry in the first two cases, awaited (real time): long enough for the session to open under load. */
const TTL_MS = 1_500;
const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: a session idle past its expiry ends on every instance');
  const open = closedAfterEach(test);

  /**
   * A (its clock moved by hand, a copy of the session) and B (none), the session opened on A.
   * `idleMs` undefined: A's sessionIdleMs left out, so the store's TTL (idle-ttl-bound.test.ts).
   */
  async function twoInstances(prefix: string, ttlMs: number, idleMs: number | undefined) {
    const clock = createManualTimers(Date.now());
    const a = await echoInstance(redis!.url, { prefix, ttlMs }, { ...(idleMs !== undefined ? { sessionIdleMs: idleMs } : {}), timers: clock });
    open.push(a);
    const b = await echoInstance(redis!.url, { prefix, ttlMs });
    open.push(b);
    // A's sweep ran at its start and runs again one idle time later: a copy used halfway
    // between is idle at 1.5 x and dropped only at 2 x.
    const idle = idleMs ?? ttlMs;
    clock.advance(idle / 2);
    const session = await openShared(a);
    assert.is((await session.post(a, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
    return { clock, a, b, session, idle };
  }

  /** The session expires in Redis (real time), A's copy goes idle (its clock): both answer 404. */
  async function expiredOnBoth(prefix: string, idleMs: number | undefined) {
    const { clock, a, b, session, idle } = await twoInstances(prefix, TTL_MS, idleMs);
    const link = await connectRedis(redis!.url);
    try {
      // Redis's expiry, on its own clock: polled (bounded) as nothing announces it.
      for (let i = 0; i < 100 && await link.send(['EXISTS', `${prefix}session:${session.id}`]) === 1; i++) await new Promise<void>((resolve) => setTimeout(resolve, 50));
      assert.is(await link.send(['EXISTS', `${prefix}session:${session.id}`]), 0, 'Redis dropped the session');
    } finally {
      await link.close();
    }
    clock.advance(idle + 1);
    assert.is(a.handler.sessionCount, 1, "A's copy is still held (its sweep has not run)");
    assert.is((await session.post(b, ping(1))).status, 404, 'B: unknown');
    assert.is((await session.post(a, ping(2))).status, 404, 'A agrees: the session expired');
    assert.is(a.handler.sessionCount, 0, "A's stale copy is dropped");
  }

  test("expired in Redis, idle on A: A answers 404 as B does, not its own copy's 200", () => expiredOnBoth('idle-agreed-1:', IDLE_MS));

  // scalewalk6: Redis's ttlMs shorter than A's sessionIdleMs (then 30 minutes by default).
  test("sessionIdleMs left out: expired in Redis after its ttlMs, A's idle copy answers 404 as B does", () => expiredOnBoth('idle-agreed-3:', undefined));

  test('used on B meanwhile, idle on A: A loads it again and serves it', async () => {
    // Redis keeps it (30 s): a loaded machine's pause between B's use and A's must not expire it.
    const { clock, a, b, session } = await twoInstances('idle-agreed-2:', 30_000, IDLE_MS);
    clock.advance(IDLE_MS + 1);
    // B's use keeps the session in Redis, whatever A's copy says.
    const onB = await session.post(b, ping(1));
    assert.is(onB.status, 200);
    await onB.text();
    const onA = await session.post(a, ping(2));
    assert.is(onA.status, 200, 'A serves the session that lives on');
    assert.match(await onA.text(), /"id":2/);
    assert.is(a.handler.sessionCount, 1);
  });

  test.after(() => redis.stop());
  test.run();
}
