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

// Session 31: the wall clock stepped an hour back while a task ran (NTP, a VM restored). Its
// TTL still ran out on time (the timer counts on the monotonic clock), but the failure was
// stamped an hour before the task was created: lastUpdatedAt < createdAt. Stamps no longer go back.
test('a wall clock stepped back during the TTL: the task fails on time, and is not updated before it was created', async () => {
  const realNow = Date.now;
  const t = modernTasks((server) => {
    server.tool({ name: 'forever', description: 'Never ends by itself.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      return 'never';
    });
  }, { defaultTtlMs: 150 });
  try {
    const created = await t.call('tools/call', { name: 'forever' });
    const started = performance.now();
    Date.now = () => realNow() - 3_600_000;
    const failed = await t.reached(created.taskId, 'failed');
    assert.ok(performance.now() - started < 2_000, 'failed at its TTL, not an hour later');
    assert.match(failed.statusMessage, /expired/);
    assert.ok(failed.lastUpdatedAt >= failed.createdAt, `updated ${new Date(failed.lastUpdatedAt).toISOString()}, created ${new Date(failed.createdAt).toISOString()}`);
    assert.is((await t.fail('tasks/get', { taskId: created.taskId })).code, -32602);
  } finally {
    Date.now = realNow;
  }
});

test.run();
