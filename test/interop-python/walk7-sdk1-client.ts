// The seventh peer walk's TypeScript SDK 1.32 client (session 29) against
// test/peer-walk7-server.ts over Streamable HTTP in 2025-11-25, with `http cut` (every stream ended
// after 300 ms, retry 200 ms): 40 tool list changes over 2 s heard on the GET stream across its
// cuts, the agent turn (progress, elicitation, sampling). Prints one line per step, read by hand.
// Usage: node --conditions=mcpwire-source --import tsx walk7-sdk1-client.ts URL
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Http1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, ElicitRequestSchema, CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const url = process.argv[2]!;
const out = (k: string, v: unknown) => console.log(k, JSON.stringify(v).slice(0, 500));

async function sdk1() {
  const client = new Client1({ name: 'sdk1', version: '1' }, { capabilities: { elicitation: {}, sampling: {} } });
  let heard = 0;
  const order: string[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => { heard += 1; });
  client.setRequestHandler(ElicitRequestSchema, async () => { order.push('elicit'); return { action: 'accept', content: { go: true } }; });
  client.setRequestHandler(CreateMessageRequestSchema, async () => { order.push('sample'); return { role: 'assistant', content: { type: 'text', text: 'a plan ✓' }, model: 'm' }; });
  await client.connect(new Http1(new URL(url)));
  out('version', client.getServerVersion());
  const r = await client.callTool({ name: 'agent', arguments: { steps: 3 } }, undefined, { onprogress: (p) => order.push(`${p.progress}:${p.message}`), timeout: 30_000 });
  order.push('result');
  out('agent turn', [(r.content as Array<{ text: string }>)[0]!.text, order]);
  for (let i = 0; i < 40; i++) { await client.callTool({ name: 'touch', arguments: {} }); await new Promise((res) => setTimeout(res, 50)); }
  await new Promise((res) => setTimeout(res, 1500));
  const resumes = await client.callTool({ name: 'resumes', arguments: {} });
  out('40 list changes heard', [heard, (resumes.content as Array<{ text: string }>)[0]!.text]);
  await client.close();
}

await sdk1();
