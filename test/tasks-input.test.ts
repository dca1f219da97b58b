// Input inside a task (2025-11-25 basic/utilities/tasks, input required): ctx.elicit() and
// ctx.sample() move the task to input_required; the questions go out on the owner's
// tasks/result request tagged with related-task; the answers move it back to working.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallToolResult, ElicitParams } from 'mcpwire/protocol';
import { callAsTask, connectClient, statusReached, tasksServer, within } from './tasks-fixture.ts';

const RELATED = 'io.modelcontextprotocol/related-task';
const test = suite('tasks: elicitation and sampling inside a task');

test('an elicitation parks the task in input_required until tasks/result carries it; the answer resumes the tool', async () => {
  const asked: ElicitParams[] = [];
  const { server, store } = tasksServer((s) => {
    s.tool({ name: 'confirm_delete', description: 'asks first', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'Delete it?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } });
      return answer.action === 'accept' && answer.content?.ok === true ? 'deleted' : 'kept';
    });
  });
  const c = await connectClient(server, { client: { onElicit: (params) => { asked.push(params); return { action: 'accept', content: { ok: true } }; } } });
  const task = await callAsTask(c, 'confirm_delete');
  await statusReached(c, task.taskId, 'input_required');
  const parked = await c.client.getTask(task.taskId);
  assert.is(parked.status, 'input_required');
  assert.match(parked.statusMessage ?? '', /tasks\/result/);
  assert.is(asked.length, 0, 'nothing is asked before tasks/result');

  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.equal(result.content, [{ type: 'text', text: 'deleted' }]);
  assert.is(asked.length, 1);
  assert.equal(asked[0]?._meta?.[RELATED], { taskId: task.taskId });
  const statuses = c.heard.filter((h) => h.method === 'notifications/tasks/status').map((h) => h.params?.status);
  assert.equal(statuses, ['input_required', 'working', 'completed']);
  // As the client sent it: with the task's related-task _meta (2025-11-25 basic/utilities/tasks MUST).
  assert.equal((await store.get(task.taskId))?.inputs, [{ action: 'accept', content: { ok: true }, _meta: { [RELATED]: { taskId: task.taskId } } }], 'the answer is recorded for a re-run');
  await c.close();
});

test('two questions at once both go out on one tasks/result; the task leaves input_required once both are answered', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'multi_input', description: 'two questions', execution: { taskSupport: 'optional' } }, async (_args, ctx) => {
      const form = { type: 'object' as const, properties: { v: { type: 'string' as const } } };
      const [a, b] = await Promise.all([ctx.elicit({ message: 'first', requestedSchema: form }), ctx.elicit({ message: 'second', requestedSchema: form })]);
      return `${String(a.content?.v)}+${String(b.content?.v)}`;
    });
  });
  const c = await connectClient(server, { client: { onElicit: (params) => ({ action: 'accept', content: { v: params.message } }) } });
  const task = await callAsTask(c, 'multi_input');
  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.equal(result.content, [{ type: 'text', text: 'first+second' }]);
  const statuses = c.heard.filter((h) => h.method === 'notifications/tasks/status').map((h) => h.params?.status);
  assert.equal(statuses, ['input_required', 'working', 'completed']);
  await c.close();
});

test('sampling inside a task takes the same path', async () => {
  const { server } = tasksServer((s) => {
    s.tool({ name: 'summarize', description: 'samples', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
      const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'sum up' } }], maxTokens: 10 });
      const first = Array.isArray(reply.content) ? reply.content[0] : reply.content;
      return first?.type === 'text' ? first.text : '?';
    });
  });
  let meta: unknown;
  const c = await connectClient(server, {
    client: { onSample: (params) => { meta = params._meta?.[RELATED]; return { role: 'assistant', content: { type: 'text', text: 'summary' }, model: 'm' }; } },
  });
  const task = await callAsTask(c, 'summarize');
  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.equal(result.content, [{ type: 'text', text: 'summary' }]);
  assert.equal(meta, { taskId: task.taskId });
  await c.close();
});

test.run();
