// Footprint entry: an MCP server with one tool, served over Streamable HTTP on node:http and over stdio.
import { createServer, createMcpHttpHandler } from 'mcpwire/server';
import { createStdioServerTransport, listen } from 'mcpwire/transport';

const server = createServer({ name: 'size', version: '1.0.0' });
server.tool({
  name: 'echo',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
}, async ({ text }) => text);
if (process.argv.includes('--stdio')) await server.connect(createStdioServerTransport());
else await listen(createMcpHttpHandler(server), { port: 3000 });
