// Issue #18: a task created on instance A is polled and its result fetched on B: the task
// store is shared through Redis (2025-11-25 basic/utilities/tasks).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader, type Session } from './mcp-http.ts';

let nextId = 1;

/** Send one request through the proxy; resolves with its response and the backend that served it. */
async function ask(session: Session, backends: () => number, method: string, params: Record<string, unknown>): Promise<{ message: Record<string, any>; backend: number }> {
  const id = nextId++;
  const res = await session.post({ jsonrpc: '2.0', id, method, params });
  const backend = backends();
  const reader = new SseReader(res);
  const reply = await reader.until((m) => m.id === id);
  await reader.cancel();
  return { message: reply!.message!, backend };
}

const cluster = await startCluster(2, ['--fixtures']);
if (cluster) {
  const test = suite('scale-out: a task across instances');
  const last = () => cluster.proxy.served.at(-1)!.backend;

  test('created on one instance, polled to completion and its result read on the other', async () => {
    const session = await openSession(cluster.proxy.url, { tasks: {} });
    const created = await ask(session, last, 'tools/call', { name: 'slow_compute', arguments: { seconds: 1 }, task: { ttl: 60_000 } });
    const task = created.message.result?.task;
    assert.ok(task?.taskId, JSON.stringify(created.message));
    const backends = new Set<number>();
    let status = task.status as string;
    for (let i = 0; i < 100 && status === 'working'; i++) {
      const polled = await ask(session, last, 'tasks/get', { taskId: task.taskId });
      backends.add(polled.backend);
      status = polled.message.result?.status;
      if (status === 'working') await new Promise<void>((resolve) => setTimeout(resolve, Math.max(50, Number(polled.message.result?.pollInterval ?? 100))));
    }
    assert.is(status, 'completed');
    assert.ok(backends.has(1 - created.backend), 'polled on the instance that did not create it');
    const result = await ask(session, last, 'tasks/result', { taskId: task.taskId });
    assert.match(JSON.stringify(result.message.result?.content), /Computed for 1 s/);
    const listed = await ask(session, last, 'tasks/list', {});
    assert.ok(listed.message.result?.tasks?.some((t: { taskId: string }) => t.taskId === task.taskId));
  });

  test.after(() => cluster.stop());
  test.run();
}
