// Issue #14: a real client in the 2026-07-28 era, over Streamable HTTP, runs a tool as a task
// (the tasks extension) and the task's question (`inputRequests` on `tasks/get`) is answered
// by the same `onElicit` callback a plain call's input round uses, then sent with
// `tasks/update`; an input the client did not declare is refused with a precise error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { taskAnswerer } from 'mcpwire/client/tasks';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryTaskStore, listen, type ListeningServer } from 'mcpwire/transport';
import { within } from './tasks-fixture.ts';

const test = suite('client-tasks-modern-answer');

async function modernServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ name: 'modern-tasks', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore(), pollIntervalMs: 10 } });
  server.tool({ name: 'ask', description: 'Asks a name, then greets.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return `hello ${String(answer.content?.name)}`;
  });
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening: ListeningServer = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await holder.handler!.close(); await listening.close(); } };
}

async function modernClient(url: string, asked: string[]): Promise<McpClient> {
  const client = createClient({ name: 'answer-test', version: '1.0.0' }, {
    era: 'modern',
    onElicit: async (params) => {
      asked.push(params.message);
      return { action: 'accept', content: { name: 'Ada' } };
    },
  });
  await client.connect(createHttpClientTransport({ url }));
  return client;
}

test('a 2026 task\'s form is answered by onElicit, as a plain call\'s would be', async () => {
  const server = await modernServer();
  const asked: string[] = [];
  const client = await modernClient(server.url, asked);
  try {
    assert.is(client.era, 'modern');
    let taskId: string | undefined;
    const result = await within(client.callTool('ask', {}, { task: true, pollIntervalMs: 10, onTask: (t) => { taskId = t.taskId; } }));
    assert.ok(taskId, 'it ran as a task');
    assert.equal(result.content, [{ type: 'text', text: 'hello Ada' }]);
    assert.equal(asked, ['Name?'], 'asked once, through the callback');
    // The same callback serves a plain call's input round.
    const plain = await within(client.callTool('ask', {}));
    assert.equal(plain.content, [{ type: 'text', text: 'hello Ada' }]);
    assert.equal(asked, ['Name?', 'Name?']);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a 2026 task is cancelled with tasks/cancel (the extension, not a 2025 tasks capability)', async () => {
  const server = await modernServer();
  const client = await modernClient(server.url, []);
  try {
    const started = await within(client.tasks.start('ask', {}, { task: true }));
    assert.ok('task' in started, 'it ran as a task');
    await within(client.tasks.cancel(started.task.taskId));
    assert.is((await within(client.tasks.get(started.task.taskId))).status, 'cancelled');
  } finally {
    await client.close();
    await server.close();
  }
});

test('a question the client did not declare is refused by taskAnswerer with MCP_ERR_CAPABILITY, naming it', async () => {
  const answer = taskAnswerer(new Map(), () => undefined);
  const error = await answer({ method: 'sampling/createMessage', params: {} }, 'q1', undefined).then(() => undefined, (e: unknown) => e);
  assert.instance(error, McpError);
  assert.is((error as McpError).code, LocalErrorCode.Capability);
  assert.match((error as Error).message, /"q1" with "sampling\/createMessage"/);
});

test.run();
