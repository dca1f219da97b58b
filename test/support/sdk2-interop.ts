/**
 * For the interop tests with the official SDK 2.4 (devDependency): our server with a little
 * of everything, the SDK's high-level server with the same kinds of things, the SDK client
 * as a host would configure it, and the calls both ends must serve alike. Test-only.
 */
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/client';
import { McpServer as SdkMcpServer, ResourceTemplate, completable } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { McpClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';

/** One server with a little of everything. `cancelled` resolves when `slow` sees its abort. */
export function fullServer(): { server: McpServer; cancelled: Promise<void> } {
  const server = createServer({ name: 'ours', version: '1.0.0' });
  let sawAbort!: () => void;
  const cancelled = new Promise<void>((resolve) => { sawAbort = resolve; });
  server.resource({ uri: 'memo://readme', name: 'readme', mimeType: 'text/plain' }, () => 'read me');
  server.resourceTemplate({
    uriTemplate: 'memo://notes/{topic}', name: 'note',
    complete: { topic: (value) => ['alpha', 'beta', 'gamma'].filter((t) => t.startsWith(value)) },
  }, (_uri, { topic }) => `note on ${String(topic)}`);
  server.prompt({
    name: 'review', arguments: [{ name: 'path', required: true }],
    complete: { path: (value) => ['a.ts', 'b.ts'].filter((p) => p.startsWith(value)) },
  }, (args) => `Review ${String(args.path)}.`);
  server.tool({
    name: 'weather',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    outputSchema: { type: 'object', properties: { celsius: { type: 'number' } }, required: ['celsius'] },
  }, async ({ city }) => ({ structuredContent: { celsius: city.length } }));
  server.tool({ name: 'broken', description: 'Always fails.' }, async () => { throw new Error('the gauge is broken'); });
  server.tool({ name: 'ask_model', description: 'Asks the host model.' }, async (_args, ctx) => {
    const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 5 }, { key: 'hi' });
    const first = Array.isArray(reply.content) ? reply.content[0] : reply.content;
    return first?.type === 'text' ? `model said ${first.text}` : 'model said nothing';
  });
  server.tool({ name: 'roots', description: 'Lists the client roots.' }, async (_args, ctx) => {
    const roots = await ctx.listRoots({ key: 'roots' });
    return roots.map((root) => root.uri).join(',');
  });
  server.tool({ name: 'chatty', description: 'Logs, then answers.' }, async (_args, ctx) => {
    await ctx.log('warning', 'low battery');
    return 'said it';
  });
  server.tool({ name: 'slow', description: 'Waits until cancelled.' }, (_args, ctx) => new Promise<string>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => { sawAbort(); reject(new Error('cancelled')); }, { once: true });
  }));
  return { server, cancelled };
}

/** The SDK client with sampling, roots and forms, in `mode`. */
export function sdkClient(mode: 'legacy' | 'auto' | { pin: string }): Client {
  const client = new Client({ name: 'sdk-client', version: '2.4.0' }, {
    capabilities: { sampling: {}, roots: { listChanged: true }, elicitation: { form: {} } },
    versionNegotiation: { mode },
  });
  client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant' as const, content: { type: 'text' as const, text: 'hi' }, model: 'fake' }));
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  return client;
}

export function textOf(result: { content?: unknown }): string {
  const first = (result.content as Array<{ type: string; text?: string }> | undefined)?.[0];
  return first?.type === 'text' ? first.text ?? '' : JSON.stringify(result.content);
}

/** What both eras must serve alike. */
export async function commonBattery(client: Client): Promise<void> {
  assert.equal((await client.listResources()).resources.map((r) => r.uri), ['memo://readme']);
  assert.equal((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate), ['memo://notes/{topic}']);
  const readme = await client.readResource({ uri: 'memo://readme' });
  assert.equal(readme.contents.map((c) => ('text' in c ? c.text : '')), ['read me']);
  const note = await client.readResource({ uri: 'memo://notes/beta' });
  assert.equal(note.contents.map((c) => ('text' in c ? c.text : '')), ['note on beta']);
  assert.equal((await client.listPrompts()).prompts.map((p) => p.name), ['review']);
  const prompt = await client.getPrompt({ name: 'review', arguments: { path: 'a.ts' } });
  assert.equal(prompt.messages[0]?.content, { type: 'text', text: 'Review a.ts.' });
  const byPrompt = await client.complete({ ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'path', value: 'b' } });
  assert.equal(byPrompt.completion.values, ['b.ts']);
  const byTemplate = await client.complete({ ref: { type: 'ref/resource', uri: 'memo://notes/{topic}' }, argument: { name: 'topic', value: 'g' } });
  assert.equal(byTemplate.completion.values, ['gamma']);
  const tools = (await client.listTools()).tools;
  assert.ok(tools.some((t) => t.name === 'weather' && t.outputSchema !== undefined), JSON.stringify(tools));
  const weather = await client.callTool({ name: 'weather', arguments: { city: 'Oslo' } });
  assert.equal(weather.structuredContent, { celsius: 4 });
  const broken = await client.callTool({ name: 'broken', arguments: {} });
  assert.is(broken.isError, true);
  assert.match(textOf(broken), /the gauge is broken/);
  let unknown: unknown;
  try { await client.callTool({ name: 'no_such_tool', arguments: {} }); } catch (error) { unknown = error; }
  // 2025-11-25 server/tools: an unknown tool is a protocol error (-32602), not a result.
  assert.is((unknown as { code?: unknown } | undefined)?.code, -32602, String(unknown));
  assert.is(textOf(await client.callTool({ name: 'ask_model', arguments: {} })), 'model said hi');
  assert.is(textOf(await client.callTool({ name: 'roots', arguments: {} })), 'file:///work');
}

/** The SDK's high-level server with a resource, a template, a prompt with completion and two tools. */
export function sdkServer(): SdkMcpServer {
  const server = new SdkMcpServer({ name: 'sdk-full', version: '2.4.0' });
  server.registerResource('readme', 'memo://readme', { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'read me' }] }));
  server.registerResource('note', new ResourceTemplate('memo://notes/{topic}', {
    list: undefined, complete: { topic: (value) => ['alpha', 'beta', 'gamma'].filter((t) => t.startsWith(value)) },
  }), {}, async (uri, { topic }) => ({ contents: [{ uri: uri.href, text: `note on ${String(topic)}` }] }));
  server.registerPrompt('review', { argsSchema: z.object({ path: completable(z.string(), (value) => ['a.ts', 'b.ts'].filter((p) => p.startsWith(value))) }) },
    ({ path }) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: `Review ${path}.` } }] }));
  server.registerTool('weather', { inputSchema: z.object({ city: z.string() }), outputSchema: z.object({ celsius: z.number() }) },
    async ({ city }) => ({ content: [{ type: 'text' as const, text: `${city.length}` }], structuredContent: { celsius: city.length } }));
  server.registerTool('broken', { description: 'Always fails.' }, async () => ({ isError: true, content: [{ type: 'text' as const, text: 'the gauge is broken' }] }));
  return server;
}

/** What our client must get from the SDK's server in either era. */
export async function sdkBattery(client: McpClient): Promise<void> {
  assert.equal((await client.listResources()).map((r) => r.uri), ['memo://readme']);
  assert.equal((await client.listResourceTemplates()).map((t) => t.uriTemplate), ['memo://notes/{topic}']);
  assert.equal((await client.readResource('memo://notes/beta')).contents.map((c) => ('text' in c ? c.text : '')), ['note on beta']);
  assert.equal((await client.listPrompts()).map((p) => p.name), ['review']);
  assert.equal((await client.getPrompt('review', { path: 'a.ts' })).messages[0]?.content, { type: 'text', text: 'Review a.ts.' });
  assert.equal((await client.complete({ type: 'ref/prompt', name: 'review' }, { name: 'path', value: 'b' })).values, ['b.ts']);
  assert.equal((await client.complete({ type: 'ref/resource', uri: 'memo://notes/{topic}' }, { name: 'topic', value: 'g' })).values, ['gamma']);
  assert.equal((await client.callTool('weather', { city: 'Oslo' })).structuredContent, { celsius: 4 });
  const broken = await client.callTool('broken', {});
  assert.is(broken.isError, true);
  assert.match(textOf(broken), /the gauge is broken/);
}
