// tasks/cancel and tasks/list (2025-11-25 basic/utilities/tasks): cancelling stops the
// handler and the task stays cancelled whatever the handler does next; a terminal task
// cannot be cancelled (-32602); the list is paginated with opaque cursors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RpcError, Task } from 'mcpwire/protocol';
import { callAsTask, connectClient, gate, statusReached, tasksServer, within } from './tasks-fixture.ts';

const test = suite('tasks: cancel and list');

test('cancel aborts the handler, answers the cancelled task, and it stays cancelled when the handler returns', async () => {
  const aborted = gate<unknown>();
  const started = gate();
  const finish = gate();
  const { server, store } = tasksServer((s) => {
    s.tool({ name: 'long', description: 'long', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
      ctx.signal.addEventListener('abort', () => aborted.open(ctx.signal.reason));
      started.open();
      await finish.promise;
      return 'finished anyway';
    });
  });
  const c = await connectClient(server);
  const task = await callAsTask(c, 'long');
  await within(started.promise);
  const cancelled = await c.client.cancelTask(task.taskId);
  assert.is(cancelled.status, 'cancelled');
  assert.is(cancelled.taskId, task.taskId);
  assert.ok(await within(aborted.promise), 'the handler saw the abort');
  finish.open();
  await c.settle();
  assert.is((await c.client.getTask(task.taskId)).status, 'cancelled');
  assert.is((await store.get(task.taskId))?.outcome && 'error' in (await store.get(task.taskId))!.outcome!, true);
  try {
    await c.client.cancelTask(task.taskId);
    assert.unreachable('cancelling a cancelled task should fail');
  } catch (error) {
    assert.is((error as RpcError).code, -32602);
    assert.match((error as RpcError).message, /terminal status 'cancelled'/);
  }
  await c.close();
});

test('a task cancelled before its handler started never runs it', async () => {
  const ran: string[] = [];
  const { server } = tasksServer((s) => {
    s.tool({ name: 'effect', description: 'effect', execution: { taskSupport: 'optional' } }, (args: { label: string }) => { ran.push(args.label); return 'ran'; });
  });
  const c = await connectClient(server);
  // Over the memory pair a round trip takes no timer turn, so the cancel lands before the
  // task's first turn. A second task starts on a later turn: once it has finished, the
  // first one's turn has passed.
  const task = await callAsTask(c, 'effect', { label: 'cancelled' });
  assert.is((await c.client.cancelTask(task.taskId)).status, 'cancelled');
  const later = await callAsTask(c, 'effect', { label: 'later' });
  await within(c.client.getTaskResult(later.taskId));
  assert.equal(ran, ['later']);
  await c.close();
});

test('cancelling a completed task is -32602 and leaves it completed', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'quick', description: 'quick', execution: { taskSupport: 'optional' } }, () => 'ok');
  });
  const c = await connectClient(server);
  const task = await callAsTask(c, 'quick');
  await statusReached(c, task.taskId, 'completed');
  try {
    await c.client.cancelTask(task.taskId);
    assert.unreachable('should fail');
  } catch (error) {
    assert.is((error as RpcError).code, -32602);
  }
  assert.is((await c.client.getTask(task.taskId)).status, 'completed');
  await c.close();
});

test('tasks/list pages through the caller\'s tasks in creation order; a foreign cursor is -32602', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'quick', description: 'quick', execution: { taskSupport: 'optional' } }, () => 'ok');
  }, { pageSize: 2 });
  const c = await connectClient(server);
  const made: Task[] = [];
  for (let i = 0; i < 5; i++) made.push(await callAsTask(c, 'quick', {}));
  const first = await c.client.peer.request('tasks/list', {});
  assert.is(first.tasks.length, 2);
  assert.type(first.nextCursor, 'string');
  const all = await c.client.listTasks();
  assert.equal(all.map((t) => t.taskId), made.map((t) => t.taskId));
  try {
    await c.client.peer.request('tasks/list', { cursor: 'bm90LW91cnM' });
    assert.unreachable('a cursor we did not issue should fail');
  } catch (error) {
    assert.is((error as RpcError).code, -32602);
  }
  await c.close();
});

test('without the list option, tasks.list is not declared and tasks/list is -32601', async () => {
  const { server } = tasksServer(() => {}, { list: false });
  const c = await connectClient(server);
  assert.equal(c.client.serverCapabilities?.tasks, { cancel: {}, requests: { tools: { call: {} } } });
  try {
    await c.client.peer.request('tasks/list', {});
    assert.unreachable('should fail');
  } catch (error) {
    assert.ok(['MCP_ERR_CAPABILITY', -32601].includes((error as { code: string | number }).code));
  }
  await c.close();
});

test.run();
