// Tasks belong to the principal that created them (2025-11-25 basic/utilities/tasks,
// security): another client, here a second connection (no session id, so each connection is
// its own principal), can neither read, await, cancel nor list them; it gets the same
// -32602 as for an id that does not exist.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RpcError } from 'mcpwire/protocol';
import { callAsTask, connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const test = suite('tasks: only the creating principal sees a task');

test('a second client gets -32602 for get, result and cancel of the first client\'s task, and an empty list', async () => {
  const release = gate();
  const { server } = tasksServer((s) => {
    s.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, async () => { await release.promise; return 'mine'; });
  });
  const owner = await connectClient(server);
  const other = await connectClient(server);
  const task = await callAsTask(owner, 'slow');
  for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel'] as const) {
    try {
      await other.client.peer.request(method, { taskId: task.taskId });
      assert.unreachable(`${method} by another client should fail`);
    } catch (error) {
      assert.is((error as RpcError).code, -32602, method);
    }
  }
  assert.equal(await other.client.listTasks(), []);
  assert.equal((await owner.client.listTasks()).map((t) => t.taskId), [task.taskId]);
  assert.is((await owner.client.getTask(task.taskId)).status, 'working', 'the other client did not cancel it');
  release.open();
  assert.is((await within(owner.client.getTaskResult<{ content: Array<{ text: string }> }>(task.taskId))).content[0]?.text, 'mine');
  await owner.close();
  await other.close();
});

test('status notifications go to the owner only', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'quick', description: 'quick', execution: { taskSupport: 'optional' } }, () => 'done');
  });
  const owner = await connectClient(server);
  const other = await connectClient(server);
  const task = await callAsTask(owner, 'quick');
  await within(owner.client.getTaskResult(task.taskId));
  await owner.settle();
  await other.settle();
  const statuses = owner.heard.filter((h) => h.method === 'notifications/tasks/status').map((h) => [h.params?.taskId, h.params?.status]);
  assert.equal(statuses, [[task.taskId, 'completed']]);
  assert.equal(other.heard.filter((h) => h.method === 'notifications/tasks/status'), []);
  await owner.close();
  await other.close();
});

test.run();
