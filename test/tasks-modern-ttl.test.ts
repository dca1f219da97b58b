// TTL (SEP-2663: "if the TTL elapses, the server MAY fail and then delete the task"): an
// unfinished task is stopped, its failure is published, and tasks/get no longer knows it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gate, within } from './tasks-fixture.ts';
import { modernTasks } from './tasks-modern-kit.ts';

const test = suite('tasks-modern-ttl');

test('a task past its ttlMs is failed, its handler stopped, then gone', async () => {
  const stopped = gate<unknown>();
  const t = modernTasks((server) => {
    server.tool({ name: 'forever', description: 'Never ends by itself.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { stopped.open(ctx.signal.reason); reject(ctx.signal.reason); }));
      return 'never';
    });
  }, { defaultTtlMs: 150 });
  const created = await t.call('tools/call', { name: 'forever' });
  assert.is(created.ttlMs, 150);
  const failed = await t.reached(created.taskId, 'failed');
  assert.match(failed.error.message, /expired/);
  await within(stopped.promise, 2000, 'the handler being stopped');
  assert.is((await t.fail('tasks/get', { taskId: created.taskId })).code, -32602);
});

test.run();
