// A Redis outage as an operator's log shows it: the client tries to reconnect every
// `maxReconnectDelayMs` at most, and each failed attempt is an error event. Each was told
// through `onError` ("Redis connection failed: connect ECONNREFUSED", about ten lines a
// second for an instance's three connections); now a connection tells the loss once and its
// return once, with how long and how many attempts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis, redisScript } from './connection.ts';

const SAVE = redisScript('session save', 'return 1');
import { startTestRedis } from './test-server.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('the Redis connection: an outage told once, and the return once');

  test('Redis down for a while, then up: one report of the loss, one of the return; the link serves again', async () => {
    const told: string[] = [];
    const link = await connectRedis(redis.url, { maxReconnectDelayMs: 50, onError: (e) => told.push(e.message) });
    // A second connection, as the bus's subscriber: its reports name it (they read like the first's).
    const second = await link.duplicate('event bus subscriber');
    try {
      assert.is(await link.eval(SAVE, [], []), 1, 'loaded while Redis is up: EVALSHA from here on');
      await redis.down();
      // A command meanwhile: the Redis client's own words ("The client is offline") read as if
      // the MCP client were away, in a 507 and in the log.
      for (let i = 0; i < 200 && link.ready; i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
      const offline = await link.send(['PING']).then(() => undefined, (e: Error) => e.message);
      assert.is(offline, 'Redis PING failed: the connection to Redis is down (reconnecting)');
      // A script's failure names its work (scalewalk7's walk: "Redis EVALSHA failed: Socket
      // closed unexpectedly" alone in the log, and in a 2026 tasks/get's error).
      const saved = await link.eval(SAVE, [], []).then(() => undefined, (e: Error) => e.message);
      assert.is(saved, 'Redis EVALSHA failed: the connection to Redis is down (reconnecting) (the session save)');
      // Many attempts at 50 ms apart (a down Redis refuses at once).
      await new Promise<void>((resolve) => setTimeout(resolve, 1_500));
      await redis.up();
      for (let i = 0; i < 200 && !link.ready; i++) await new Promise<void>((resolve) => setTimeout(resolve, 25));
      assert.ok(link.ready, 'connected again');
      assert.is(await link.send(['PING']), 'PONG');
      for (let i = 0; i < 200 && !second.ready; i++) await new Promise<void>((resolve) => setTimeout(resolve, 25));
      const first = told.filter((t) => /^Redis connection (failed|back)/.test(t)).sort();
      const named = told.filter((t) => t.startsWith('Redis connection (event bus subscriber) ')).sort();
      assert.is(told.length, 4, JSON.stringify(told, null, 1));
      assert.match(first[0]!, /^Redis connection back after \d+ ms \(\d+ failed attempts?\)/);
      assert.match(first[1]!, /^Redis connection failed: .*reconnecting/);
      assert.match(named[0]!, /^Redis connection \(event bus subscriber\) back after \d+ ms/);
      assert.match(named[1]!, /^Redis connection \(event bus subscriber\) failed: .*reconnecting/);
    } finally {
      await second.close();
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
