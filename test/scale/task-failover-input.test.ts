// Issue #18: kill -9 of the instance running a task while the task waits for the user
// (input_required). The survivor's sweep takes the task over once its lease lapses; the
// owner's tasks/result, served by the survivor, carries the question, the answer completes
// the task there, and the deletion (confirm_delete's side effect) happens once
// (2025-11-25 basic/utilities/tasks: input required).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed } from '../serve-process.ts';
import { startCluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';
import { ask, effectsOf, pollTask } from './task-poll.ts';

const RELATED = 'io.modelcontextprotocol/related-task';
const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-failover-input-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out: a task waiting for the user survives kill -9 of its instance');

  test('answered on the survivor, the task completes there and deletes once', async () => {
    const session = await openSession(cluster.proxy.url, { elicitation: {}, tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'confirm_delete', arguments: { target: 'report.txt' }, task: { ttl: 120_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    const running = cluster.proxy.served.at(-1)!.backend;
    await pollTask(session, taskId, (t) => t.status === 'input_required', 100, 50);
    await killed(cluster.instances[running]!.child);

    // The survivor holds no run of the task yet: this request waits until its sweep takes
    // the task over, then carries the new run's question.
    const res = await session.post({ jsonrpc: '2.0', id: 9, method: 'tasks/result', params: { taskId } });
    assert.is(res.status, 200);
    assert.is.not(cluster.proxy.served.at(-1)!.backend, running);
    const stream = new SseReader(res);
    const questions: Array<Record<string, any>> = [];
    let reply: Record<string, any> | undefined;
    while (!reply) {
      const arrival = await stream.until((m) => (m.method === 'elicitation/create' && !questions.includes(m)) || (m.id === 9 && !('method' in m)), 20_000);
      const m = arrival!.message!;
      if (m.id === 9 && !('method' in m)) { reply = m; break; }
      questions.push(m);
      assert.equal(m.params._meta?.[RELATED], { taskId });
      const answered = await session.post({ jsonrpc: '2.0', id: m.id, result: { action: 'accept', content: { confirm: true } } });
      assert.is(answered.status, 202);
    }
    await stream.cancel();
    assert.is(questions.length, 1, 'asked once');
    assert.equal(reply.result?.content, [{ type: 'text', text: 'Deleted report.txt.' }], JSON.stringify(reply));
    assert.is((await ask(session, 'tasks/get', { taskId })).result?.status, 'completed');
    assert.equal(await effectsOf(effects, taskId), [`${taskId} deleted report.txt`], 'deleted once');
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
