// The official SDK 1.x as a stdio server (low-level Server, JSON Schema tools), for tests
// that watch an SDK client talk to an SDK server: `count` streams progress, `ask` elicits.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ElicitResultSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'sdk-stdio', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: 'count', inputSchema: { type: 'object' } }, { name: 'ask', inputSchema: { type: 'object' } }],
}));
server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
  const text = (value) => ({ content: [{ type: 'text', text: value }] });
  if (request.params.name === 'count') {
    const steps = Number(request.params.arguments?.steps ?? 3);
    const progressToken = request.params._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
    }
    return text(`counted to ${steps}`);
  }
  const reply = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } }, ElicitResultSchema);
  return text(`hello ${reply.content?.name}`);
});
await server.connect(new StdioServerTransport());
