// The eighth peer walk's SDK 1.32 probe (session 32), 2025-11-25 over loopback HTTP: the SDK
// client against our server asking in URL mode and then telling the step complete
// (`ctx.elicitationComplete`), sampling with a tool offered, roots. Prints one line per step,
// read by hand. Usage: node --conditions=mcpwire-source --import tsx test/sdk1-walk8-probe.ts
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ElicitationCompleteNotificationSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';

const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 700));
const WEATHER = { name: 'weather', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

const server = createServer({ name: 'ours', version: '1' });
server.tool({ name: 'sign_in' }, async (_a, ctx) => {
  const answer = await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://bank.example/in', elicitationId: 'ours-1' });
  if (answer.action === 'accept') await ctx.elicitationComplete('ours-1');
  return `ours sign in: ${answer.action}`;
});
server.tool({ name: 'plan' }, async (_a, ctx) => {
  const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }], maxTokens: 9, tools: [WEATHER], toolChoice: { mode: 'required' } });
  return `ours plan: ${JSON.stringify(reply.content)}`;
});
server.tool({ name: 'roots' }, async (_a, ctx) => `ours roots: ${(await ctx.listRoots()).map((r) => r.uri).join(',')}`);
const handler = createMcpHttpHandler(server, { disableHostChecks: true });
const listening = await listen(handler, { port: 0 });
const client = new Client({ name: 'sdk1', version: '1.32' }, { capabilities: { elicitation: { form: {}, url: {} }, sampling: { tools: {} }, roots: {} } });
const completed: string[] = [];
client.setRequestHandler(ElicitRequestSchema, async (r) => { out('  sdk1 asked', r.params); return { action: 'accept' as const }; });
client.setRequestHandler(CreateMessageRequestSchema, async (r) => { out('  sdk1 sample', { tools: r.params.tools?.map((t) => t.name), choice: r.params.toolChoice }); return { role: 'assistant' as const, model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use' as const, id: 'u1', name: 'weather', input: { city: 'Paris' } }] }; });
client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///home/é/p' }] }));
client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => { completed.push(n.params.elicitationId); });
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`)));
  out('version', client.getServerVersion());
  for (const name of ['sign_in', 'plan', 'roots']) {
    try { out(`sdk1 -> ours ${name}`, (await client.callTool({ name, arguments: {} })).content); } catch (e) { out(`sdk1 -> ours ${name} FAILED`, (e as Error).message); }
  }
  out('completed', completed);
} finally {
  await client.close();
  await listening.close();
}
