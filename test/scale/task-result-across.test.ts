// Issue #18: tasks/result served by the instance that does not run the task. That instance
// does not hear the task's changes (they happen in the other process), so it reads the
// shared store again every pollInterval until the task is terminal, then answers
// (2025-11-25 basic/utilities/tasks: tasks/result blocks until the task is terminal).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';
import { ask } from './task-poll.ts';

const cluster = await startCluster(2, ['--fixtures']);
if (cluster) {
  const test = suite('scale-out: tasks/result on the instance that does not run the task');

  test('it answers once the task completes on the other instance', async () => {
    const session = await openSession(cluster.proxy.url, { tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'slow_compute', arguments: { seconds: 1 }, task: { ttl: 60_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    const running = cluster.proxy.served.at(-1)!.backend;
    const res = await session.post({ jsonrpc: '2.0', id: 5, method: 'tasks/result', params: { taskId } });
    assert.is(res.status, 200);
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running, 'asked of the other instance');
    const reader = new SseReader(res);
    const reply = await reader.until((m) => m.id === 5, 15_000);
    await reader.cancel();
    assert.equal(reply?.message?.result?.content, [{ type: 'text', text: 'Computed for 1 s.' }], JSON.stringify(reply?.message));
    assert.equal(reply?.message?.result?._meta?.['io.modelcontextprotocol/related-task'], { taskId });
  });

  test.after(() => cluster.stop());
  test.run();
}
