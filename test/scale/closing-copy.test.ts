// scalewalk4's Left: a copy of a session dropped here (idle) while it still closes. Its close
// waits for the save it has in flight (the end of its last call); a request meanwhile must be
// served by a new copy (not 404: the session lives on in Redis), and the old copy, once
// closed, must not take the new one out of the instance's map (its next request would load
// the session again, and the new copy, still running a call, would be swept by no one).
// Forced here with a hand-moved clock (the idle sweep) and the old copy's save held open until
// the request starts loading the new copy.
// 2025-11-25 basic/transports: session management (404 only for a session that ended).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import type { SessionEventStore } from '../../transport/event-store/index.ts';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { closedAfterEach, echoInstance, openShared } from './echo-instance.ts';

/** Something that happens once, awaited by the test. */
function once() {
  let fire!: () => void;
  const happened = new Promise<void>((resolve) => { fire = resolve; });
  return { happened, fire };
}

/** A store whose next save can be held open, and whose loads are counted. */
function watchedStore() {
  let held: { entered: () => void; gate: Promise<void> } | undefined;
  let nextLoad: (() => void) | undefined;
  let nextSave: (() => void) | undefined;
  const watch = {
    loads: 0,
    lastSave: Promise.resolve(),
    /** Hold the next save before it reaches Redis; `entered` once it is held. */
    holdNextSave(): { entered: Promise<void>; release(): void } {
      const entered = once();
      const gate = once();
      held = { entered: entered.fire, gate: gate.happened };
      return { entered: entered.happened, release: gate.fire };
    },
    /** Resolves when the next load of a session starts. */
    nextLoad(): Promise<void> {
      const load = once();
      nextLoad = load.fire;
      return load.happened;
    },
    /** Resolves when the next save has reached Redis. */
    async nextSaved(): Promise<void> {
      const started = once();
      nextSave = started.fire;
      await started.happened;
      await watch.lastSave;
    },
    wrap(store: SessionEventStore): SessionEventStore {
      const load = store.loadSession!.bind(store);
      const save = async (id: string, meta: Record<string, unknown>) => {
        const gate = held;
        held = undefined;
        if (gate) {
          gate.entered();
          await gate.gate;
        }
        await store.saveSession(id, meta);
      };
      return {
        ...store,
        saveSession: (id: string, meta: Record<string, unknown>) => {
          const run = save(id, meta);
          watch.lastSave = run.catch(() => undefined);
          nextSave?.();
          nextSave = undefined;
          return run;
        },
        loadSession: (id: string) => {
          watch.loads++;
          nextLoad?.();
          nextLoad = undefined;
          return load(id);
        },
      } as SessionEventStore;
    },
  };
  return watch;
}

/** A tool whose calls, by key, each wait until the test lets them go. */
function heldCalls() {
  const entered = new Map<string, ReturnType<typeof once>>();
  const gates = new Map<string, ReturnType<typeof once>>();
  const of = (map: Map<string, ReturnType<typeof once>>, key: string) => map.get(key) ?? map.set(key, once()).get(key)!;
  return {
    entered: (key: string) => of(entered, key).happened,
    release: (key: string) => of(gates, key).fire(),
    async run(key: string): Promise<string> {
      of(entered, key).fire();
      await of(gates, key).happened;
      return `done ${key}`;
    },
  };
}

const call = (id: number, key: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hold', arguments: { key } } });

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: a copy dropped while it still closes, and the copy loaded meanwhile');
  const open = closedAfterEach(test);

  test('the request is served by a new copy, which stays once the old one has closed', async () => {
    const PREFIX = 'closing-copy:';
    const clock = createManualTimers(Date.now());
    const store = watchedStore();
    const calls = heldCalls();
    const a = await echoInstance(redis.url, { prefix: PREFIX });
    open.push(a);
    const b = await echoInstance(redis.url, { prefix: PREFIX }, {
      sessionIdleMs: 40, timers: clock, responseMode: 'sse', wrapStore: (s) => store.wrap(s),
      tools: (server) => server.tool({ name: 'hold', description: 'Waits for the test.' }, (args: { key?: string }) => calls.run(args.key ?? '')),
    });
    open.push(b);
    const link = await connectRedis(redis.url);
    const inflight = async (id: string) => {
      const fields = (await link.send(['HKEYS', `${PREFIX}session:${id}`]) as string[]).filter((f) => f.startsWith('inf:'));
      return fields.length === 0 ? [] : await link.send(['HMGET', `${PREFIX}session:${id}`, ...fields]) as string[];
    };
    try {
      const { id, post } = await openShared(a);
      assert.is((await post(a, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

      // A first call on B: saved in flight; once it ends, the save of its end is held open.
      const tracked = store.nextSaved();
      const first = post(b, call(1, 'first'));
      await calls.entered('first');
      await tracked;
      assert.is((await inflight(id)).length, 1, 'the first call is saved in flight');
      const held = store.holdNextSave();
      calls.release('first');
      assert.match(await (await first).text(), /done first/);
      await held.entered;
      assert.is(store.loads, 1);

      // The sweep drops B's idle copy: closed, its close waiting for that save.
      clock.advance(200);
      // A second call reaches B meanwhile; the old copy finishes closing once the new one loads.
      const loading = store.nextLoad();
      const second = post(b, call(2, 'second'));
      await Promise.race([loading, second]); // (a 404 comes without a load)
      held.release();
      const running = await second;
      assert.is(running.status, 200, 'served by a new copy, not 404: the session lives on');
      await calls.entered('second');
      await store.lastSave;
      // A reply waits for the session's queued saves: after it, what B saved is in Redis.
      const ping = await post(b, { jsonrpc: '2.0', id: 3, method: 'ping' });
      assert.is(ping.status, 200);
      await ping.text();
      const during = await inflight(id);
      assert.is(during.length, 1, 'the running call is listed in flight on B');
      assert.match(during[0]!, /"second"/);
      assert.is(b.handler.sessionCount, 1, 'the new copy is held once the old one has closed');
      assert.is(store.loads, 2, 'the ping was served by the new copy, not a third one');

      calls.release('second');
      assert.match(await running.text(), /done second/);
      const ping2 = await post(b, { jsonrpc: '2.0', id: 4, method: 'ping' });
      await ping2.text();
      assert.equal(await inflight(id), [], 'nothing left in flight once the call ended');
      assert.is(store.loads, 2);
    } finally {
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
