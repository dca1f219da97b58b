// The 2026-07-28 tasks extension on the server (SEP-2663): negotiation, CreateTaskResult,
// tasks/get's DetailedTask by status, tasks/cancel, the removed methods.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RpcError } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { gate } from './tasks-fixture.ts';
import { modernTasks, TASKS, WITH_TASKS } from './tasks-modern-kit.ts';

const test = suite('tasks-modern-lifecycle');

function tools(release: Promise<void>) {
  return (server: McpServer) => {
    server.tool({ name: 'sync_only', description: 'Never a task.' }, () => 'plain');
    server.tool({ name: 'job', description: 'Waits for the test, then answers.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await Promise.race([release, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))]);
      return 'job done';
    });
    server.tool({ name: 'tool_error', description: 'A tool error.', execution: { taskSupport: 'required' } }, () => {
      throw new Error('the tool failed');
    });
    server.tool({ name: 'rpc_error', description: 'A JSON-RPC error.', execution: { taskSupport: 'optional' } }, () => {
      throw new RpcError(-32603, 'internal trouble');
    });
  };
}

test('server/discover lists the extension under capabilities.extensions, not a tasks slot', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  const caps = (await t.call('server/discover')).capabilities;
  assert.equal(caps.extensions?.[TASKS], {});
  assert.is(caps.tasks, undefined);
});

test('a declaring client gets a flat CreateTaskResult, durable at once; tasks/get inlines the result', async () => {
  const release = gate();
  const t = modernTasks(tools(release.promise));
  const created = await t.call('tools/call', { name: 'job', arguments: {} });
  assert.is(created.resultType, 'task');
  assert.is(created.status, 'working');
  assert.is(created.task, undefined, 'no nested task wrapper');
  for (const legacy of ['ttl', 'pollInterval', 'requestState', 'result']) assert.not.ok(legacy in created, `no ${legacy}`);
  assert.ok(Number.isInteger(created.ttlMs) && created.ttlMs > 0);
  assert.ok(Number.isInteger(created.pollIntervalMs));
  const working = await t.call('tasks/get', { taskId: created.taskId });
  assert.is(working.resultType, 'complete');
  assert.is(working.status, 'working');
  assert.not.ok('result' in working);
  release.open();
  await t.reached(created.taskId, 'completed');
  const done = await t.call('tasks/get', { taskId: created.taskId });
  assert.is(done.status, 'completed');
  assert.equal(done.result.content, [{ type: 'text', text: 'job done' }]);
  assert.not.ok(done.result._meta?.['io.modelcontextprotocol/related-task'], 'no related-task meta on the inlined result');
});

test('a tool error completes with isError; a JSON-RPC error fails with error and no result', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  const toolError = await t.call('tools/call', { name: 'tool_error' });
  await t.reached(toolError.taskId, 'completed');
  const completed = await t.call('tasks/get', { taskId: toolError.taskId });
  assert.is(completed.result.isError, true);
  const rpcError = await t.call('tools/call', { name: 'rpc_error' });
  await t.reached(rpcError.taskId, 'failed');
  const failed = await t.call('tasks/get', { taskId: rpcError.taskId });
  assert.equal(failed.error, { code: -32603, message: 'internal trouble' });
  assert.not.ok('result' in failed);
});

test('tasks/cancel acks empty, the task ends cancelled, and a second cancel acks again', async () => {
  const t = modernTasks(tools(new Promise(() => {})));
  const created = await t.call('tools/call', { name: 'job' });
  const ack = await t.call('tasks/cancel', { taskId: created.taskId });
  assert.equal(Object.keys(ack).sort(), ['_meta', 'resultType']);
  assert.is(ack.resultType, 'complete');
  assert.is((await t.call('tasks/get', { taskId: created.taskId })).status, 'cancelled');
  assert.is((await t.call('tasks/cancel', { taskId: created.taskId })).resultType, 'complete');
});

// ext-tasks "Cancelling Tasks" and the status diagram: a terminal status is final. A cancel
// of a completed task is acked (eventually consistent) and the task stays completed with its
// result; an update of it is acked and changes nothing.
test('a completed task: tasks/cancel and tasks/update ack, and it stays completed with its result', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  const created = await t.call('tools/call', { name: 'job' });
  await t.reached(created.taskId, 'completed');
  const before = await t.call('tasks/get', { taskId: created.taskId });
  assert.is((await t.call('tasks/cancel', { taskId: created.taskId })).resultType, 'complete');
  assert.is((await t.call('tasks/update', { taskId: created.taskId, inputResponses: { 'input-0': { action: 'accept', content: {} } } })).resultType, 'complete');
  const after = await t.call('tasks/get', { taskId: created.taskId });
  assert.is(after.status, 'completed');
  assert.equal(after.result, before.result);
  assert.is(after.lastUpdatedAt, before.lastUpdatedAt, 'nothing changed');
  assert.not.ok(t.events.some((e) => e.type === 'task_changed' && e.task.taskId === created.taskId && e.task.status === 'cancelled'));
});

test('unknown task ids are -32602 on get, update and cancel', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  for (const method of ['tasks/get', 'tasks/cancel', 'tasks/update']) {
    const error = await t.fail(method, { taskId: 'no-such-task', inputResponses: {} });
    assert.is(error.code, -32602, method);
  }
});

test('tasks/update with a malformed inputResponses is -32602 and leaves the task as it was', async () => {
  const t = modernTasks(tools(new Promise(() => {})));
  const { taskId } = await t.call('tools/call', { name: 'job' });
  assert.is((await t.fail('tasks/update', { taskId, inputResponses: { 'input-0': 12345 } })).code, -32602);
  assert.is((await t.fail('tasks/update', { taskId, inputResponses: null })).code, -32602);
  assert.is((await t.call('tasks/get', { taskId })).status, 'working');
});

test('tasks/result and tasks/list are removed: -32601', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  assert.is((await t.fail('tasks/result', { taskId: 'x' })).code, -32601);
  assert.is((await t.fail('tasks/list')).code, -32601);
});

test('without the extension: tasks methods are -32021, optional tools run inline, required tools are -32021 naming it', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
    assert.is((await t.fail(method, { taskId: 'x', inputResponses: {} }, {})).code, -32021, method);
  }
  const inline = await t.call('tools/call', { name: 'job' }, {});
  assert.is(inline.resultType, 'complete');
  assert.equal(inline.content, [{ type: 'text', text: 'job done' }]);
  const required = await t.fail('tools/call', { name: 'tool_error' }, {});
  assert.is(required.code, -32021);
  assert.equal(required.data, { requiredCapabilities: { extensions: { [TASKS]: {} } } });
});

test('a legacy task param neither errors nor makes a plain tool a task', async () => {
  const t = modernTasks(tools(Promise.resolve()));
  const result = await t.call('tools/call', { name: 'sync_only', task: { ttl: 60000 } }, WITH_TASKS);
  assert.is(result.resultType, 'complete');
  assert.not.ok('taskId' in result);
});

test.run();
