// The eighth peer walk's SDK 2.4 probe (session 32), 2026-07-28 over loopback HTTP, both ways:
// our client against the SDK's modern-only handler asking in URL mode (no elicitationId in this
// era) and for sampling with a tool; the SDK client (pinned to 2026-07-28) against our
// test/peer-walk8-server.ts tools served in process. Prints one line per step, read by hand.
// Usage: node --conditions=mcpwire-source --import tsx test/sdk2-walk8-probe.ts
import { Server, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 700));
const WEATHER = { name: 'weather', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

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

async function ourClientAgainstSdk(): Promise<void> {
  const handler = createMcpHandler(() => sdkServer(), { legacy: 'reject', keepAliveMs: 0 });
  const listening = await listen((request) => handler.fetch(request), { port: 0 });
  const errors: string[] = [];
  const client = createClient({ name: 'mcpwire', version: '1' }, {
    era: 'auto', eraCache: false, elicitation: { modes: ['form', 'url'] }, sampling: { tools: true }, onError: (e) => errors.push(e.message),
    onElicit: async (p) => { out('  asked', p); return { action: 'accept' }; },
    onSample: async (p) => { out('  sample', { tools: p.tools?.map((t) => t.name), choice: p.toolChoice }); return { role: 'assistant', model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use', id: 'u1', name: 'weather', input: { city: 'Paris' } }] }; },
  });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    out('ours -> sdk era', client.era);
    for (const name of ['sign_in', 'plan']) {
      try { out(name, (await client.callTool(name, {})).content); } catch (e) { out(`${name} FAILED`, (e as Error).message); }
    }
    out('errors', errors);
  } finally {
    await client.close();
    await handler.close();
    await listening.close();
  }
}

async function sdkClientAgainstOurs(): Promise<void> {
  const server = createServer({ name: 'ours', version: '1' });
  server.tool({ name: 'sign_in' }, async (_a, ctx) => `ours sign in: ${(await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://bank.example/in' }, { key: 'login' })).action}`);
  server.tool({ name: 'plan' }, async (_a, ctx) => {
    const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }], maxTokens: 9, tools: [WEATHER], toolChoice: { mode: 'required' } }, { key: 'one' });
    return `ours plan: ${JSON.stringify(reply.content)}`;
  });
  server.tool({ name: 'roots' }, async (_a, ctx) => `ours roots: ${(await ctx.listRoots({ key: 'r' })).map((r) => r.uri).join(',')}`);
  const handler = createMcpHttpHandler(server, { eras: 'modern', disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const client = new Client({ name: 'sdk', version: '2.4.0' }, {
    capabilities: { elicitation: { form: {}, url: {} }, sampling: { tools: {} }, roots: {} },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  client.setRequestHandler('elicitation/create', async (r) => { out('  sdk asked', r.params); return { action: 'accept' as const }; });
  client.setRequestHandler('sampling/createMessage', async (r) => { out('  sdk sample', { tools: r.params.tools?.map((t) => t.name), choice: r.params.toolChoice }); return { role: 'assistant' as const, model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use' as const, id: 'u1', name: 'weather', input: { city: 'Paris' } }] }; });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///home/é/p' }] }));
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
    for (const name of ['sign_in', 'plan', 'roots']) {
      try { out(`sdk -> ours ${name}`, (await client.callTool({ name, arguments: {} })).content); } catch (e) { out(`sdk -> ours ${name} FAILED`, (e as Error).message); }
    }
  } finally {
    await client.close();
    await listening.close();
  }
}

await ourClientAgainstSdk();
await sdkClientAgainstOurs();
