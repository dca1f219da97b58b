// A Redis slower than half the command timeout (here 1.2 s each way, 2.4 s a round trip, under a
// 4 s timeout): a fenced write (event append, session save, task change) took its deadline
// (half the timeout from then) before `eval` loaded its script (first use, or after a Redis
// restart forgot the scripts), so the EVALSHA reached Redis after it and was refused
// ("MCPWIRE_LATE ... reached Redis after its deadline") every time a script was first used:
// `serve --redis` against such a Redis answered the first initialize 507. The deadline is now
// taken as the script itself is sent. A real redis-server behind a loopback proxy that
// delays every chunk, both ways (so the clock offset measured at connect stays true).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createServer, type Server } from 'node:net';
import { connectRedis, fencedScript } from './connection.ts';
import { startTestRedis } from './test-server.ts';

const ONE_WAY_MS = 1_200;
const TIMEOUT_MS = 4_000;

/** A loopback TCP proxy to `port` that holds every chunk `delayMs`, in order, both ways. */
async function slowProxy(port: number, delayMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((client) => {
    const redis = connect(port, '127.0.0.1');
    const later = (to: typeof client) => (chunk: Buffer) => { setTimeout(() => { if (!to.destroyed) to.write(chunk); }, delayMs); };
    client.on('data', later(redis));
    redis.on('data', later(client));
    for (const [a, b] of [[client, redis], [redis, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('Redis slower than half the command timeout: a fenced write on its script\'s first use');

  test('the first EVALSHA after SCRIPT LOAD is not refused as late, and its write is made', async () => {
    const proxy = await slowProxy(redis.port, ONE_WAY_MS);
    const link = await connectRedis(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: TIMEOUT_MS });
    try {
      const write = fencedScript('probe write', `redis.call('SET', KEYS[1], ARGV[1]) return 1`);
      const done = await link.eval(write, ['fenced-slow:k'], ['v1', link.writeDeadline()]).then(String, (e: Error) => e.message);
      assert.is(done, '1');
      assert.is(String(await link.send(['GET', 'fenced-slow:k'])), 'v1');
    } finally {
      await link.close();
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    }
  });

  test.after(() => redis.stop());
  test.run();
}
