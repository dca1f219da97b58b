// The client's helpers for every server feature, end to end over the in-memory pair against
// our fixture server, every message through the schema tap: lists through all pages,
// reads, prompts, completion, logging, subscriptions and every change notification.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient, type ListKind } from 'mcpwire/client';
import { createPeer, McpError, type LoggingMessageParams, type ServerSide } from 'mcpwire/protocol';
import { FIXTURE_PROMPTS, FIXTURE_RESOURCES, FIXTURE_SKILL_RESOURCES, FIXTURE_TOOLS, registerFixtures } from '../conformance/fixtures/index.ts';
import { linkedPair } from './harness.ts';
import { connectClient } from './memory-client.ts';

function fixtureServer(pageSize = 2): McpServer {
  const server = createServer({ name: 'fixtures', version: '1.0.0' }, { pageSize });
  registerFixtures(server);
  return server;
}

const requestsOf = (c: { taps: { messages: ReadonlyArray<{ direction: string; message: unknown }> } }, method: string) =>
  c.taps.messages.filter((m) => m.direction === 'client-to-server' && (m.message as { method?: string }).method === method).length;

const lists = suite('list helpers follow nextCursor through every page');

lists('tools, resources, templates and prompts, in order, two per page', async () => {
  const c = await connectClient(fixtureServer(2));
  assert.equal((await c.client.listTools()).map((t) => t.name), [...FIXTURE_TOOLS]);
  assert.equal((await c.client.listResources()).map((r) => r.uri), [...FIXTURE_RESOURCES, ...FIXTURE_SKILL_RESOURCES]);
  assert.equal((await c.client.listResourceTemplates()).map((t) => t.uriTemplate), ['test://template/{id}/data']);
  assert.equal((await c.client.listPrompts()).map((p) => p.name), [...FIXTURE_PROMPTS]);
  assert.is(requestsOf(c, 'tools/list'), Math.ceil(FIXTURE_TOOLS.length / 2));
  assert.is(requestsOf(c, 'resources/list'), Math.ceil((FIXTURE_RESOURCES.length + FIXTURE_SKILL_RESOURCES.length) / 2));
  assert.is(requestsOf(c, 'prompts/list'), Math.ceil(FIXTURE_PROMPTS.length / 2));
  await c.close();
});

lists('a server whose cursor never ends is stopped at maxPages', async () => {
  const { clientTransport, serverTransport } = linkedPair();
  const server = createPeer<ServerSide>();
  server.onRequest('initialize', () => ({ protocolVersion: '2025-11-25', capabilities: { prompts: {} }, serverInfo: { name: 'loop', version: '1' } }));
  let pages = 0;
  server.onRequest('prompts/list', () => ({ prompts: [{ name: `p${pages}` }], nextCursor: `c${++pages}` }));
  await server.connect(serverTransport);
  const client = createClient({ name: 't', version: '1' }, { maxPages: 3 });
  await client.connect(clientTransport);
  const error = await client.listPrompts().catch((e) => e);
  assert.instance(error, McpError);
  assert.is(error.code, 'MCP_ERR_PROTOCOL');
  assert.is(pages, 3);
  await client.close();
});

lists.run();

const reads = suite('reading resources, prompts and completions');

reads('text, binary and templated resources', async () => {
  const c = await connectClient(fixtureServer());
  const text = await c.client.readResource('test://static-text');
  assert.ok('text' in text.contents[0]! && text.contents[0].text.length > 0);
  const binary = await c.client.readResource('test://static-binary');
  assert.is(binary.contents[0]!.mimeType, 'image/png');
  assert.ok('blob' in binary.contents[0]!);
  assert.match(JSON.stringify(await c.client.readResource('test://template/123/data')), /123/);
  await c.close();
});

reads('prompts with and without arguments; completion of a prompt argument and a template variable', async () => {
  const c = await connectClient(fixtureServer());
  assert.ok((await c.client.getPrompt('test_simple_prompt')).messages.length > 0);
  const withArgs = JSON.stringify(await c.client.getPrompt('test_prompt_with_arguments', { arg1: 'alpha', arg2: 'beta' }));
  assert.match(withArgs, /alpha/);
  assert.match(withArgs, /beta/);
  const prompt = await c.client.complete({ type: 'ref/prompt', name: 'test_prompt_with_arguments' }, { name: 'arg1', value: '' });
  assert.ok(Array.isArray(prompt.values));
  const template = await c.client.complete({ type: 'ref/resource', uri: 'test://template/{id}/data' }, { name: 'id', value: '1' }, { context: { arguments: { other: 'x' } } });
  assert.equal(template.values, ['123']);
  await c.close();
});

reads('a helper for a feature the server did not declare fails locally', async () => {
  const bare = createServer({ name: 'bare', version: '1' });
  const c = await connectClient(bare);
  for (const call of [() => c.client.listResources(), () => c.client.listPrompts(), () => c.client.subscribeResource('x:y'),
    () => c.client.complete({ type: 'ref/prompt', name: 'p' }, { name: 'a', value: '' })]) {
    const error = await call().catch((e) => e);
    assert.instance(error, McpError);
    assert.is(error.code, 'MCP_ERR_CAPABILITY');
  }
  await c.close();
});

reads.run();

const changes = suite('subscriptions and change notifications');

changes('subscribe, hear updates for that URI only, unsubscribe', async () => {
  const updated: string[] = [];
  const server = fixtureServer();
  const c = await connectClient(server, { client: { onResourceUpdated: (uri) => updated.push(uri) } });
  await c.client.subscribeResource('test://watched-resource');
  assert.equal([...c.client.subscriptions], ['test://watched-resource']);
  assert.is(await server.resourceUpdated('test://watched-resource'), 1);
  assert.is(await server.resourceUpdated('test://static-text'), 0);
  await c.settle();
  assert.equal(updated, ['test://watched-resource']);
  assert.equal(c.heard.map((h) => h.method), ['notifications/resources/updated'], 'onNotification hears it too');
  await c.client.unsubscribeResource('test://watched-resource');
  assert.equal([...c.client.subscriptions], []);
  assert.is(await server.resourceUpdated('test://watched-resource'), 0);
  await c.close();
});

changes('tools, prompts and resources list_changed reach onListChanged', async () => {
  const kinds: ListKind[] = [];
  const server = fixtureServer();
  const c = await connectClient(server, { client: { onListChanged: (kind) => kinds.push(kind) } });
  server.tool({ name: 'late_tool', description: 'added later' }, () => 'x');
  server.prompt({ name: 'late_prompt', description: 'added later' }, () => 'x');
  server.resource({ uri: 'test://late', name: 'late' }, () => 'x');
  await c.settle();
  await c.settle();
  assert.equal([...kinds].sort(), ['prompts', 'resources', 'tools']);
  assert.ok((await c.client.listTools()).some((t) => t.name === 'late_tool'));
  await c.close();
});

changes('setLoggingLevel filters the log messages a tool sends', async () => {
  const logs: LoggingMessageParams[] = [];
  const c = await connectClient(fixtureServer(), { client: { onLog: (p) => logs.push(p) } });
  await c.client.setLoggingLevel('info');
  await c.client.callTool('test_tool_with_logging', {});
  assert.is(logs.length, 3);
  assert.is(logs[0]!.level, 'info');
  await c.client.setLoggingLevel('error');
  await c.client.callTool('test_tool_with_logging', {});
  assert.is(logs.length, 3);
  await c.close();
});

changes.run();
