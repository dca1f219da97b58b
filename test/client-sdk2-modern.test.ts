// Interop in the 2026-07-28 era with the official SDK 2.4 (devDependency): our client against
// its modern-only stateless handler (`createMcpHandler`, `legacy: 'reject'`), and its client
// (pinned to 2026-07-28) against our modern-only server: tools, progress, elicitation by MRTR.
// Loopback on port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Server, createMcpHandler, inputRequired, acceptedContent } from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const NAME_SCHEMA = { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] };

function sdkServer(): Server {
  const server = new Server({ name: 'sdk-modern', version: '2.4.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({
    tools: [{ name: 'count', inputSchema: { type: 'object' as const } }, { name: 'greet', inputSchema: { type: 'object' as const } }],
  }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    if (request.params.name === 'count') {
      const token = request.params._meta?.progressToken;
      for (const progress of [1, 2, 3]) if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total: 3 } });
      return { content: [{ type: 'text' as const, text: 'counted' }] };
    }
    const answer = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'who');
    if (!answer) return inputRequired({ inputRequests: { who: inputRequired.elicit({ message: 'Who?', requestedSchema: NAME_SCHEMA }) }, requestState: 'sdk-state' }) as never;
    return { content: [{ type: 'text' as const, text: `hello ${answer.name}` }] };
  });
  return server;
}

const interop = suite('2026-07-28 interop with the official SDK 2.4');

interop('our client against the SDK\'s modern-only stateless handler: discover, tools, progress, elicitation by MRTR', async () => {
  const handler = createMcpHandler(() => sdkServer(), { legacy: 'reject', keepAliveMs: 0 });
  const listening = await listen((request) => handler.fetch(request), { port: 0 });
  const client = createClient({ name: 'mcpwire', version: '1' }, {
    era: 'auto', eraCache: false,
    onElicit: async (params) => ({ action: 'accept', content: { name: params.message === 'Who?' ? 'Ada' : '?' } }),
  });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    assert.is(client.era, 'modern');
    assert.is(client.serverInfo?.name, 'sdk-modern');
    assert.equal((await client.listTools()).map((t) => t.name), ['count', 'greet']);
    const progress: number[] = [];
    const counted = await client.callTool('count', {}, { onProgress: (p) => progress.push(p.progress) });
    assert.equal(counted.content, [{ type: 'text', text: 'counted' }]);
    assert.equal(progress, [1, 2, 3]);
    assert.equal((await client.callTool('greet', {})).content, [{ type: 'text', text: 'hello Ada' }]);
  } finally {
    await client.close();
    await handler.close();
    await listening.close();
  }
});

interop('the SDK client pinned to 2026-07-28 against our modern-only server: tools, progress, elicitation by MRTR', async () => {
  const server = createServer({ name: 'ours', version: '1' });
  server.tool({ name: 'count', description: 'Counts.' }, async (_args, ctx) => {
    for (const step of [1, 2, 3]) await ctx.progress(step, 3);
    return 'counted';
  });
  server.tool({ name: 'greet', description: 'Asks a name.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Who?', requestedSchema: NAME_SCHEMA }, { key: 'who' });
    return `hello ${String(answer.content?.name)}`;
  });
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  const client = new Client({ name: 'sdk-client', version: '2.4.0' }, {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept' as const, content: { name: 'Grace' } }));
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
    const tools = await client.listTools();
    assert.equal(tools.tools.map((t) => t.name).sort(), ['count', 'greet']);
    const progress: number[] = [];
    const counted = await client.callTool({ name: 'count', arguments: {} }, { onprogress: (p: { progress: number }) => progress.push(p.progress) });
    assert.equal(counted.content, [{ type: 'text', text: 'counted' }]);
    assert.equal(progress, [1, 2, 3]);
    const greeted = await client.callTool({ name: 'greet', arguments: {} });
    assert.equal(greeted.content, [{ type: 'text', text: 'hello Grace' }]);
  } finally {
    await client.close();
    await holder.handler.close();
    await listening.close();
  }
});

interop.run();
