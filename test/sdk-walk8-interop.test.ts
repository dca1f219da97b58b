// The official TypeScript SDKs (devDependencies) and ours on what the eighth peer walk opened
// (session 32's hand-read probes, checked since session 34), over loopback HTTP: URL-mode
// elicitation (no elicitationId in 2026-07-28, an id and its completion notice in 2025-11-25),
// sampling with a tool offered and `toolChoice`, roots with a non-ASCII path. SDK 2.4 both ways in
// 2026-07-28; SDK 1.32's client against our server in 2025-11-25.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Server, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Transport1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ElicitationCompleteNotificationSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const WEATHER = { name: 'weather', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };
const TOOL_USE = { type: 'tool_use' as const, id: 'u1', name: 'weather', input: { city: 'Paris' } };
const textOf = (r: object) => ((r as { content?: Array<{ text?: string }> }).content ?? [])[0]?.text;

/** SDK 2.4's low-level server asking in input rounds: a URL step, then sampling with a tool. */
function sdkServer(): Server {
  const server = new Server({ name: 'sdk-walk8', version: '2.4.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'sign_in', inputSchema: { type: 'object' as const } }, { name: 'plan', inputSchema: { type: 'object' as const } }] }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const answers = ctx.mcpReq.inputResponses as Record<string, unknown> | undefined;
    if (request.params.name === 'sign_in') {
      if (!answers?.login) return inputRequired({ inputRequests: { login: inputRequired.elicitUrl({ message: 'Sign in', url: 'https://bank.example/in' }) } }) as never;
      return { content: [{ type: 'text' as const, text: `sdk sign in: ${JSON.stringify(answers.login)}` }] };
    }
    if (!answers?.one) {
      return inputRequired({ inputRequests: { one: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }], maxTokens: 9, tools: [WEATHER], toolChoice: { mode: 'required' } }) } }) as never;
    }
    return { content: [{ type: 'text' as const, text: `sdk plan: ${JSON.stringify(answers.one)}` }] };
  });
  return server;
}

/** Our server with the same three tools; `elicitationId` names the URL step in 2025-11-25. */
function ourServer(elicitationId?: string): McpServer {
  const server = createServer({ name: 'ours', version: '1' });
  server.tool({ name: 'sign_in' }, async (_a, ctx) => {
    const answer = await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://bank.example/in', ...(elicitationId ? { elicitationId } : {}) }, { key: 'login' });
    if (elicitationId && answer.action === 'accept') await ctx.elicitationComplete(elicitationId);
    return `ours sign in: ${answer.action}`;
  });
  server.tool({ name: 'plan' }, async (_a, ctx) => {
    const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }], maxTokens: 9, tools: [WEATHER], toolChoice: { mode: 'required' } }, { key: 'one' });
    return `ours plan: ${JSON.stringify(reply.content)}`;
  });
  server.tool({ name: 'roots' }, async (_a, ctx) => `ours roots: ${(await ctx.listRoots({ key: 'r' })).map((r) => r.uri).join(',')}`);
  return server;
}

/** An SDK client's `plan` and `roots` calls on our server: its model's tool use returned, the tool offered, its roots. */
async function planAndRoots(callTool: (name: string) => Promise<object>, asked: unknown[]): Promise<void> {
  assert.is(textOf(await callTool('plan')), `ours plan: ${JSON.stringify([{ type: 'tool_use', name: 'weather', id: 'u1', input: { city: 'Paris' } }])}`);
  assert.equal(asked[1], { tools: ['weather'], choice: { mode: 'required' } });
  assert.is(textOf(await callTool('roots')), 'ours roots: file:///home/é/p');
}

const walk = suite('SDKs and ours: URL elicitation, sampling with a tool, roots');

walk('our client -> SDK 2.4 createMcpHandler (2026-07-28): the URL step without an id, sampling with a tool', async () => {
  const handler = createMcpHandler(() => sdkServer(), { legacy: 'reject', keepAliveMs: 0 });
  const listening = await listen((request) => handler.fetch(request), { port: 0 });
  const errors: string[] = [];
  const asked: unknown[] = [];
  const client = createClient({ name: 'mcpwire', version: '1' }, {
    era: 'auto', eraCache: false, elicitation: { modes: ['form', 'url'] }, sampling: { tools: true }, onError: (e) => errors.push(e.message),
    onElicit: async (p) => { asked.push(p); return { action: 'accept' }; },
    onSample: async (p) => { asked.push({ tools: p.tools?.map((t) => t.name), choice: p.toolChoice }); return { role: 'assistant', model: 'm', stopReason: 'toolUse', content: [TOOL_USE] }; },
  });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    assert.is(client.era, 'modern');
    assert.is(textOf(await client.callTool('sign_in', {})), 'sdk sign in: {"action":"accept"}');
    assert.equal(asked, [{ message: 'Sign in', url: 'https://bank.example/in', mode: 'url' }]);
    assert.is(textOf(await client.callTool('plan', {})), `sdk plan: ${JSON.stringify({ role: 'assistant', model: 'm', stopReason: 'toolUse', content: [TOOL_USE] })}`);
    assert.equal(asked[1], { tools: ['weather'], choice: { mode: 'required' } });
    assert.equal(errors, []);
  } finally {
    await client.close();
    await handler.close();
    await listening.close();
  }
});

walk('SDK 2.4 client (pinned 2026-07-28) -> our modern server: the URL step without an id, sampling with a tool, roots', async () => {
  const handler = createMcpHttpHandler(ourServer(), { eras: 'modern', disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const asked: unknown[] = [];
  const client = new Client({ name: 'sdk', version: '2.4.0' }, {
    capabilities: { elicitation: { form: {}, url: {} }, sampling: { tools: {} }, roots: {} },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  client.setRequestHandler('elicitation/create', async (r) => { asked.push(r.params); return { action: 'accept' as const }; });
  client.setRequestHandler('sampling/createMessage', async (r) => { asked.push({ tools: r.params.tools?.map((t) => t.name), choice: r.params.toolChoice }); return { role: 'assistant' as const, model: 'm', stopReason: 'toolUse', content: [TOOL_USE] }; });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///home/é/p' }] }));
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
    assert.is(textOf(await client.callTool({ name: 'sign_in', arguments: {} })), 'ours sign in: accept');
    // 2026-07-28 client/elicitation: mode, message, url; no elicitationId in this version.
    assert.equal(asked, [{ mode: 'url', message: 'Sign in', url: 'https://bank.example/in' }]);
    await planAndRoots((name) => client.callTool({ name, arguments: {} }), asked);
  } finally {
    await client.close();
    await listening.close();
  }
});

walk('SDK 1.32 client -> our server (2025-11-25): the URL step with its id and completion, sampling with a tool, roots', async () => {
  const handler = createMcpHttpHandler(ourServer('ours-1'), { disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const client = new Client1({ name: 'sdk1', version: '1.32' }, { capabilities: { elicitation: { form: {}, url: {} }, sampling: { tools: {} }, roots: {} } });
  const asked: unknown[] = [];
  let heard!: (id: string) => void;
  const completed = new Promise<string>((resolve) => { heard = resolve; });
  client.setRequestHandler(ElicitRequestSchema, async (r) => { asked.push(r.params); return { action: 'accept' as const }; });
  client.setRequestHandler(CreateMessageRequestSchema, async (r) => { asked.push({ tools: r.params.tools?.map((t) => t.name), choice: r.params.toolChoice }); return { role: 'assistant' as const, model: 'm', stopReason: 'toolUse', content: [TOOL_USE] }; });
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///home/é/p' }] }));
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => heard(n.params.elicitationId));
  try {
    await client.connect(new Transport1(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
    assert.is(textOf(await client.callTool({ name: 'sign_in', arguments: {} })), 'ours sign in: accept');
    assert.equal(asked, [{ mode: 'url', message: 'Sign in', elicitationId: 'ours-1', url: 'https://bank.example/in' }]);
    // 2025-11-25 client/elicitation: the server may tell the client the URL step completed.
    assert.is(await completed, 'ours-1');
    await planAndRoots((name) => client.callTool({ name, arguments: {} }), asked);
  } finally {
    await client.close();
    await listening.close();
  }
});

walk.run();
