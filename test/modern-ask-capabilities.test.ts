// What a 2026-07-28 server may ask in an InputRequiredResult depends on the sub-capabilities the
// request declares, as in 2025-11-25: client/elicitation "Servers MUST NOT send elicitation
// requests with modes that are not supported by the client" (`elicitation: {}` is form only);
// client/sampling "Servers MUST NOT send tool-enabled sampling requests to Clients that have not
// declared ... sampling.tools", and `includeContext` SHOULD NOT be used without sampling.context.
// The modern server checked only the top-level capability and asked anyway. And a URL mode
// request's `url` MUST be a valid URL (client/elicitation, URL mode), in both eras.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { createClient } from '../client/client.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { Exchange, request } from './modern-kit.ts';
import { modernTasks, TASKS } from './tasks-modern-kit.ts';

const hi = [{ role: 'user' as const, content: { type: 'text' as const, text: 'hi' } }];

function askingServer() {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'url' }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ mode: 'url', url: 'https://example.com/x', message: 'go' })));
  server.tool({ name: 'bad_url' }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ mode: 'url', url: 'not a url', message: 'go' })));
  server.tool({ name: 'form' }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ message: 'n?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } })));
  server.tool({ name: 'sample_tools' }, async (_a, ctx) => JSON.stringify(await ctx.sample({ messages: hi, maxTokens: 5, tools: [{ name: 't', inputSchema: { type: 'object' } }] })));
  server.tool({ name: 'sample_context' }, async (_a, ctx) => JSON.stringify(await ctx.sample({ messages: hi, maxTokens: 5, includeContext: 'thisServer' })));
  return server;
}

const modern = suite('2026-07-28 server: an input request needs the sub-capability it uses');

modern('a mode, sampling.tools or sampling.context the request did not declare is -32021 naming it; nothing is asked', async () => {
  const x = new Exchange(askingServer());
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['url', { elicitation: {} }, { elicitation: { url: {} } }],
    ['url', { elicitation: { form: {} } }, { elicitation: { url: {} } }],
    ['form', { elicitation: { url: {} } }, { elicitation: { form: {} } }],
    ['sample_tools', { sampling: {} }, { sampling: { tools: {} } }],
    ['sample_context', { sampling: {} }, { sampling: { context: {} } }],
  ];
  for (const [tool, caps, required] of cases) {
    const error = await x.error(request('tools/call', { name: tool }, caps), 400);
    assert.is(error.code, -32021, `${tool} with ${JSON.stringify(caps)}: ${error.message}`);
    assert.equal(error.data, { requiredCapabilities: required }, tool);
  }
});

modern('with the sub-capability declared, the same requests are asked', async () => {
  const x = new Exchange(askingServer());
  const cases: Array<[string, Record<string, unknown>]> = [
    ['url', { elicitation: { url: {} } }], ['form', { elicitation: {} }], ['form', { elicitation: { form: {} } }],
    ['sample_tools', { sampling: { tools: {} } }], ['sample_context', { sampling: { context: {} } }],
  ];
  for (const [tool, caps] of cases) {
    const result = await x.result(request('tools/call', { name: tool }, caps));
    assert.is(result.resultType, 'input_required', `${tool} with ${JSON.stringify(caps)}`);
  }
});

modern('a URL mode request whose url is not a URL is refused before it is sent', async () => {
  const x = new Exchange(askingServer());
  const result = await x.result(request('tools/call', { name: 'bad_url' }, { elicitation: { url: {} } }));
  assert.is(result.resultType, 'complete', JSON.stringify(result));
  assert.is(result.isError, true);
  assert.match(result.content[0].text, /"not a url" is not a valid URL/);
});

modern('inside a task too: a URL question to a form-only client ends the task with a tool error, never input_required', async () => {
  const t = modernTasks((server) => {
    server.tool({ name: 'url_task', execution: { taskSupport: 'required' } }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ mode: 'url', url: 'https://example.com/x', message: 'go' })));
  });
  const { taskId } = await t.call('tools/call', { name: 'url_task' }, { elicitation: {}, extensions: { [TASKS]: {} } });
  await t.reached(taskId, 'completed');
  const done = await t.call('tasks/get', { taskId });
  assert.is(done.result.isError, true);
  assert.match(done.result.content[0].text, /the client did not declare elicitation mode "url", so elicitation\/create cannot be asked/);
  assert.not.ok(t.events.some((e) => e.type === 'task_changed' && e.task.taskId === taskId && e.task.status === 'input_required'), 'never input_required');
});

const legacy = suite('2025-11-25 server: a URL mode request needs a valid url');

legacy('ctx.elicit with url "not a url" fails in the tool; nothing reaches the client', async () => {
  const [a, b] = createMemoryPair();
  const server = askingServer();
  let asked = 0;
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy', onElicit: async () => { asked++; return { action: 'accept' }; }, elicitation: { modes: ['form', 'url'] } });
  await server.connect(a);
  await client.connect(b);
  try {
    const result = await client.callTool('bad_url', {});
    assert.is(result.isError, true, JSON.stringify(result));
    assert.match((result.content[0] as { text: string }).text, /"not a url" is not a valid URL/);
    assert.is(asked, 0);
  } finally {
    await client.close();
    await server.close();
  }
});

modern.run();
legacy.run();
