/**
 * Session 33's walk of `mcpwire check --client` over sampling with tools: a client on the
 * official TypeScript SDK (1.32 `@modelcontextprotocol/sdk`, or 2.4 `@modelcontextprotocol/client`,
 * 2026-07-28 pinned, or `sdk2-legacy`: its default negotiation) that declares sampling, with `sampling.tools` or without, and answers with a
 * model that uses the first offered tool unless toolChoice is "none" (as a model told nothing
 * else would). Lists and calls every tool, check_ask first (the scripted server expires the
 * session after the first call, and neither SDK initializes anew), then closes. Read by hand; not in a test file.
 * Usage: node --import tsx test/sdk-sampling-walk18-client.ts <sdk1|sdk2|sdk2-legacy> <tools|no-tools> <url>
 */
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Http1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as Client2, StreamableHTTPClientTransport as Http2 } from '@modelcontextprotocol/client';

const [which, tools, url] = process.argv.slice(2);
if (url === undefined || (which !== 'sdk1' && which !== 'sdk2' && which !== 'sdk2-legacy')) {
  process.stderr.write('usage: sdk-sampling-walk18-client.ts <sdk1|sdk2|sdk2-legacy> <tools|no-tools> <url>\n');
  process.exit(2);
}
interface Ask { params: { tools?: Array<{ name: string }>; toolChoice?: { mode?: string } } }
const model = (r: Ask) => (r.params.tools?.[0] !== undefined && r.params.toolChoice?.mode !== 'none'
  ? { role: 'assistant' as const, model: 'walk', stopReason: 'toolUse', content: { type: 'tool_use' as const, id: 'walk-1', name: r.params.tools[0].name, input: {} } }
  : { role: 'assistant' as const, model: 'walk', content: { type: 'text' as const, text: 'ok' } });
const capabilities = { sampling: tools === 'tools' ? { tools: {} } : {}, elicitation: { form: {} } };
const form = () => ({ action: 'accept' as const, content: { name: 'walk' } });
const askFirst = <T extends { name: string }>(list: T[]): T[] => [...list].sort((a, b) => Number(b.name === 'check_ask') - Number(a.name === 'check_ask'));
if (which === 'sdk1') {
  const client = new Client1({ name: 'sdk1-walk18', version: '1.32' }, { capabilities });
  client.setRequestHandler(CreateMessageRequestSchema, async (r) => model(r as Ask) as never);
  client.setRequestHandler(ElicitRequestSchema, async () => form());
  await client.connect(new Http1(new URL(url)));
  for (const tool of askFirst((await client.listTools()).tools)) console.log(tool.name, JSON.stringify((await client.callTool({ name: tool.name, arguments: {} }).catch((e: Error) => ({ content: e.message }))).content).slice(0, 200));
  await client.close();
} else {
  const client = new Client2({ name: 'sdk2-walk18', version: '2.4' }, which === 'sdk2' ? { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } } : { capabilities });
  client.setRequestHandler('sampling/createMessage', async (r) => model(r as Ask) as never);
  client.setRequestHandler('elicitation/create', async () => form());
  await client.connect(new Http2(new URL(url)));
  for (const tool of askFirst((await client.listTools()).tools)) console.log(tool.name, JSON.stringify((await client.callTool({ name: tool.name, arguments: {} }).catch((e: Error) => ({ content: e.message }))).content).slice(0, 200));
  await client.close();
}
