// Issue #18, 2026-07-28 era (tasks extension, SEP-2663): a task runs on one instance and the
// client's requests about it land on the other. tasks/get there lists the questions the task
// waits on (they are in the shared TaskStore), and tasks/update there answers them: the
// answers are recorded in the store and the running instance, woken over the Redis event
// bus, goes on. Partial answers leave only the unanswered question.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from './cluster.ts';
import { asking, call, lastBackend, nextAvoids, until } from './modern-call.ts';
import { effectsOf } from './task-poll.ts';

const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-input-across-'));
const effects = join(dir, 'effects.log');
const cluster = await startCluster(2, ['--fixtures', '--fixture-effects', effects]);
if (!cluster) await rm(dir, { recursive: true, force: true });
if (cluster) {
  const test = suite('scale-out (2026-07-28): a task\'s questions are listed and answered on the instance not running it');
  const url = cluster.proxy.url;
  const filler = () => call(url, 'tools/list', {});
  /** Start `name` as a task; the task and the instance running it. */
  const start = async (name: string, args: Record<string, unknown>) => {
    const created = await call(url, 'tools/call', { name, arguments: args });
    assert.is(created.resultType, 'task');
    return { taskId: created.taskId as string, running: lastBackend(cluster.proxy) };
  };

  test('tasks/get on the other instance lists the question the task waits on', async () => {
    const { taskId, running } = await start('confirm_delete', { target: 'a.txt' });
    await until(url, taskId, (t) => t.status === 'input_required');
    await nextAvoids(cluster.proxy, running, filler);
    const task = await call(url, 'tasks/get', { taskId });
    assert.is.not(lastBackend(cluster.proxy), running);
    assert.is(task.status, 'input_required');
    const questions = Object.values(task.inputRequests ?? {}) as Array<Record<string, any>>;
    assert.is(questions.length, 1, JSON.stringify(task));
    assert.is(questions[0]!.method, 'elicitation/create');
    assert.is(questions[0]!.params?.message, 'Delete a.txt?');
    await call(url, 'tasks/cancel', { taskId });
  });

  test('tasks/update on the other instance answers it: the running instance completes the task, once', async () => {
    const { taskId, running } = await start('confirm_delete', { target: 'b.txt' });
    const [key] = Object.keys((await until(url, taskId, asking)).inputRequests);
    await nextAvoids(cluster.proxy, running, filler);
    const ack = await call(url, 'tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { confirm: true } } } });
    assert.is.not(lastBackend(cluster.proxy), running);
    assert.is(ack.resultType, 'complete');
    const done = await until(url, taskId, (t) => t.status !== 'input_required' && t.status !== 'working');
    assert.is(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.result?.content, [{ type: 'text', text: 'Deleted b.txt.' }]);
    assert.equal(await effectsOf(effects, taskId), [`${taskId} deleted b.txt`]);
  });

  test('answers one at a time on the other instance: only the unanswered question stays, then the task completes', async () => {
    const { taskId, running } = await start('multi_input', {});
    const keys = Object.keys((await until(url, taskId, (t) => asking(t) && Object.keys(t.inputRequests).length === 2)).inputRequests);
    await nextAvoids(cluster.proxy, running, filler);
    await call(url, 'tasks/update', { taskId, inputResponses: { [keys[0]!]: { action: 'accept', content: { name: 'Ada' } } } });
    assert.is.not(lastBackend(cluster.proxy), running);
    const partial = await call(url, 'tasks/get', { taskId });
    assert.is(partial.status, 'input_required');
    assert.equal(Object.keys(partial.inputRequests), [keys[1]]);
    await nextAvoids(cluster.proxy, running, filler);
    await call(url, 'tasks/update', { taskId, inputResponses: { [keys[1]!]: { action: 'accept', content: { name: 'Grace' } } } });
    const done = await until(url, taskId, (t) => t.status === 'completed');
    assert.equal(done.result?.content, [{ type: 'text', text: 'Got Ada and Grace.' }]);
  });

  test.after(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });
  test.run();
}
