// `tasks.maxTasksPerPrincipal` with the Redis task store: two instances share the store, and
// one principal (here a session id, as two instances behind a load balancer see it) created
// tasks on both. The bound was counted per process, so the principal held the bound on each
// instance (2 x 2 here, N x maxTasksPerPrincipal with N instances) and could still fill the
// shared store. Now Redis counts the owner's unfinished tasks in the creation script.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import type { Transport } from 'mcpwire/protocol';
import { connectRedis, type RedisLink } from '../transport/redis/connection.ts';
import { createRedisTaskStore } from '../transport/redis/task-store.ts';
import { startTestRedis } from '../transport/redis/test-server.ts';
import { linkedPair } from './harness.ts';
import { gate, within } from './tasks-fixture.ts';

const redis = await startTestRedis();
if (redis) {
  const test = suite('tasks: maxTasksPerPrincipal holds across instances sharing Redis');
  const links: RedisLink[] = [];

  /** One instance: its own connection to Redis, a `slow` tool released by `release`. */
  const instance = async (prefix: string, release: Promise<void>, sessionId: string) => {
    const link = await connectRedis(redis.url);
    links.push(link);
    const server: McpServer = createServer({ name: 'bound', version: '1' }, { tasks: { store: createRedisTaskStore(link, { prefix }), maxTasksPerPrincipal: 2 } });
    server.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, async () => { await release; return 'done'; });
    const { clientTransport, serverTransport } = linkedPair();
    (serverTransport as Transport & { sessionId?: string }).sessionId = sessionId;
    const client = createClient({ name: 't', version: '1' });
    const connecting = server.connect(serverTransport);
    await client.connect(clientTransport);
    await connecting;
    const create = () => client.peer.request('tools/call', { name: 'slow', arguments: {}, task: {} }) as Promise<{ task: { taskId: string } }>;
    return { server, client, create, close: async () => { await client.close(); await server.close(); } };
  };

  test('the principal\'s third unfinished task is refused on either instance; another principal is served; an ended task gives its place back', async () => {
    const release = gate();
    const a = await instance('pp1:', release.promise, 'session-shared');
    const b = await instance('pp1:', release.promise, 'session-shared');
    const other = await instance('pp1:', new Promise<void>(() => {}), 'session-other');
    try {
      const first = await a.create();
      const second = await b.create();
      for (const node of [a, b]) {
        try {
          await node.create();
          assert.unreachable('a third unfinished task of one principal, counted across instances');
        } catch (error) {
          assert.is((error as { code?: number }).code, -32603);
          assert.match((error as Error).message, /maxTasksPerPrincipal/);
        }
      }
      assert.ok((await other.create()).task.taskId, 'another principal still gets a task');
      release.open();
      await within(a.client.peer.request('tasks/result', { taskId: first.task.taskId }));
      await within(b.client.peer.request('tasks/result', { taskId: second.task.taskId }));
      // Both ended; the count is Redis's, so either instance takes new ones.
      const again = await within(b.create());
      assert.ok(again.task.taskId, 'tasks that ended gave their places back');
    } finally {
      for (const node of [a, b, other]) await node.close();
    }
  });

  test.after(async () => {
    for (const link of links) await link.close();
    await redis.stop();
  });

  test.run();
}
