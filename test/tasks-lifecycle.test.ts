// A task-augmented tools/call (2025-11-25 basic/utilities/tasks) over the memory pair with
// the schema tap: capabilities as the schema shapes them, CreateTaskResult only once the
// task is stored, tasks/get and tasks/result (blocking until terminal, then exactly what the
// call would have returned), tool errors and protocol errors, TTL limits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RpcError, type CallToolResult, type Task } from 'mcpwire/protocol';
import { createMemoryTaskStore, type TaskStore } from 'mcpwire/transport';
import { callAsTask, connectClient, gate, statusReached, tasksServer, within } from './tasks-fixture.ts';

const RELATED = 'io.modelcontextprotocol/related-task';
const test = suite('tasks: a tool call run as a task, from creation to result');

test('the server declares tasks.list, tasks.cancel and tasks.requests.tools.call; tools show execution.taskSupport', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, () => 'ok');
  });
  const c = await connectClient(server);
  assert.equal(c.client.serverCapabilities?.tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
  assert.equal((await c.client.listTools())[0]?.execution, { taskSupport: 'optional' });
  await c.close();
});

test('a server without the tasks option declares no tasks and answers tasks/get with -32601', async () => {
  const { createServer } = await import('mcpwire/server');
  const server = createServer({ name: 'plain', version: '1' });
  server.tool({ name: 't', description: 't', execution: { taskSupport: 'required' } }, () => 'ran plainly');
  const c = await connectClient(server);
  assert.is(c.client.serverCapabilities?.tasks, undefined);
  const raw = await c.client.peer.request('tools/call', { name: 't', arguments: {}, task: { ttl: 1000 } }) as CallToolResult;
  assert.equal(raw.content, [{ type: 'text', text: 'ran plainly' }], 'the task field is ignored');
  try {
    await c.client.peer.request('tasks/get', { taskId: 'x' });
    assert.unreachable('tasks/get should fail');
  } catch (error) {
    assert.is((error as RpcError).code, -32601);
  }
  await c.close();
});

test('CreateTaskResult comes only after the store has the task; tasks/result blocks until the tool finishes', async () => {
  const stored = gate();
  const release = gate();
  const inner = createMemoryTaskStore();
  const store: TaskStore = { ...inner, get: (id) => inner.get(id), update: (id, ch) => inner.update(id, ch), list: (q) => inner.list(q), close: () => inner.close(),
    lease: (id, holder, ms) => inner.lease(id, holder, ms), releaseLease: (id, holder) => inner.releaseLease(id, holder),
    create: async (record) => { await stored.promise; await inner.create(record); } };
  const { server } = tasksServer((s) => {
    s.tool({ name: 'slow', description: 'slow', execution: { taskSupport: 'optional' } }, async () => { await release.promise; return 'finished'; });
  }, { store, defaultTtlMs: 60_000, pollIntervalMs: 250 });
  const c = await connectClient(server);
  let created: Task | undefined;
  const creating = callAsTask(c, 'slow').then((t) => { created = t; return t; });
  await c.settle();
  assert.is(created, undefined, 'no CreateTaskResult before the task is stored');
  stored.open();
  const task = await within(creating);
  assert.is(task.status, 'working');
  assert.is(task.ttl, 60_000);
  assert.is(task.pollInterval, 250);
  assert.ok(Date.parse(task.createdAt) > 0 && task.lastUpdatedAt === task.createdAt);
  assert.ok(task.taskId.length >= 22, 'a 128-bit id');
  assert.ok(await inner.get(task.taskId));

  let result: CallToolResult | undefined;
  const fetching = c.client.getTaskResult<CallToolResult>(task.taskId).then((r) => { result = r; return r; });
  await c.settle();
  assert.is(result, undefined, 'tasks/result waits for a terminal status');
  assert.is((await c.client.getTask(task.taskId)).status, 'working');
  release.open();
  const final = await within(fetching);
  assert.equal(final.content, [{ type: 'text', text: 'finished' }]);
  assert.equal(final._meta, { [RELATED]: { taskId: task.taskId } });
  const got = await c.client.getTask(task.taskId);
  assert.is(got.status, 'completed');
  assert.ok(Date.parse(got.lastUpdatedAt) >= Date.parse(got.createdAt));
  await c.close();
});

test('the same handler runs plainly when called without a task ("optional")', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'add', description: 'add', execution: { taskSupport: 'optional' } }, (args: { a: number; b: number }, ctx) => `${args.a + args.b} task=${ctx.taskId ?? 'none'}`);
  });
  const c = await connectClient(server);
  assert.equal((await c.client.callTool('add', { a: 1, b: 2 })).content, [{ type: 'text', text: '3 task=none' }]);
  const task = await callAsTask(c, 'add', { a: 2, b: 2 });
  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.equal(result.content, [{ type: 'text', text: `4 task=${task.taskId}` }]);
  await c.close();
});

test('a tool error fails the task, and tasks/result still returns the isError result', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'boom', description: 'boom', execution: { taskSupport: 'required' } }, () => { throw new Error('disk on fire'); });
  });
  const c = await connectClient(server);
  const task = await callAsTask(c, 'boom');
  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.is(result.isError, true);
  assert.equal(result.content, [{ type: 'text', text: 'disk on fire' }]);
  const got = await c.client.getTask(task.taskId);
  assert.is(got.status, 'failed');
  assert.is(got.statusMessage, 'disk on fire');
  await c.close();
});

test('a protocol error fails the task, and tasks/result returns that same JSON-RPC error', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'bad', description: 'bad', execution: { taskSupport: 'optional' } }, () => { throw new RpcError(-32602, 'no such record', { id: 7 }); });
  });
  const c = await connectClient(server);
  const task = await callAsTask(c, 'bad');
  await statusReached(c, task.taskId, 'failed');
  try {
    await c.client.getTaskResult(task.taskId);
    assert.unreachable('tasks/result should fail');
  } catch (error) {
    assert.instance(error, RpcError);
    assert.is((error as RpcError).code, -32602);
    assert.is((error as RpcError).message, 'no such record');
    assert.equal((error as RpcError).data, { id: 7 });
  }
  await c.close();
});

test('taskSupport is enforced: forbidden as a task and required without one are -32601', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'plain', description: 'plain' }, () => 'x');
    s.tool({ name: 'must', description: 'must', execution: { taskSupport: 'required' } }, () => 'y');
  });
  const c = await connectClient(server);
  for (const [name, task] of [['plain', true], ['must', false]] as const) {
    try {
      await c.client.peer.request('tools/call', { name, arguments: {}, ...(task ? { task: {} } : {}) });
      assert.unreachable(`${name} should be refused`);
    } catch (error) {
      assert.is((error as RpcError).code, -32601, name);
    }
  }
  await c.close();
});

test('a requested TTL above maxTtlMs is cut to it; no TTL gets defaultTtlMs; a malformed one is -32602', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 't', description: 't', execution: { taskSupport: 'optional' } }, () => 'x');
  }, { defaultTtlMs: 5_000, maxTtlMs: 10_000 });
  const c = await connectClient(server);
  assert.is((await callAsTask(c, 't', {}, 99_000)).ttl, 10_000);
  assert.is((await callAsTask(c, 't', {}, 2_000)).ttl, 2_000);
  assert.is((await callAsTask(c, 't')).ttl, 5_000);
  try {
    await c.client.peer.request('tools/call', { name: 't', arguments: {}, task: { ttl: -1 } });
    assert.unreachable('a negative ttl should be refused');
  } catch (error) {
    assert.is((error as RpcError).code, -32602);
  }
  await c.close();
});

test('an unknown task id is -32602 for tasks/get, tasks/result and tasks/cancel', async () => {
  const { server } = tasksServer(() => {});
  const c = await connectClient(server);
  for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel'] as const) {
    try {
      await c.client.peer.request(method, { taskId: 'AAAAAAAAAAAAAAAAAAAAAA' });
      assert.unreachable(method);
    } catch (error) {
      assert.is((error as RpcError).code, -32602, method);
    }
  }
  await c.close();
});

test.run();
