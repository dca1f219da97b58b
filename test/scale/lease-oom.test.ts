// scalewalk5's walk: Redis at `maxmemory` with `noeviction` mid-call. Every instance logged
// "cannot renew this instance's lease ... OOM": the renewal of `alive:<instance>` is a plain
// SET, refused like any write, so the lease of every live instance lapsed (`leaseMs`) during
// the outage. Once Redis had room, the first request to reach another instance before the
// running one's next beat claimed its calls as a dead instance's and ran them a second time.
// Task leases already run out of memory (transport/redis/task-lease-oom.test.ts); instance
// leases now do too. 2025-11-25 basic/transports: resumability (a call re-run once, where its
// instance died).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { closedAfterEach, echoInstance, openShared } from './echo-instance.ts';

const LEASE_MS = 1_200;

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: instance leases while Redis is out of memory');
  const open = closedAfterEach(test);

  test("a call running through the outage keeps its instance's lease: not run again elsewhere once Redis has room", async () => {
    const prefix = 'lease-oom:';
    const runs: string[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    const instance = (name: string) => echoInstance(redis.url, { prefix, leaseMs: LEASE_MS }, {
      responseMode: 'sse',
      tools: (server) => server.tool({ name: 'hold', description: 'Runs until the test ends it.' }, async () => {
        runs.push(name);
        started();
        await finished;
        return `done on ${name}`;
      }),
    });
    const a = await instance('A');
    open.push(a);
    const b = await instance('B');
    open.push(b);
    const admin = await connectRedis(redis.url);
    const alive = async () => (await admin.send(['KEYS', `${prefix}alive:*`]) as string[]).length;
    try {
      const session = await openShared(a);
      assert.is((await session.post(a, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      const call = await session.post(a, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hold', arguments: {} } });
      assert.is(call.status, 200);
      await running;
      // A reply waits for the session's queued saves: the call is recorded in flight on A now.
      await (await session.post(a, { jsonrpc: '2.0', id: 2, method: 'ping' })).text();
      assert.is(await alive(), 2);

      const used = Number(/used_memory:(\d+)/.exec(String(await admin.send(['INFO', 'memory'])))![1]);
      await admin.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await admin.send(['CONFIG', 'SET', 'maxmemory', String(Math.floor(used / 2))]);
      try {
        assert.match(await admin.send(['SET', `${prefix}junk`, 'x']).then(() => 'written', (e: Error) => e.message), /OOM/, 'Redis refuses writes');
        // Two and a half leases long: the instances beat every third of one (nothing else to
        // await). A lease long enough that a stall of this loaded machine does not lapse it.
        for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setTimeout(resolve, LEASE_MS / 4));
        assert.is(await alive(), 2, 'both instances still hold their lease');
      } finally {
        await admin.send(['CONFIG', 'SET', 'maxmemory', '0']);
      }
      // Redis has room: B, loading the session, finds A alive and leaves its call be.
      const onB = await session.post(b, { jsonrpc: '2.0', id: 3, method: 'ping' });
      assert.is(onB.status, 200);
      await onB.text();
      finish();
      assert.match(await call.text(), /done on A/);
      assert.equal(runs, ['A'], 'the call ran once, on A');
    } finally {
      finish();
      await admin.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
