// A 2026-07-28 `tools/call` run as a task may first answer with an InputRequiredResult and
// only become a task on the retry (SEP-2663 with basic/patterns/mrtr: "a tool that gathers
// input via the MRTR loop and then escalates to async returns a CreateTaskResult on that final
// round"). The client's task call runs those rounds with the plain call's callbacks instead of
// handing the InputRequiredResult back as the tool's result.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike, type McpClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer, type McpHttpHandler } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { within } from './tasks-fixture.ts';

const test = suite('client-tasks-modern-inline');

function inlineFirstServer(): McpHttpHandler {
  const server = createServer({ name: 'inline-first', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore(), pollIntervalMs: 10 } });
  server.tool({ name: 'ask_then_task', description: 'Asks a name inline, then works as a task.', execution: { taskSupport: 'required' } }, async (_a, ctx) => {
    const first = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return `hello ${String(first.content?.name)} in a task`;
  });
  server.tasks!.setInlineFirst('ask_then_task');
  return createMcpHttpHandler(server, { eras: 'modern', disableHostChecks: true });
}

async function connect(handler: McpHttpHandler, asked: string[], methods: string[]): Promise<McpClient> {
  const fetch: FetchLike = async (url, init) => {
    methods.push(JSON.parse(String(init.body)).method);
    return handler.handle(new Request(url, init as RequestInit));
  };
  const client = createClient({ name: 'inline-test', version: '1.0.0' }, {
    era: 'modern', eraCache: false,
    onElicit: async (params) => {
      asked.push(params.message);
      return { action: 'accept', content: { name: 'Ada' } };
    },
  });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1/mcp', fetch }));
  return client;
}

test('callTool with task: true answers the inline round, then waits for the task it became', async () => {
  const handler = inlineFirstServer();
  const asked: string[] = [];
  const methods: string[] = [];
  const client = await connect(handler, asked, methods);
  try {
    let taskId: string | undefined;
    const result = await within(client.callTool('ask_then_task', {}, { task: true, pollIntervalMs: 10, onTask: (t) => { taskId = t.taskId; } }));
    assert.equal(result.content, [{ type: 'text', text: 'hello Ada in a task' }]);
    assert.equal(asked, ['Name?'], 'the inline question went to onElicit once');
    assert.ok(taskId, 'the retry became a task');
    assert.equal(methods.filter((m) => m === 'tools/call').length, 2, 'the first round and one retry');
  } finally {
    await client.close();
    await handler.close();
  }
});

test('tasks.start returns the task the retry created, not the InputRequiredResult', async () => {
  const handler = inlineFirstServer();
  const client = await connect(handler, [], []);
  try {
    const started = await within(client.tasks.start('ask_then_task', {}, { task: true }));
    assert.ok('task' in started, JSON.stringify(started));
  } finally {
    await client.close();
    await handler.close();
  }
});

test.run();
