// The tasks runtime timed a task's TTL from its `createdAt` on the local wall clock. An
// instance whose clock ran ahead of the creator's (skew between machines, a step after a VM
// resume) failed a task it took over (after a restart, or from a dead instance) as soon as it
// took it: "the task expired" with most of its TTL left. A resumed task is now timed from what
// the store says is left (Redis: its expiry score against Redis's TIME). Here the process's
// wall clock jumps an hour ahead between the instance that made the task and the one that
// resumes it, as transport/redis/task-lease-clock.test.ts does for leases.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import type { CreateTaskResult } from 'mcpwire/protocol';
import { connectRedis, type RedisLink } from '../transport/redis/connection.ts';
import { createRedisTaskStore } from '../transport/redis/task-store.ts';
import { startTestRedis } from '../transport/redis/test-server.ts';
import { linkedPair } from './harness.ts';
import { gate, within } from './tasks-fixture.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('tasks: a task taken over by an instance whose clock is ahead keeps its TTL');
  const links: RedisLink[] = [];
  const TTL = 1500;

  /** An instance on the shared store whose `hold` tool runs until stopped. */
  const instance = async () => {
    const link = await connectRedis(redis.url);
    links.push(link);
    const started = gate<number>();
    const stopped = gate<{ at: number; reason: unknown }>();
    const server: McpServer = createServer({ name: 'ttl', version: '1' }, { tasks: { store: createRedisTaskStore(link, { prefix: 'ttlclock:' }) } });
    server.tool({ name: 'hold', description: 'runs until stopped', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      started.open(performance.now());
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => {
        stopped.open({ at: performance.now(), reason: ctx.signal.reason });
        reject(ctx.signal.reason);
      }));
      return 'never';
    });
    return { server, started: started.promise, stopped: stopped.promise };
  };

  test('resumed an hour ahead, the task expires when its TTL runs out, not at once', async () => {
    const a = await instance();
    const { clientTransport, serverTransport } = linkedPair();
    const client = createClient({ name: 't', version: '1' });
    const connecting = a.server.connect(serverTransport);
    await client.connect(clientTransport);
    await connecting;
    const t0 = performance.now();
    const created = await client.peer.request('tools/call', { name: 'hold', arguments: {}, task: { ttl: TTL } }) as CreateTaskResult;
    await within(a.started, 5000, 'the first run');
    await client.close();
    await a.server.close(); // stops the run without finishing the task and gives its lease up
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    const b = await instance();
    try {
      assert.is(await b.server.tasks!.resume(), 1);
      await within(b.started, 5000, 'the resumed run');
      const { at, reason } = await within(b.stopped, 5000, 'the resumed run being stopped at its TTL');
      assert.match(String((reason as Error).message), /expired/);
      assert.ok(at - t0 >= TTL - 100, `stopped as expired ${Math.round(at - t0)} ms after its creation, with a TTL of ${TTL} ms`);
      assert.ok(created.task.taskId);
    } finally {
      Date.now = realNow;
      await b.server.close();
    }
  });

  test.after(async () => {
    for (const link of links) await link.close();
    await redis.stop();
  });

  test.run();
}
