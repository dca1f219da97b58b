// Issue #18: a task runs on one instance and its cancellation lands on the other. The task
// is cancelled in the shared store, and the handler on the running instance stops (its
// signal fires: slow_compute records "stopped"), in both eras: 2026-07-28 tasks extension
// (SEP-2663, cooperative tasks/cancel) and 2025-11-25 basic/utilities/tasks (tasks/cancel).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './cluster.ts';
import { openSession } from './mcp-http.ts';
import { call, lastBackend, nextAvoids } from './modern-call.ts';
import { ask, effectMade, effectsOf } from './task-poll.ts';

/** Wait (bounded) until `file` records that `taskId`'s handler stopped. */
async function stopped(file: string, taskId: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await effectsOf(file, taskId)).includes(`${taskId} stopped`)) {
    if (Date.now() > deadline) throw new Error(`the handler of task ${taskId} did not stop within ${timeoutMs} ms: ${JSON.stringify(await effectsOf(file, taskId))}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}

const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-cancel-across-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out: a cancel made on the other instance stops the handler of the instance running the task');
  const url = cluster.proxy.url;

  test('2026-07-28: tasks/cancel on the other instance; the task is cancelled and its handler stops', async () => {
    const created = await call(url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 60 } });
    assert.is(created.resultType, 'task');
    const taskId = created.taskId as string;
    const running = lastBackend(cluster.proxy);
    await effectMade(effects, taskId); // the handler runs
    await nextAvoids(cluster.proxy, running, () => call(url, 'tools/list', {}));
    await call(url, 'tasks/cancel', { taskId });
    assert.is.not(lastBackend(cluster.proxy), running);
    await stopped(effects, taskId);
    assert.is((await call(url, 'tasks/get', { taskId })).status, 'cancelled');
  });

  test('2025-11-25: tasks/cancel on the other instance; the task is cancelled and its handler stops', async () => {
    const session = await openSession(url, { tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'slow_compute', arguments: { seconds: 60 }, task: { ttl: 120_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    const running = lastBackend(cluster.proxy);
    await effectMade(effects, taskId);
    await nextAvoids(cluster.proxy, running, () => ask(session, 'ping', {}));
    const cancelled = await ask(session, 'tasks/cancel', { taskId });
    assert.is.not(lastBackend(cluster.proxy), running);
    assert.is(cancelled.result?.status, 'cancelled', JSON.stringify(cancelled));
    await stopped(effects, taskId);
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
