// A Redis that reads its data at start (an AOF or RDB file) takes connections at once and
// answers LOADING to reads and writes until it is done. scalewalk7 saw it in a walk: "Redis
// SET failed: LOADING Redis is loading the dataset in memory" from an instance that had
// reconnected to a Redis restarted with its data. The shared keys written again at reconnect
// (the requestState key, the stream tag key) were refused and never tried again: when the
// file lacked them (a restore from before they were made), instances started afterwards made
// their own, and refused each other's states and stream ids. Now they are owed and written
// once Redis takes writes. And a first connection to a loading Redis waits for it (within
// the connect timeout) instead of failing the stores' first check with a misleading reason.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis, redisScript } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const PROBE = redisScript('probe', 'return 1');
/**
 * Each filler is read this slowly: 150 load for about 6 s. A loading Redis answers a command
 * only every 0.7 to 1.5 s, so a connection's handshake (HELLO, three TIMEs) takes seconds.
 */
const LOAD_DELAY_US = 40_000;
const fill = (count: number) => `for i = 1, ${count} do redis.call('SET', 'filler:' .. i, string.rep('x', 100)) end return 1`;

const until = async (check: () => boolean | Promise<boolean>, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return true;
    await new Promise<void>((resolve) => setTimeout(resolve, 25));
  }
  return check();
};

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis stores and a Redis loading its data');

  /** Save what Redis holds (with `fillers` keys), stop it, and start it loading that slowly. */
  async function reloadSlowly(fillers: number, prepare?: (link: Awaited<ReturnType<typeof connectRedis>>) => Promise<void>): Promise<void> {
    const link = await connectRedis(redis!.url);
    await prepare?.(link);
    await link.send(['EVAL', fill(fillers), 0]);
    await link.send(['SAVE']);
    await link.close();
    await redis!.down();
    await redis!.up({ loadDelayUs: LOAD_DELAY_US });
  }

  test('reconnected while Redis loads: the shared keys its file lacked are written once it has loaded', async () => {
    const told: string[] = [];
    const stores = await createRedisStores(redis.url, { prefix: 'load:', maxReconnectDelayMs: 50, evictionCheckMs: 0, onError: (e) => told.push(e.message) });
    const keyHex = Buffer.from(stores.requestStateKey).toString('hex');
    let tagHex: unknown;
    try {
      // The file Redis reads back lacks both shared keys (a restore of data older than them).
      await reloadSlowly(150, async (link) => {
        tagHex = await link.send(['GET', 'load:es:tagkey']);
        assert.type(tagHex, 'string');
        await link.send(['DEL', 'load:mrtr:key', 'load:es:tagkey']);
      });
      assert.ok(await until(() => stores.link.ready, 10_000), 'the stores reconnected');
      // Waits for the load to end (the first connection's wait, below).
      const look = await connectRedis(redis.url, { connectTimeoutMs: 60_000 });
      try {
        assert.ok(told.some((t) => /LOADING/.test(t)), `the reconnect met Redis loading: ${JSON.stringify(told)}`);
        const report = told.find((t) => /LOADING/.test(t))!;
        assert.match(report, /^cannot write this instance's lease and the shared keys again after reconnecting to Redis \(the lease is renewed every third of leaseMs, the keys tried again every 50 ms until Redis takes them\): Redis \S+ failed: LOADING /);
        assert.ok(await until(async () => await look.send(['GET', 'load:mrtr:key']) !== null, 5_000), 'the requestState key is written again');
        assert.is(await look.send(['GET', 'load:mrtr:key']), keyHex, "this instance's own key, so new instances share it");
        assert.is(await look.send(['GET', 'load:es:tagkey']), tagHex, 'the stream tag key too');
      } finally {
        await look.close();
      }
    } finally {
      await stores.close().catch(() => undefined);
    }
  });

  test('a first connection to a loading Redis waits for its data, or says why it gave up', async () => {
    // 300 fillers: about 12 s, the handshake's seconds and then some.
    await reloadSlowly(300);
    // Given up at its first LOADING, the handshake having taken longer than its 200 ms.
    const impatient = await connectRedis(redis.url, { connectTimeoutMs: 200 }).then(async (link) => { await link.close(); return 'connected'; }, (e: Error) => e.message);
    assert.match(impatient, new RegExp(`^Redis at ${redis.url} was still loading its data after \\d+ ms \\(it reads its AOF or RDB file at start and answers LOADING until done\\): start again once it has loaded \\(Redis DBSIZE failed: LOADING `));
    const patient = await connectRedis(redis.url, { connectTimeoutMs: 60_000 });
    try {
      assert.is(await patient.eval(PROBE, [], []), 1, 'a script runs at once: the data is loaded');
      assert.is(await patient.send(['GET', 'filler:300']), 'x'.repeat(100), 'every filler loaded');
    } finally {
      await patient.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
