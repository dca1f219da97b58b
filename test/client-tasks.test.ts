// The client's tasks in the 2025-11-25 era (issue #15 item 5): callTool(..., { task }) runs
// the call as a task and resolves with its result, questions answered by the usual callbacks
// on tasks/result; 'auto' falls back to a plain call; client.tasks gets, lists, cancels; a
// started task is remembered in the resume store until its result is fetched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import type { McpServer } from 'mcpwire/server';
import { connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const test = suite('client-tasks');

function tools(release: Promise<void>) {
  return (server: McpServer) => {
    server.tool({ name: 'plain', description: 'Never a task.' }, (_a, ctx) => `plain task=${ctx.taskId ? 'yes' : 'no'}`);
    server.tool({ name: 'ask', description: 'Asks, then answers.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
      return `hello ${String(answer.content?.name)} task=${ctx.taskId ? 'yes' : 'no'}`;
    });
    server.tool({ name: 'slow', description: 'Waits for the test.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await Promise.race([release, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))]);
      return 'slow done';
    });
  };
}

test('task: true runs the call as a task; its question is answered by onElicit; the result comes back', async () => {
  const { server } = tasksServer(tools(Promise.resolve()));
  const memory = createMemoryResumeStore();
  const seen: string[] = [];
  const c = await connectClient(server, { client: { taskMemory: { store: memory, serverKey: 'k' }, onElicit: () => ({ action: 'accept', content: { name: 'Ada' } }) } });
  const result = await within(c.client.callTool('ask', {}, { task: true, pollIntervalMs: 10, onTask: (t) => seen.push(t.taskId) }));
  assert.equal(result.content, [{ type: 'text', text: 'hello Ada task=yes' }]);
  assert.is(seen.length, 1);
  assert.equal(await c.client.tasks.remembered(), [], 'forgotten once the result is fetched');
  await c.close();
});

test("task: 'auto' on a tool that forbids tasks is a plain call", async () => {
  const { server } = tasksServer(tools(Promise.resolve()));
  const c = await connectClient(server);
  const result = await c.client.callTool('plain', {}, { task: 'auto' });
  assert.equal(result.content, [{ type: 'text', text: 'plain task=no' }]);
  await c.close();
});

test('start, remembered, get, list, cancel, and wait rejecting for a cancelled task', async () => {
  const release = gate();
  const { server } = tasksServer(tools(release.promise));
  const memory = createMemoryResumeStore();
  const c = await connectClient(server, { client: { taskMemory: { store: memory, serverKey: 'k' } } });
  const started = await c.client.tasks.start('slow', {}, { task: true });
  assert.ok('task' in started);
  const { taskId } = started.task;
  assert.equal((await c.client.tasks.remembered()).map((t) => t.taskId), [taskId]);
  assert.is((await c.client.tasks.get(taskId)).status, 'working');
  assert.equal((await c.client.tasks.list()).map((t) => t.taskId), [taskId]);
  await c.client.tasks.cancel(taskId);
  assert.is((await c.client.tasks.get(taskId)).status, 'cancelled');
  assert.equal(await c.client.tasks.remembered(), []);
  await c.close();
});

test('a remembered task id is enough to wait for the task result', async () => {
  const release = gate();
  const { server } = tasksServer(tools(release.promise));
  const memory = createMemoryResumeStore();
  const c = await connectClient(server, { client: { taskMemory: { store: memory, serverKey: 'k' } } });
  await c.client.tasks.start('slow', {}, { task: true });
  const [remembered] = await c.client.tasks.remembered();
  release.open();
  const result = await within(c.client.tasks.wait(remembered!.taskId, { pollIntervalMs: 10 }));
  assert.equal(result.content, [{ type: 'text', text: 'slow done' }]);
  await c.close();
});

test('wait() wakes on notifications/tasks/status instead of sleeping out a long pollIntervalMs', async () => {
  const release = gate();
  const { server } = tasksServer(tools(release.promise));
  const c = await connectClient(server);
  const started = await c.client.tasks.start('slow', {}, { task: true });
  assert.ok('task' in started);
  const waiting = c.client.tasks.wait(started.task.taskId, { pollIntervalMs: 600_000 });
  release.open();
  const result = await within(waiting, 5000, 'the result without a ten-minute pause');
  assert.equal(result.content, [{ type: 'text', text: 'slow done' }]);
  await c.close();
});

test.run();
