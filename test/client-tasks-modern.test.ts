// The client's tasks in the 2026-07-28 era (SEP-2663), over raw requests to the stateless
// dispatcher (the client's 2026 envelope is the transport's): the call declares the
// extension, the server makes a task, wait() answers inputRequests with the client's
// callback through tasks/update, and a client restarted on the same resume store finds the
// task and fetches its result.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createTaskClient, type TaskClientDeps } from 'mcpwire/client/tasks';
import { RpcError, type ElicitResult } from 'mcpwire/protocol';
import type { McpServer } from 'mcpwire/server';
import { within } from './tasks-fixture.ts';
import { modernTasks, rawRequest, type ModernTasks } from './tasks-modern-kit.ts';

const test = suite('client-tasks-modern');

function tools(server: McpServer): void {
  server.tool({ name: 'ask', description: 'Asks, then answers.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
    return `hello ${String(answer.content?.name)}`;
  });
  server.tool({ name: 'broken', description: 'A JSON-RPC error.', execution: { taskSupport: 'optional' } }, () => {
    throw new RpcError(-32603, 'broken on purpose');
  });
}


/** Deps sending raw 2026 requests; the envelope merges the request's own capabilities like a transport would. */
function deps(t: ModernTasks, store = createMemoryResumeStore(), answer?: TaskClientDeps['answer']): TaskClientDeps {
  return {
    request: rawRequest(t, { elicitation: {} }),
    protocolVersion: () => '2026-07-28',
    serverCapabilities: () => undefined,
    tool: async () => undefined,
    ...(answer ? { answer } : {}),
    resume: { store, serverKey: 'server' },
  };
}

test('callTool as a task: the question is answered with the callback through tasks/update', async () => {
  const t = modernTasks(tools);
  const asked: unknown[] = [];
  const tasks = createTaskClient(deps(t, undefined, async (request) => { asked.push(request.method); return { action: 'accept', content: { name: 'Ada' } } satisfies ElicitResult; }));
  const result = await within(tasks.callTool('ask', {}, { task: true, pollIntervalMs: 10 }));
  assert.equal(result.content, [{ type: 'text', text: 'hello Ada' }]);
  assert.equal(asked, ['elicitation/create']);
  const listed = await tasks.list().then(() => 'listed', (e: Error) => e.message);
  assert.match(listed, /removed/);
});

test('a failed task rejects wait() with its JSON-RPC error', async () => {
  const t = modernTasks(tools);
  const tasks = createTaskClient(deps(t));
  try {
    await within(tasks.callTool('broken', {}, { task: true, pollIntervalMs: 10 }));
    assert.unreachable('should reject');
  } catch (error) {
    assert.instance(error, RpcError);
    assert.is((error as RpcError).code, -32603);
  }
});

test('a client restarted on the same resume store finds the task and gets its result', async () => {
  const t = modernTasks(tools);
  const store = createMemoryResumeStore();
  const first = createTaskClient(deps(t, store));
  const started = await first.start('ask', {}, { task: true });
  assert.ok('task' in started);
  // The first client is gone; a new one, with an answering callback, picks the task up.
  const second = createTaskClient(deps(t, store, async () => ({ action: 'accept', content: { name: 'Grace' } })));
  const [remembered] = await second.remembered();
  assert.is(remembered?.taskId, started.task.taskId);
  const result = await within(second.wait(remembered!.taskId, { pollIntervalMs: 10 }));
  assert.equal(result.content, [{ type: 'text', text: 'hello Grace' }]);
  assert.equal(await second.remembered(), []);
});

test.run();
