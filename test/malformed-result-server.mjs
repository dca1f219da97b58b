// A stdio MCP server whose tools answer with results that break CallToolResult's shape
// (2025-11-25 server/tools), written by hand as a broken server would. Test-only
// (host-malformed-result.test.ts); `good` answers properly.
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const results = {
  string_content: { content: 'not an array' },
  number_text: { content: [{ type: 'text', text: 5 }] },
  null_block: { content: [null] },
  string_is_error: { content: [{ type: 'text', text: 'x' }], isError: 'yes' },
  good: { content: [{ type: 'text', text: 'all good' }] },
};
const tools = Object.keys(results).map((name) => ({ name, inputSchema: { type: 'object' } }));

createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'malformed', version: '0' } } });
  else if (m.method === 'tools/list') send({ jsonrpc: '2.0', id: m.id, result: { tools } });
  else if (m.method === 'tools/call') send({ jsonrpc: '2.0', id: m.id, result: results[m.params.name] });
  else if (m.id !== undefined && m.method !== undefined) send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } });
});
