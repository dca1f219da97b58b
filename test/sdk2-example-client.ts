/**
 * A small client on the official TypeScript SDK 2.4 (`@modelcontextprotocol/client`, a
 * devDependency), written the way its documentation shows: connect over Streamable HTTP, list
 * the tools, call each, close. What `mcpwire check --client` is run against in the interop
 * test. Usage: node --import tsx test/sdk2-example-client.ts <url>. Test-only.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = process.argv[2];
if (url === undefined) {
  process.stderr.write('usage: sdk2-example-client.ts <url>\n');
  process.exit(2);
}
const client = new Client({ name: 'sdk2-example-client', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const { tools } = await client.listTools();
for (const tool of tools) {
  const result = await client.callTool({ name: tool.name, arguments: {} });
  process.stdout.write(`${tool.name}: ${JSON.stringify(result.content).slice(0, 80)}\n`);
}
await client.close();
