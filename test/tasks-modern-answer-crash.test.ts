// The process dies (kill -9) halfway through a 2026-07-28 task's input round trip (SEP-2663):
// the client's answer was acknowledged (tasks/update) and the handler had it, but had not yet
// acted on it. A new process on the same file store resumes the task: the handler runs again,
// gets the recorded answer without asking again (no input_required), and its side effect
// happens once. Found right in session 31; kept as a guard. In-process: the first server is
// abandoned as a killed process would be (nothing closed, nothing more written).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTaskStore } from 'mcpwire/transport';
import type { McpServer } from 'mcpwire/server';
import { gate, within } from './tasks-fixture.ts';
import { modernTasks } from './tasks-modern-kit.ts';

const test = suite('tasks (2026): killed after the answer landed, before it was acted on');

test('the resumed task uses the recorded answer, asks nothing again, and acts once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-answer-crash-'));
  const effects: string[] = [];
  const answered = gate();
  const setup = (dies: boolean) => (server: McpServer) => {
    server.tool({ name: 'confirm', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      const answer = await ctx.elicit({ message: 'Delete it?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });
      if (dies) {
        answered.open();
        await new Promise(() => {}); // the process is killed here
      }
      effects.push(`${ctx.taskId} ${JSON.stringify(answer.content)}`);
      return 'deleted';
    });
  };
  const before = modernTasks(setup(true), { store: await createFileTaskStore({ dir }) });
  let reopened: { close(): Promise<void> } | undefined;
  try {
    const created = await before.call('tools/call', { name: 'confirm' });
    const taskId = created.taskId as string;
    await before.reached(taskId, 'input_required');
    const waiting = await before.call('tasks/get', { taskId });
    const [key] = Object.keys(waiting.inputRequests);
    await before.call('tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { ok: true } } } });
    await within(answered.promise, 5_000, 'the handler getting the answer');

    const store = await createFileTaskStore({ dir });
    reopened = store;
    const restarted = modernTasks(setup(false), { store });
    assert.is(await restarted.server.tasks!.resume(), 1);
    await restarted.reached(taskId, 'completed');
    const done = await restarted.call('tasks/get', { taskId });
    assert.equal(done.result.content, [{ type: 'text', text: 'deleted' }]);
    assert.is(restarted.events.filter((e) => e.type === 'task_changed' && e.task.status === 'input_required').length, 0, 'not asked again');
    assert.equal(effects, [`${taskId} {"ok":true}`], 'acted once, on the answer the client gave');
  } finally {
    await reopened?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
