// Issue #18, 2026-07-28 era (tasks extension, SEP-2663): kill -9 of the instance running a
// task that waits in input_required. The survivor takes the task over once its lease lapses
// (a tasks/get lands on it), the re-run asks again under the same input key, tasks/update
// on the survivor answers it, the task completes, and the deletion happens once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed } from '../serve-process.ts';
import { startCluster } from './cluster.ts';
import { effectsOf } from './task-poll.ts';
import { asking, call, until } from './modern-call.ts';

const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-failover-modern-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out (2026-07-28): a task waiting in input_required survives kill -9 of its instance');
  const url = cluster.proxy.url;

  test('the survivor asks again under the same key, tasks/update there completes it, one deletion', async () => {
    const created = await call(url, 'tools/call', { name: 'confirm_delete', arguments: { target: 'report.txt' } });
    assert.is(created.resultType, 'task');
    const taskId = created.taskId as string;
    const running = cluster.proxy.served.at(-1)!.backend;
    const before = Object.keys((await until(url, taskId, asking)).inputRequests);
    await killed(cluster.instances[running]!.child);

    const after = Object.keys((await until(url, taskId, asking)).inputRequests);
    assert.equal(after, before, 'the same question, under the same key');
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running);
    await call(url, 'tasks/update', { taskId, inputResponses: { [after[0]!]: { action: 'accept', content: { confirm: true } } } });
    const done = await until(url, taskId, (t) => t.status === 'completed');
    assert.equal(done.result?.content, [{ type: 'text', text: 'Deleted report.txt.' }]);
    assert.equal(await effectsOf(effects, taskId), [`${taskId} deleted report.txt`], 'deleted once');
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
