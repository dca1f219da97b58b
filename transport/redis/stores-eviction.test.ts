// A Redis that evicts keys under memory pressure (`maxmemory` set, a policy other than
// noeviction) drops mcpwire's keys silently: a probe with allkeys-lru and 4 MB lost a saved
// session (404 afterwards, never reported), the shared requestState key (the next instance
// makes another: instances then refuse each other's states) and task records; only stream
// history failed loudly. With noeviction the same writes fail (OOM) and are reported.
// createRedisStores now refuses such a Redis unless told to run on it (`allowEviction`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from './connection.ts';
import { createRedisStores } from './stores.ts';
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis stores on a Redis that evicts keys');

  /** Set Redis's memory settings through a connection of its own. */
  const configure = async (maxmemory: string, policy: string) => {
    const link = await connectRedis(redis.url);
    try {
      await link.send(['CONFIG', 'SET', 'maxmemory', maxmemory]);
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', policy]);
    } finally {
      await link.close();
    }
  };

  test('maxmemory with allkeys-lru: refused at start with MCP_ERR_STORE naming the policy and the way out', async () => {
    await configure('64mb', 'allkeys-lru');
    try {
      await createRedisStores(redis.url, { prefix: 'evict1:' }).then(async (stores) => {
        await stores.close();
        assert.unreachable('the stores started on an evicting Redis');
      });
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_STORE', (error as Error).message);
      assert.match((error as Error).message, /maxmemory-policy allkeys-lru/);
      assert.match((error as Error).message, /noeviction/);
      assert.match((error as Error).message, /allowEviction/);
    }
  });

  test('volatile-lru evicts too (mcpwire\'s keys expire when idle): refused', async () => {
    await configure('64mb', 'volatile-lru');
    const failure = await createRedisStores(redis.url, { prefix: 'evict2:' }).then(async (s) => { await s.close(); return undefined; }, (e: Error) => e);
    assert.match(String(failure?.message), /maxmemory-policy volatile-lru/);
  });

  test('allowEviction: the stores start, and onError says what may be lost', async () => {
    await configure('64mb', 'allkeys-lru');
    const errors: string[] = [];
    const stores = await createRedisStores(redis.url, { prefix: 'evict3:', allowEviction: true, onError: (e) => errors.push(e.message) });
    await stores.close();
    assert.is(errors.length, 1, errors.join(' | '));
    assert.match(errors[0]!, /allkeys-lru/);
  });

  test('noeviction with maxmemory, and an evicting policy without maxmemory: accepted, nothing reported', async () => {
    for (const [maxmemory, policy] of [['64mb', 'noeviction'], ['0', 'allkeys-lru']] as const) {
      await configure(maxmemory, policy);
      const errors: string[] = [];
      const stores = await createRedisStores(redis.url, { prefix: 'evict4:', onError: (e) => errors.push(e.message) });
      await stores.close();
      assert.equal(errors, [], `${maxmemory} ${policy}`);
    }
  });

  test('a policy changed to an evicting one while the stores run is told through onError within evictionCheckMs (once), without a reconnect', async () => {
    await configure('64mb', 'noeviction');
    let heard!: (message: string) => void;
    const told = new Promise<string>((resolve) => { heard = resolve; });
    const errors: string[] = [];
    const stores = await createRedisStores(redis.url, { prefix: 'evict5:', evictionCheckMs: 20, onError: (e) => { errors.push(e.message); heard(e.message); } });
    try {
      assert.equal(errors, []);
      await configure('64mb', 'allkeys-lru');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const message = await Promise.race([told, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no report within 5 s')), 5000); })]).finally(() => clearTimeout(timer));
      assert.match(message, /maxmemory-policy allkeys-lru/);
      assert.match(message, /noeviction/);
      // The same risk is told once, not at every check: let three more checks reach Redis
      // (its INFO count), each loop turn one round trip, bounded.
      const link = await connectRedis(redis.url);
      try {
        const infoCalls = async () => Number(/cmdstat_info:calls=(\d+)/.exec(String(await link.send(['INFO', 'commandstats'])))?.[1] ?? 0);
        const start = await infoCalls();
        // Each of these reads counts one INFO too (the i-th: i + 1 of ours).
        for (let i = 0; i < 20_000 && await infoCalls() - start - (i + 1) < 3; i++);
      } finally {
        await link.close();
      }
      assert.is(errors.length, 1, errors.join(' | '));
    } finally {
      await stores.close();
      await configure('0', 'noeviction');
    }
  });

  test('evictionCheckMs must be a whole number of ms', async () => {
    const failure = await createRedisStores(redis.url, { prefix: 'evict6:', evictionCheckMs: -1 }).then(async (s) => { await s.close(); return undefined; }, (e: Error) => e);
    assert.match(String(failure?.message), /evictionCheckMs/);
  });

  test.after(async () => {
    await redis.stop();
  });

  test.run();
}
