// Aborting a task call (2025-11-25 tasks): `callTool(..., { task, signal })` aborted cancels
// the task it started, as an aborted plain call cancels its request (basic/utilities/
// cancellation); `tasks.wait(id, { signal })` aborted stops waiting and leaves the task
// running. Both reject with MCP_ERR_ABORTED, as a plain call's abort does. Before, neither
// sent tasks/cancel and both rejected with the signal's bare AbortError.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { connectClient, gate, statusReached, tasksServer, within } from './tasks-fixture.ts';

const test = suite('client-task-abort');

function slowTool(release: Promise<void>, aborted: { count: number; seen?: () => void; ran?: () => void }) {
  return (server: McpServer) => {
    server.tool({ name: 'slow', description: 'Waits for the test.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      aborted.ran?.();
      await Promise.race([release, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { aborted.count += 1; aborted.seen?.(); reject(ctx.signal.reason); }))]);
      return 'slow done';
    });
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return within(promise.then(() => assert.unreachable('the call resolved'), (error: unknown) => error));
}

test('callTool aborted mid-task: MCP_ERR_ABORTED, and the task is cancelled on the server', async () => {
  const release = gate();
  const handlerAborted = gate();
  const handlerRan = gate();
  const aborted = { count: 0, seen: () => handlerAborted.open(), ran: () => handlerRan.open() };
  const { server } = tasksServer(slowTool(release.promise, aborted));
  const c = await connectClient(server);
  const controller = new AbortController();
  const started = gate<string>();
  const call = c.client.callTool('slow', {}, { task: true, pollIntervalMs: 10, signal: controller.signal, onTask: (t) => started.open(t.taskId) });
  const taskId = await within(started.promise);
  await within(handlerRan.promise, 5000, 'the tool\'s handler started');
  assert.is((await c.client.tasks.get(taskId)).status, 'working');
  controller.abort();
  const error = await rejection(call);
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_ABORTED');
  await statusReached(c, taskId, 'cancelled');
  await within(handlerAborted.promise, 5000, 'the tool\'s handler aborted');
  assert.is(aborted.count, 1);
  release.open();
  await c.close();
});

test('tasks.wait aborted: MCP_ERR_ABORTED, and the task goes on to its result', async () => {
  const release = gate();
  const aborted = { count: 0 };
  const { server } = tasksServer(slowTool(release.promise, aborted));
  const c = await connectClient(server);
  const started = await c.client.tasks.start('slow', {}, { task: true });
  assert.ok('task' in started);
  const { taskId } = started.task;
  const controller = new AbortController();
  const waiting = c.client.tasks.wait(taskId, { pollIntervalMs: 60_000, signal: controller.signal });
  assert.is((await c.client.tasks.get(taskId)).status, 'working');
  controller.abort();
  const error = await rejection(waiting);
  assert.instance(error, McpError);
  assert.is((error as McpError).code, 'MCP_ERR_ABORTED');
  assert.match((error as McpError).message, /the task goes on/);
  assert.is((await c.client.tasks.get(taskId)).status, 'working', 'no tasks/cancel was sent');
  release.open();
  const result = await within(c.client.tasks.wait(taskId, { pollIntervalMs: 10 }));
  assert.equal(result.content, [{ type: 'text', text: 'slow done' }]);
  assert.is(aborted.count, 0);
  await c.close();
});

test.run();
