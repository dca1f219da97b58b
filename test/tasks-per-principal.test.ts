// One principal creating tasks without end: the store is bounded (maxTasks, 1000), but one
// client could fill it with unfinished tasks and so refuse every other client's task
// ("the task store is full"). `tasks.maxTasksPerPrincipal` bounds the unfinished tasks of one
// principal in this process; a task that ends gives its place back. Each connection here is
// its own principal (no session id, no authentication).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RpcError } from 'mcpwire/protocol';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import type { Transport } from 'mcpwire/protocol';
import { createFileTaskStore, createMemoryTaskStore } from 'mcpwire/transport';
import { linkedPair } from './harness.ts';
import { callAsTask, connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const test = suite('tasks: one principal cannot hold every unfinished task');

test('past maxTasksPerPrincipal the next task is refused naming the bound; another principal still gets one; an ended task gives its place back', async () => {
  const release = gate();
  const { server } = tasksServer((s) => {
    s.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, async () => { await release.promise; return 'done'; });
  }, { store: createMemoryTaskStore({ maxTasks: 6 }), maxTasksPerPrincipal: 4 });
  const flooder = await connectClient(server);
  const other = await connectClient(server);
  const held = [];
  for (let i = 0; i < 4; i++) held.push(await callAsTask(flooder, 'slow'));
  try {
    await callAsTask(flooder, 'slow');
    assert.unreachable('a fifth unfinished task of one principal');
  } catch (error) {
    assert.is((error as RpcError).code, -32603);
    assert.match((error as Error).message, /maxTasksPerPrincipal/);
  }
  // The store (6) still has room for the others: before, the flooder took all of it.
  const theirs = await callAsTask(other, 'slow');
  assert.is(theirs.status, 'working');
  release.open();
  await within(flooder.client.getTaskResult(held[0]!.taskId));
  await within(Promise.all(held.map((t) => flooder.client.getTaskResult(t.taskId))));
  const again = await callAsTask(flooder, 'slow');
  assert.ok(again.taskId, 'tasks that ended gave their places back');
  await flooder.close();
  await other.close();
});

test('tasks resumed after a restart count against their principal\'s bound', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-bound-'));
  /** A server on the task directory whose `slow` tool never ends, and a client of one fixed session (a principal across restarts). */
  const open = async () => {
    const server = createServer({ name: 'bound', version: '1' }, { tasks: { store: await createFileTaskStore({ dir }), maxTasksPerPrincipal: 2 } });
    server.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, () => new Promise<never>(() => {}));
    const { clientTransport, serverTransport } = linkedPair();
    (serverTransport as Transport & { sessionId?: string }).sessionId = 'session-kept';
    const client = createClient({ name: 't', version: '1' });
    const connecting = server.connect(serverTransport);
    await client.connect(clientTransport);
    await connecting;
    return { server, client };
  };
  const create = (client: ReturnType<typeof createClient>) => client.peer.request('tools/call', { name: 'slow', arguments: {}, task: {} });
  let later: { server: McpServer; client: ReturnType<typeof createClient> } | undefined;
  try {
    const first = await open();
    await create(first.client);
    await create(first.client);
    await first.client.close();
    await first.server.close(); // the process stops; its two tasks are unfinished
    later = await open();
    assert.is(await later.server.tasks!.resume(), 2);
    try {
      await create(later.client);
      assert.unreachable('a third unfinished task of the principal');
    } catch (error) {
      assert.match((error as Error).message, /maxTasksPerPrincipal/);
    }
  } finally {
    await later?.client.close();
    await later?.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('maxTasksPerPrincipal must be a positive whole number', () => {
  assert.throws(() => tasksServer(() => {}, { maxTasksPerPrincipal: 0 }), /maxTasksPerPrincipal/);
});

test.run();
