// A task record keeps the request's arguments, the client's capabilities and info and the
// outcome, each up to the HTTP body limit (4 MiB): maxTasks (1 000) records could hold about
// 4 GB. Stores now bound a record (`maxRecordBytes`) and all of them (`maxTotalBytes`). A
// task whose arguments are over the bound is refused before it exists; a task whose result
// is over it fails with an error saying so, instead of being kept (or, refused, written
// again and again while the task stays `working`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { callAsTask, connectClient, statusReached, tasksServer } from './tasks-fixture.ts';

const test = suite('tasks: records over the store\'s byte bound');
const LIMIT = 64 * 1024;

test('a result over maxRecordBytes fails the task with -32603 naming the option and the size; the store keeps no such record', async () => {
  const store = createMemoryTaskStore({ maxRecordBytes: LIMIT });
  const { server } = tasksServer((s) => {
    s.tool({ name: 'dump', description: 'returns a lot', execution: { taskSupport: 'optional' } }, async () => 'z'.repeat(LIMIT * 2));
    s.tool({ name: 'small', description: 'returns a little', execution: { taskSupport: 'optional' } }, async () => 'ok');
  }, { store });
  const c = await connectClient(server);
  try {
    const task = await callAsTask(c, 'dump');
    await statusReached(c, task.taskId, 'failed');
    const got = await c.client.getTask(task.taskId);
    assert.is(got.status, 'failed');
    assert.match(got.statusMessage ?? '', /maxRecordBytes \(65536\)/);
    const refused = await c.client.getTaskResult(task.taskId).then(() => undefined, (e: Error & { code?: unknown }) => e);
    assert.is(refused?.code, -32603);
    assert.match(refused!.message, /outcome could not be stored: the record of task \S+ would be at least \d+ bytes, over the task store's maxRecordBytes \(65536\)/);
    const stored = await store.get(task.taskId);
    assert.ok(JSON.stringify(stored).length <= LIMIT, 'the stored record is within the bound');
    const fine = await callAsTask(c, 'small');
    await statusReached(c, fine.taskId, 'completed');
  } finally {
    await c.close();
  }
});

test('arguments over maxRecordBytes: the call is refused with -32603 naming the option, and no task is stored', async () => {
  const store = createMemoryTaskStore({ maxRecordBytes: LIMIT });
  let ran = 0;
  const { server } = tasksServer((s) => {
    s.tool({ name: 'take', description: 'takes a lot', execution: { taskSupport: 'optional' } }, async () => { ran++; return 'ok'; });
  }, { store });
  const c = await connectClient(server);
  try {
    const refused = await callAsTask(c, 'take', { blob: 'y'.repeat(LIMIT) }).then(() => undefined, (e: Error & { code?: unknown }) => e);
    assert.is(refused?.code, -32603);
    assert.match(refused!.message, /cannot create the task: the record of task \S+ would be at least \d+ bytes, over the task store's maxRecordBytes \(65536\)/);
    assert.equal((await store.list()).tasks, []);
    assert.is(ran, 0);
  } finally {
    await c.close();
  }
});

test('with the defaults, 100 finished tasks of 0.9 MiB each leave at most maxTotalBytes (64 MiB) stored, the newest kept', async () => {
  const store = createMemoryTaskStore();
  const big = 'w'.repeat(900 * 1024);
  const at = Date.now();
  for (let i = 0; i < 100; i++) {
    const id = `t${i}`;
    await store.create({ taskId: id, owner: 'flood', status: 'working', createdAt: at, lastUpdatedAt: at, ttl: null, inputs: [], request: { method: 'tools/call', params: { name: 'x', arguments: { big } }, protocolVersion: '2025-11-25', clientCapabilities: {} } });
    await store.update(id, { status: 'completed', outcome: { result: { content: [] } } });
  }
  const { tasks } = await store.list({ limit: 1000 });
  const held = tasks.reduce((n, t) => n + JSON.stringify(t).length, 0);
  assert.ok(held <= 64 * 1024 * 1024, `${held} bytes held`);
  assert.ok(tasks.length >= 60, `${tasks.length} tasks kept`);
  assert.is(tasks.at(-1)?.taskId, 't99');
});

test.run();
