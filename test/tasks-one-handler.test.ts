// Handlers are written once (issue #15 item 4): the same `async (args, ctx)` tool with
// ctx.elicit() runs as a plain 2026 call (a multi round-trip round), as a 2025-11-25 task
// (the question on tasks/result) and as a 2026 task (the question in inputRequests).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallToolResult } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { callAsTask, connectClient, within } from './tasks-fixture.ts';
import { modernTasks } from './tasks-modern-kit.ts';

const test = suite('tasks: one handler, three ways to run');

function confirm(server: McpServer): void {
  server.tool({ name: 'confirm', description: 'Asks, then answers.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    const answer = await ctx.elicit({ message: 'Sure?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } });
    return `ok=${String(answer.content?.ok)} task=${ctx.taskId === undefined ? 'no' : 'yes'}`;
  });
}
const yes = { action: 'accept', content: { ok: true } };

test('a plain 2026 call: the question is an InputRequiredResult, the retry gets the result', async () => {
  const t = modernTasks(confirm);
  const round1 = await t.call('tools/call', { name: 'confirm' }, { elicitation: {} });
  assert.is(round1.resultType, 'input_required');
  const [key] = Object.keys(round1.inputRequests);
  const round2 = await t.call('tools/call', { name: 'confirm', inputResponses: { [key!]: yes }, requestState: round1.requestState }, { elicitation: {} });
  assert.equal(round2.content, [{ type: 'text', text: 'ok=true task=no' }]);
});

test('a 2025-11-25 task: the question goes out on tasks/result', async () => {
  const t = modernTasks(confirm);
  const c = await connectClient(t.server, { client: { onElicit: () => ({ action: 'accept', content: { ok: true } }) } });
  const task = await callAsTask(c, 'confirm');
  const result = await within(c.client.getTaskResult<CallToolResult>(task.taskId));
  assert.equal(result.content, [{ type: 'text', text: 'ok=true task=yes' }]);
  await c.close();
});

test('a 2026 task: the question waits in inputRequests until tasks/update', async () => {
  const t = modernTasks(confirm);
  const { taskId } = await t.call('tools/call', { name: 'confirm' });
  await t.reached(taskId, 'input_required');
  const [key] = Object.keys((await t.call('tasks/get', { taskId })).inputRequests);
  await t.call('tasks/update', { taskId, inputResponses: { [key!]: yes } });
  await t.reached(taskId, 'completed');
  assert.equal((await t.call('tasks/get', { taskId })).result.content, [{ type: 'text', text: 'ok=true task=yes' }]);
});

test('a 2026 task of a client without elicitation: the handler hears it cannot ask (a tool error)', async () => {
  const t = modernTasks(confirm);
  const { taskId } = await t.call('tools/call', { name: 'confirm' }, { extensions: { 'io.modelcontextprotocol/tasks': {} } });
  const done = await t.reached(taskId, 'completed');
  assert.is(done.result.isError, true);
  assert.match(done.result.content[0].text, /did not declare elicitation/);
  assert.is(done.statusMessage, undefined, 'the input_required message is gone');
});

test.run();
