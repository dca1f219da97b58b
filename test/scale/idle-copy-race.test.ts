// scalewalk3's Left: `idle-copy` failed once under load, B answering 404 for a session that
// lives on in Redis. The interleavings forced here with a hand-moved clock and a store call
// held open: B's idle sweep runs while a request is being admitted to B's copy (loaded, or
// checked against the store).
// 2025-11-25 basic/transports: session management (404 only for a session that ended).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import type { SessionEventStore } from '../../transport/event-store/index.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { closedAfterEach, echoInstance, openShared } from './echo-instance.ts';

/** A store whose `method` calls wait, once armed, until the test lets them go. */
function gatedStore(method: 'sessionEnded' | 'claimInterrupted') {
  let armed: { entered: () => void; gate: Promise<void> } | undefined;
  return {
    arm(): { entered: Promise<void>; release(): void } {
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => { entered = resolve; });
      armed = { entered, gate: new Promise<void>((resolve) => { release = resolve; }) };
      return { entered: inside, release };
    },
    wrap(store: SessionEventStore): SessionEventStore {
      const real = (store[method] as (id: string) => Promise<unknown>).bind(store);
      const once = async (id: string) => {
        const held = armed;
        armed = undefined;
        if (held) {
          held.entered();
          await held.gate;
        }
        return real(id);
      };
      return { ...store, [method]: once } as SessionEventStore;
    },
  };
}

const call = (id: number, text: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: the idle sweep and a request admitted to the same copy');
  const open = closedAfterEach(test);

  for (const method of ['claimInterrupted', 'sessionEnded'] as const) {
    test(`B's sweep runs while a request waits on the store (${method}): the copy stays, the request is served`, async () => {
      const clock = createManualTimers(Date.now());
      const gate = gatedStore(method);
      const a = await echoInstance(redis.url, { prefix: `race-${method}:` });
      open.push(a);
      const b = await echoInstance(redis.url, { prefix: `race-${method}:` }, { sessionIdleMs: 40, timers: clock, wrapStore: (s) => gate.wrap(s) });
      open.push(b);
      const { post } = await openShared(a);
      if (method === 'sessionEnded') {
        // B holds an old copy first: one use, then idle for 39 ms of B's clock.
        assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
        clock.advance(39);
      }
      const held = gate.arm();
      const onB = post(b, call(1, 'served on B'));
      await held.entered;
      clock.advance(200); // the sweep runs, several times, while the request is admitted
      held.release();
      const reply = await onB;
      assert.is(reply.status, 200, 'not 404: the session lives on');
      assert.match(await reply.text(), /served on B/);
      assert.is(b.handler.sessionCount, 1, "B's copy was kept while in use");
      clock.advance(200);
      for (let i = 0; i < 50 && b.handler.sessionCount > 0; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.is(b.handler.sessionCount, 0, 'idle afterwards: dropped at the next sweep');
    });
  }

  test.after(() => redis.stop());
  test.run();
}
