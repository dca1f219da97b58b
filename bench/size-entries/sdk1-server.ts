// Footprint entry, for comparison: SDK 1.32's server with one tool (JSON Schema), over Streamable HTTP on node:http and stdio.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

function makeServer(): Server {
  const server = new Server({ name: 'size', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => ({
    content: [{ type: 'text', text: String(request.params.arguments?.['text']) }],
  }));
  return server;
}

// Stateful, as the bench runs it: one transport per session.
const sessions = new Map<string, StreamableHTTPServerTransport>();
if (process.argv.includes('--stdio')) await makeServer().connect(new StdioServerTransport());
else {
  createHttpServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => { sessions.set(sid, transport!); } });
      await makeServer().connect(transport);
    }
    await transport.handleRequest(req, res);
  }).listen(3000);
}
