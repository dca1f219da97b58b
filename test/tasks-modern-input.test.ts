// Input inside a 2026-07-28 task (SEP-2663): ctx.elicit() parks the task in input_required
// with inputRequests, tasks/update answers (partially too), and a tool marked inline-first
// asks one multi round-trip round before it becomes a task.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { McpServer } from 'mcpwire/server';
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
