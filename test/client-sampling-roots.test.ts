// Sampling with tools, roots with list_changed, tasks helpers and the declared capability
// shape, end to end over the in-memory pair with the schema tap, against a hand-written
// server session (and our fixture server for plain sampling).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createClient, type ClientOptions } from 'mcpwire/client';
import { createPeer, McpError, RpcError, type CreateMessageParams, type CreateMessageResult, type Result, type ToolUseContent, type ServerCapabilities, type ServerSide } from 'mcpwire/protocol';
import { registerFixtures } from '../conformance/fixtures/index.ts';
import { linkedPair } from './harness.ts';
import { connectClient } from './memory-client.ts';

/** A raw server session on the memory pair; `setup` installs the test's handlers first. */
async function fakeServer(options: ClientOptions, setup: (server: ReturnType<typeof createPeer<ServerSide>>) => void = () => {}, capabilities: ServerCapabilities = {}) {
  const { clientTransport, serverTransport, taps } = linkedPair();
  const server = createPeer<ServerSide>();
  let initialize: unknown;
  server.onRequest('initialize', (params) => {
    initialize = params;
    return { protocolVersion: '2025-11-25', capabilities, serverInfo: { name: 'fake', version: '1' } };
  });
  setup(server);
  await server.connect(serverTransport);
  const client = createClient({ name: 't', version: '1' }, options);
  await client.connect(clientTransport);
  await client.ping();
  return { server, client, taps, initialize: () => initialize as { capabilities: Record<string, unknown> } };
}

const weather = { name: 'get_weather', description: 'Weather by city', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
const question: CreateMessageParams = { messages: [{ role: 'user', content: { type: 'text', text: 'Weather in Paris?' } }], maxTokens: 200, tools: [weather], toolChoice: { mode: 'auto' } };

const sampling = suite('sampling, with and without tools');

sampling('plain sampling through our fixture server', async () => {
  const server = createServer({ name: 'f', version: '1' });
  registerFixtures(server);
  const s = await connectClient(server, { client: { onSample: (p) => ({ role: 'assistant', model: 'fake-model', content: { type: 'text', text: `echo ${JSON.stringify(p.messages[0]!.content)}` } }) } });
  const result = await s.client.callTool('test_sampling', { prompt: 'hello' });
  assert.match(JSON.stringify(result.content), /fake-model.*echo/);
  await s.close();
});

sampling('tools offered to a client without sampling.tools: -32602, the model is never asked', async () => {
  let asked = 0;
  const f = await fakeServer({ onSample: () => { asked++; return { role: 'assistant', model: 'm', content: { type: 'text', text: 'x' } }; } });
  assert.equal(f.initialize().capabilities.sampling, {});
  const refused = await f.server.request('sampling/createMessage', question).catch((e) => e);
  assert.instance(refused, RpcError);
  assert.is(refused.code, -32602);
  assert.match(refused.message, /sampling\.tools/);
  assert.is(asked, 0);
  await f.client.close();
  f.taps.assertClean();
});

sampling('a tool loop: tool_use out, tool_result in, final text; declared as sampling.tools', async () => {
  const seen: CreateMessageParams[] = [];
  const f = await fakeServer({
    sampling: { tools: true },
    onSample(params) {
      seen.push(params);
      const last = params.messages.at(-1)!;
      const answered = Array.isArray(last.content) && last.content.some((c) => c.type === 'tool_result');
      return answered
        ? { role: 'assistant', model: 'm', content: { type: 'text', text: 'Sunny in Paris.' }, stopReason: 'endTurn' }
        : { role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'call-1', name: 'get_weather', input: { city: 'Paris' } }], stopReason: 'toolUse' };
    },
  });
  assert.equal(f.initialize().capabilities.sampling, { tools: {} });
  const first = await f.server.request('sampling/createMessage', question) as CreateMessageResult;
  assert.is(first.stopReason, 'toolUse');
  const use = (first.content as ToolUseContent[])[0]!;
  const second = await f.server.request('sampling/createMessage', {
    ...question,
    messages: [...question.messages, { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: use.id, content: [{ type: 'text', text: '22°C, clear' }] }] }],
  });
  assert.equal((second as { content: unknown }).content, { type: 'text', text: 'Sunny in Paris.' });
  assert.is(seen.length, 2);
  await f.client.close();
  f.taps.assertClean();
});

sampling('unanswered tool_use is refused with -32602; a model asking for an unoffered tool is not sent', async () => {
  const errors: Error[] = [];
  const f = await fakeServer({
    sampling: { tools: true },
    onError: (e) => errors.push(e),
    onSample: () => ({ role: 'assistant', model: 'm', content: { type: 'tool_use', id: 'x', name: 'delete_everything', input: {} }, stopReason: 'toolUse' }),
  });
  const unanswered = await f.server.request('sampling/createMessage', {
    ...question,
    messages: [...question.messages, { role: 'assistant', content: { type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Oslo' } } },
      { role: 'user', content: { type: 'text', text: 'and?' } }],
  }).catch((e) => e);
  assert.is(unanswered.code, -32602);
  const rogue = await f.server.request('sampling/createMessage', question).catch((e) => e);
  assert.is(rogue.code, -32603);
  assert.match(rogue.message, /did not offer: \["delete_everything"\]/);
  assert.is((errors[0] as McpError).code, 'MCP_ERR_VALIDATION');
  await f.client.close();
});

sampling('a tool_use whose input the offered inputSchema refuses is not sent; a conforming one is', async () => {
  const errors: Error[] = [];
  const inputs: unknown[] = [{ city: 5 }, {}, { city: 'Paris' }];
  const f = await fakeServer({
    sampling: { tools: true },
    onError: (e) => errors.push(e),
    onSample: () => ({ role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'u1', name: 'get_weather', input: inputs.shift() as Record<string, unknown> }], stopReason: 'toolUse' }),
  });
  const wrongType = await f.server.request('sampling/createMessage', question).catch((e) => e);
  assert.instance(wrongType, RpcError);
  assert.is(wrongType.code, -32603);
  assert.match(wrongType.message, /tool_use "u1" of get_weather has an input its inputSchema refuses: \/city: must be string/);
  const missing = await f.server.request('sampling/createMessage', question).catch((e) => e);
  assert.match(missing.message, /inputSchema refuses: \(root\): must have required property 'city'/);
  assert.equal(errors.map((e) => (e as McpError).code), ['MCP_ERR_VALIDATION', 'MCP_ERR_VALIDATION']);
  const good = await f.server.request('sampling/createMessage', question) as CreateMessageResult;
  assert.equal((good.content as ToolUseContent[])[0]!.input, { city: 'Paris' });
  await f.client.close();
});

sampling.run();

const roots = suite('roots and list_changed');

roots('a fixed list answers roots/list; setRoots replaces it and tells the server', async () => {
  let changed = 0;
  const f = await fakeServer({ roots: [{ uri: 'file:///srv/example/project', name: 'project' }] }, (server) => {
    server.onNotification('notifications/roots/list_changed', () => { changed++; });
  });
  assert.equal(f.initialize().capabilities.roots, { listChanged: true });
  assert.equal(await f.server.request('roots/list', undefined), { roots: [{ uri: 'file:///srv/example/project', name: 'project' }] });
  await f.client.setRoots([{ uri: 'file:///srv/example/other' }]);
  await f.client.ping();
  assert.is(changed, 1);
  assert.equal(await f.server.request('roots/list', undefined), { roots: [{ uri: 'file:///srv/example/other' }] });
  const bad = await f.client.setRoots([{ uri: 'https://example.com/' }]).catch((e) => e);
  assert.is(bad.code, 'MCP_ERR_VALIDATION');
  await f.client.close();
  f.taps.assertClean();
});

roots('onRoots answers; a non-file root it returns is not sent; setRoots is for fixed lists', async () => {
  let list = [{ uri: 'file:///a' }];
  const f = await fakeServer({ onRoots: () => list, onError: () => {} });
  assert.equal(await f.server.request('roots/list', undefined), { roots: [{ uri: 'file:///a' }] });
  list = [{ uri: 'ftp://b' }];
  const refused = await f.server.request('roots/list', undefined).catch((e) => e);
  assert.is(refused.code, -32603);
  assert.match(refused.message, /not a file:\/\/ URI/);
  assert.is((await f.client.setRoots([]).catch((e) => e)).code, 'MCP_ERR_STATE');
  await f.client.rootsChanged();
  await f.client.close();
});

roots('without roots, roots/list is unknown and rootsChanged is refused locally', async () => {
  const f = await fakeServer({});
  assert.equal(f.initialize().capabilities, {});
  assert.is((await f.server.request('roots/list', undefined).catch((e) => e)).code, -32601);
  assert.is((await f.client.rootsChanged().catch((e) => e)).code, 'MCP_ERR_CAPABILITY');
  await f.client.close();
});

roots.run();

const tasks = suite('tasks helpers');

tasks('get, result, list through pages and cancel', async () => {
  const task = { taskId: 't1', status: 'working' as const, createdAt: '2025-11-25T10:00:00Z', lastUpdatedAt: '2025-11-25T10:00:01Z', ttl: 60_000 };
  const f = await fakeServer({}, (server) => {
    server.onRequest('tasks/get', ({ taskId }) => ({ ...task, taskId }));
    server.onRequest('tasks/result', () => ({ content: [{ type: 'text', text: 'done' }] }) as Result);
    server.onRequest('tasks/list', (params) => params?.cursor === undefined
      ? { tasks: [task], nextCursor: 'p2' }
      : { tasks: [{ ...task, taskId: 't2', status: 'completed' }] });
    server.onRequest('tasks/cancel', ({ taskId }) => ({ ...task, taskId, status: 'cancelled' }));
  }, { tasks: { list: {}, cancel: {} } });
  assert.is((await f.client.getTask('t9')).taskId, 't9');
  assert.equal(await f.client.getTaskResult<{ content: unknown[] }>('t1'), { content: [{ type: 'text', text: 'done' }] });
  assert.equal((await f.client.listTasks()).map((t) => t.taskId), ['t1', 't2']);
  assert.is((await f.client.cancelTask('t1')).status, 'cancelled');
  await f.client.close();
});

tasks.run();
