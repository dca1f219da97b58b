// Input inside a 2026-07-28 task (SEP-2663): ctx.elicit() parks the task in input_required
// with inputRequests, tasks/update answers (partially too), and a tool marked inline-first
// asks one multi round-trip round before it becomes a task.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTaskStore } from 'mcpwire/transport';
import type { McpServer } from 'mcpwire/server';
import { gate, within } from './tasks-fixture.ts';
import { modernTasks } from './tasks-modern-kit.ts';

const test = suite('tasks-modern-input');
const form = { type: 'object' as const, properties: { name: { type: 'string' as const } } };

function tools(server: McpServer): void {
  server.tool({ name: 'two_questions', description: 'Asks two at once.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    const [a, b] = await Promise.all([ctx.elicit({ message: 'A?', requestedSchema: form }), ctx.elicit({ message: 'B?', requestedSchema: form })]);
    return `${String(a.content?.name)}+${String(b.content?.name)}`;
  });
  server.tool({ name: 'ask_then_task', description: 'Inline first.', execution: { taskSupport: 'required' } }, async (_a, ctx) => {
    const first = await ctx.elicit({ message: 'Name?', requestedSchema: form }, { key: 'user_name' });
    const second = await ctx.elicit({ message: 'Again?', requestedSchema: form });
    return `${String(first.content?.name)} then ${String(second.content?.name)} in ${ctx.taskId ? 'a task' : 'no task'}`;
  });
  server.tasks!.setInlineFirst('ask_then_task');
}

const accept = (name: string) => ({ action: 'accept', content: { name } });

test('two parallel questions: both in inputRequests; a partial update keeps input_required with the other key', async () => {
  const t = modernTasks(tools);
  const { taskId } = await t.call('tools/call', { name: 'two_questions' });
  const parked = await t.reached(taskId, 'input_required');
  const got = await t.call('tasks/get', { taskId });
  assert.is(got.status, 'input_required');
  const keys = Object.keys(got.inputRequests);
  assert.is(keys.length, 2, JSON.stringify(got.inputRequests));
  assert.is(got.inputRequests[keys[0]!].method, 'elicitation/create');
  assert.ok(parked.inputRequests, 'the published task carries its questions');
  const ack = await t.call('tasks/update', { taskId, inputResponses: { [keys[0]!]: accept('x'), 'not-a-key': { ignored: true } } });
  assert.is(ack.resultType, 'complete');
  assert.not.ok('status' in ack);
  const partial = await t.call('tasks/get', { taskId });
  assert.is(partial.status, 'input_required');
  assert.equal(Object.keys(partial.inputRequests), [keys[1]]);
  await t.call('tasks/update', { taskId, inputResponses: { [keys[1]!]: accept('y') } });
  await t.reached(taskId, 'completed');
  assert.equal((await t.call('tasks/get', { taskId })).result.content, [{ type: 'text', text: 'x+y' }]);
});

test('inline first: round 1 is an InputRequiredResult without taskId, the retry a CreateTaskResult; later input goes to the task', async () => {
  const t = modernTasks(tools);
  const round1 = await t.call('tools/call', { name: 'ask_then_task' });
  assert.is(round1.resultType, 'input_required');
  assert.not.ok('taskId' in round1);
  assert.ok(round1.inputRequests.user_name);
  const round2 = await t.call('tools/call', { name: 'ask_then_task', inputResponses: { user_name: accept('Alice') }, requestState: round1.requestState });
  assert.is(round2.resultType, 'task');
  assert.not.ok('requestState' in round2);
  const { taskId } = round2;
  await t.reached(taskId, 'input_required');
  const [key] = Object.keys((await t.call('tasks/get', { taskId })).inputRequests);
  await t.call('tasks/update', { taskId, inputResponses: { [key!]: accept('Bob') } });
  await t.reached(taskId, 'completed');
  assert.equal((await t.call('tasks/get', { taskId })).result.content, [{ type: 'text', text: 'Alice then Bob in a task' }]);
});

test.run();

// The process dies (kill -9) halfway through a 2026-07-28 task's input round trip (SEP-2663):
// the client's answer was acknowledged (tasks/update) and the handler had it, but had not yet
// acted on it. A new process on the same file store resumes the task: the handler runs again,
// gets the recorded answer without asking again (no input_required), and its side effect
// happens once. Found right in session 31; kept as a guard. In-process: the first server is
// abandoned as a killed process would be (nothing closed, nothing more written).
const crash = suite('tasks-modern-input: killed after the answer landed, before it was acted on');

crash('the resumed task uses the recorded answer, asks nothing again, and acts once', async () => {
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

crash.run();
