// Issue #18: kill -9 of the instance running a task. Its run lease lapses, the surviving
// instance takes the task over (here when a tasks/get lands on it), re-runs it from its
// record, and the task completes there: one completion, and the side effect the first run
// made (keyed by the task id) is not made again (2025-11-25 basic/utilities/tasks).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed } from '../serve-process.ts';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';
import { ask, effectMade, effectsOf, pollTask } from './task-poll.ts';

const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-failover-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out: a task survives kill -9 of its instance');

  test('the other instance takes the task over and completes it once; the side effect stays single', async () => {
    const session = await openSession(cluster.proxy.url, { tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'slow_compute', arguments: { seconds: 2 }, task: { ttl: 120_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    const running = cluster.proxy.served.at(-1)!.backend;
    await effectMade(effects, taskId); // the first run started (its side effect is made)
    await killed(cluster.instances[running]!.child);

    // Status notifications, heard on the survivor (the proxy skips the dead instance).
    const events = await session.get();
    assert.is(events.status, 200);
    const heard = new SseReader(events);
    const done = await pollTask(session, taskId, (t) => t.status !== 'working');
    assert.is(done.status, 'completed', JSON.stringify(done));
    await heard.until((m) => m.method === 'notifications/tasks/status' && m.params?.taskId === taskId && m.params?.status === 'completed');
    const result = await ask(session, 'tasks/result', { taskId });
    assert.equal(result.result?.content, [{ type: 'text', text: 'Computed for 2 s.' }]);
    const completions = heard.events.filter((e) => e.message?.method === 'notifications/tasks/status' && e.message.params?.status === 'completed');
    assert.is(completions.length, 1, 'completed once');
    assert.equal(await effectsOf(effects, taskId), [`${taskId} computing 2 s`], 'the side effect happened once although the task ran twice');
    assert.ok(cluster.proxy.served.slice(-3).every((s) => s.backend !== running), 'served by the survivor');
    await heard.cancel();
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
