// 2026-07-28 tasks extension (SEP-2663): tasks send no progress notifications, so a task
// handler's ctx.progress() becomes the task's statusMessage ("[2/3] message",
// protocol/task-status-progress.ts), shown by tasks/get and published to listeners; the
// client's wait() reads each new one back into onProgress. A question's status is left alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTaskClient, type TaskClientDeps } from 'mcpwire/client/tasks';
import type { Progress } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { progressOfStatus, progressStatusMessage } from '../protocol/task-status-progress.ts';
import { gate, within } from './tasks-fixture.ts';
import { modernTasks, rawRequest, type ModernTasks } from './tasks-modern-kit.ts';

const test = suite('tasks-modern-progress');

/** `step[i]` lets the handler go on after its progress i + 1 (written once ctx.progress resolved); `wrote` tells the first. */
function tools(step: Promise<void>[], wrote: () => void = () => {}) {
  return (server: McpServer) => {
    server.tool({ name: 'steps', description: 'Three steps, each after the test says so.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await ctx.progress(1, 3, 'searching');
      wrote();
      await step[0];
      await ctx.progress(2, 3, 'booking');
      await step[1];
      await ctx.progress(3, 3);
      await step[2];
      return 'booked';
    });
  };
}

function deps(t: ModernTasks): TaskClientDeps {
  return {
    request: rawRequest(t),
    protocolVersion: () => '2026-07-28',
    serverCapabilities: () => undefined,
    tool: async () => undefined,
  };
}

test('the status message format reads back', () => {
  assert.is(progressStatusMessage(2, 5, 'Quoted a trip'), '[2/5] Quoted a trip');
  assert.is(progressStatusMessage(1.5), '[1.5]');
  assert.equal(progressOfStatus('[2/5] Quoted a trip'), { progress: 2, total: 5, message: 'Quoted a trip' });
  assert.equal(progressOfStatus('[1.5]'), { progress: 1.5 });
  assert.is(progressOfStatus('waiting for the client'), undefined);
  assert.is(progressOfStatus(undefined), undefined);
});

test("ctx.progress() of a 2026 task is its statusMessage in tasks/get and in the published task", async () => {
  const step = [gate(), gate(), gate()];
  const first = gate();
  const t = modernTasks(tools(step.map((g) => g.promise), () => first.open()));
  const created = await t.call('tools/call', { name: 'steps' });
  assert.is(created.resultType, 'task');
  const id = created.taskId as string;
  const published = (message: string) => t.events.some((e) => e.type === 'task_changed' && e.task.taskId === id && e.task.statusMessage === message);
  // The handler waits for the test after step 1, so the status it wrote is the one tasks/get shows.
  await within(first.promise, 5000, 'step 1 written');
  assert.ok(published('[1/3] searching'));
  assert.is((await t.call('tasks/get', { taskId: id })).statusMessage, '[1/3] searching');
  for (const g of step) g.open();
  const done = await t.reached(id, 'completed');
  assert.is(done.statusMessage, undefined, 'a completed task has no progress message left');
  assert.ok(published('[2/3] booking'));
  assert.ok(published('[3/3]'));
});

test('wait() turns each new status message into onProgress', async () => {
  const step = [gate(), gate(), gate()];
  const t = modernTasks(tools(step.map((g) => g.promise)));
  const tasks = createTaskClient(deps(t));
  const seen: Progress[] = [];
  const onProgress = (p: Progress) => {
    seen.push(p);
    step[seen.length - 1]?.open(); // the next step only once this one was seen: no poll misses it
  };
  const result = await within(tasks.callTool('steps', {}, { task: true, pollIntervalMs: 5, onProgress }));
  assert.equal(result.content, [{ type: 'text', text: 'booked' }]);
  assert.equal(seen, [
    { progress: 1, total: 3, message: 'searching' },
    { progress: 2, total: 3, message: 'booking' },
    { progress: 3, total: 3 },
  ]);
});

test.run();
