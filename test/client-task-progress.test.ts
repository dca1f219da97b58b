// 2025-11-25 basic/utilities/progress: the progress token of a task-augmented tools/call stays
// valid until the task is terminal. The client keeps the call's onProgress after the
// CreateTaskResult and drops it once the task ended (completed, cancelled, or answered as a
// plain call): a late notification for its token is then refused, so no route is left behind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Progress, ProgressToken } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { connectClient, gate, tasksServer, within, type TasksServer } from './tasks-fixture.ts';

const test = suite('client-task-progress');

function setup(after: Promise<void>, tokens: ProgressToken[], running: () => void = () => {}) {
  return (server: McpServer) => {
    server.tool({ name: 'steps', description: 'Three steps, two after the task exists.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      if (ctx.progressToken !== undefined) tokens.push(ctx.progressToken);
      await ctx.progress(1, 3, 'queued');
      await after;
      await ctx.progress(2, 3, 'half way');
      await ctx.progress(3, 3, 'done');
      return 'steps done';
    });
    server.tool({ name: 'slow', description: 'Runs until cancelled.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      if (ctx.progressToken !== undefined) tokens.push(ctx.progressToken);
      running();
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      return 'never';
    });
    server.tool({ name: 'plain', description: 'Never a task.' }, async (_a, ctx) => {
      if (ctx.progressToken !== undefined) tokens.push(ctx.progressToken);
      await ctx.progress(1, 1, 'all of it');
      return 'plain done';
    });
  };
}

async function connect(t: TasksServer, errors: Error[]) {
  return connectClient(t.server, { client: { onError: (e) => errors.push(e) } });
}

/** Send progress for `token` as the server would after the task ended, and return the client's complaints. */
async function lateProgress(c: Awaited<ReturnType<typeof connect>>, token: ProgressToken, errors: Error[]): Promise<string[]> {
  await c.conn.peer.notify('notifications/progress', { progressToken: token, progress: 99 });
  await c.settle();
  return errors.map((e) => e.message);
}

test('progress sent after the CreateTaskResult reaches onProgress, until the task completes; then the route is gone', async () => {
  const after = gate();
  const tokens: ProgressToken[] = [];
  const errors: Error[] = [];
  const c = await connect(tasksServer(setup(after.promise, tokens)), errors);
  const seen: Progress[] = [];
  const result = await within(c.client.callTool('steps', {}, {
    task: true, pollIntervalMs: 10, onTask: () => after.open(), onProgress: (p) => seen.push(p),
  }));
  assert.equal(result.content, [{ type: 'text', text: 'steps done' }]);
  assert.equal(seen, [
    { progress: 1, total: 3, message: 'queued' },
    { progress: 2, total: 3, message: 'half way' },
    { progress: 3, total: 3, message: 'done' },
  ]);
  assert.is(tokens.length, 1, 'the task-augmented call carried a progress token');
  assert.equal(errors, [], 'no progress was refused while the task ran');
  const late = await lateProgress(c, tokens[0]!, errors);
  assert.is(late.length, 1);
  assert.match(late[0]!, /dropped progress notification: progress for unknown or finished token/);
  await c.close();
});

test('cancelling the task drops its progress route', async () => {
  const tokens: ProgressToken[] = [];
  const errors: Error[] = [];
  const running = gate();
  const c = await connect(tasksServer(setup(Promise.resolve(), tokens, () => running.open())), errors);
  const started = await c.client.tasks.start('slow', {}, { task: true, onProgress: () => {} });
  assert.ok('task' in started);
  await within(running.promise, 5000, 'the task running');
  await c.client.tasks.cancel(started.task.taskId);
  const late = await lateProgress(c, tokens[0]!, errors);
  assert.is(late.length, 1);
  assert.match(late[0]!, /unknown or finished token/);
  await c.close();
});

test("a task: 'auto' call the server answers plainly keeps its progress, and drops the route with the answer", async () => {
  const tokens: ProgressToken[] = [];
  const errors: Error[] = [];
  const c = await connect(tasksServer(setup(Promise.resolve(), tokens)), errors);
  const seen: Progress[] = [];
  const result = await within(c.client.callTool('plain', {}, { task: 'auto', onProgress: (p) => seen.push(p) }));
  assert.equal(result.content, [{ type: 'text', text: 'plain done' }]);
  assert.equal(seen, [{ progress: 1, total: 1, message: 'all of it' }]);
  const late = await lateProgress(c, tokens[0]!, errors);
  assert.is(late.length, 1);
  await c.close();
});

test.run();
