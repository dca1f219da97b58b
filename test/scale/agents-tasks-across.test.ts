// Issue #18 with the agents of issue #15: `serve --agents --redis` keeps its tasks in Redis, so
// a research task created through one instance is known to the other and its result is read
// there. Before, the agents server kept its tasks in memory even with --redis: the other
// instance answered tasks/get for the task as unknown.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession } from './mcp-http.ts';
import { ask, pollTask } from './task-poll.ts';

const cluster = await startCluster(2, ['--agents', '--step-ms', '20']);
if (cluster) {
  const test = suite('scale-out: agents tasks shared through Redis');

  test('a research task created on one instance is followed and finished on the other', async () => {
    const session = await openSession(cluster.proxy.url, { tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'research_agent', arguments: { topic: 'grid batteries', depth: 'quick' }, task: { ttl: 60_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    const createdOn = cluster.proxy.served.at(-1)!.backend;
    const seen = await ask(session, 'tasks/get', { taskId });
    assert.is.not(cluster.proxy.served.at(-1)!.backend, createdOn, 'tasks/get went to the other instance');
    assert.ok(seen.result, `the other instance knows the task: ${JSON.stringify(seen)}`);
    assert.is(seen.result.taskId, taskId);
    const done = await pollTask(session, taskId, (task) => task.status === 'completed' || task.status === 'failed');
    assert.is(done.status, 'completed', JSON.stringify(done));
    const result = await ask(session, 'tasks/result', { taskId });
    assert.is(result.result?.structuredContent?.status, 'complete', JSON.stringify(result));
  });

  test.after(() => cluster.stop());
  test.run();
}
