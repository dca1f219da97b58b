// The official SDK 1.x as a stateful Streamable HTTP server on 127.0.0.1 (no event store, so
// its streams cannot be resumed), for tests and walks of `mcpwire host` against it:
// `count` streams progress, `ask` elicits, `wait` runs until it is cancelled (then prints
// "cancelled <request id>" on stdout; "started <request id>" when it begins). Prints "listening on URL" on stderr. Test-only.
// Usage: node test/sdk-http-server.mjs [port]
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ElicitResultSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

function build() {
  const server = new Server({ name: 'sdk-http', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      { name: 'count', description: 'Counts with progress.', inputSchema: { type: 'object', properties: { steps: { type: 'integer' } } } },
      { name: 'ask', description: 'Asks your name.', inputSchema: { type: 'object' } },
      { name: 'wait', description: 'Runs until cancelled.', inputSchema: { type: 'object' } },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const text = (value) => ({ content: [{ type: 'text', text: value }] });
    const { name } = request.params;
    if (name === 'count') {
      const steps = Number(request.params.arguments?.steps ?? 3);
      const progressToken = request.params._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps, message: `step ${i}` } });
      }
      return text(`counted to ${steps}`);
    }
    if (name === 'wait') {
      process.stdout.write(`started ${JSON.stringify(extra.requestId)}\n`);
      await new Promise((resolve) => extra.signal.addEventListener('abort', resolve, { once: true }));
      process.stdout.write(`cancelled ${JSON.stringify(extra.requestId)}\n`);
      return text('stopped');
    }
    const reply = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } }, ElicitResultSchema);
    return text(reply.action === 'accept' ? `hello ${reply.content?.name}` : `no name (${reply.action})`);
  });
  return server;
}

const sessions = new Map();
const http = createServer((req, res) => {
  void (async () => {
    let body;
    if (req.method === 'POST') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, created) });
      transport = created;
      await build().connect(created);
    }
    await transport.handleRequest(req, res, body);
  })().catch((error) => {
    process.stderr.write(`sdk-http-server: ${error.message}\n`);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`);
});
