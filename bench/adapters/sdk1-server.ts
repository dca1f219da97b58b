/**
 * The official TypeScript SDK 1.x (`@modelcontextprotocol/sdk`), used the way its docs show
 * for a stateful Streamable HTTP server: one low-level `Server` and one
 * `StreamableHTTPServerTransport` per session on a `node:http` server, tools answered with
 * JSON Schema (no zod on our side, so the SDK does no argument validation: its fastest
 * path). Resumable runs use the SDK's example `InMemoryEventStore`.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createNodeServer } from 'node:http';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, CreateMessageResultSchema, ElicitResultSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ELICIT_SCHEMA, listenLoopback, type ServerAdapter, type StatsSource } from './types.ts';

const TOOLS = ['echo', 'progress', 'elicit', 'sample', 'stats'].map((name) => ({ name, inputSchema: { type: 'object' as const } }));

function benchServer(stats: StatsSource): Server {
  const server = new Server({ name: 'bench-sdk1', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
    switch (request.params.name) {
      case 'echo':
        return text(String(args.text));
      case 'progress': {
        const steps = Number(args.steps);
        const progressToken = request.params._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
        }
        stats.progressDone += 1;
        return text(`done ${steps}`);
      }
      case 'elicit': {
        let answered = 0;
        for (let i = 0; i < Number(args.rounds); i++) {
          const reply = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: `question ${i}`, requestedSchema: ELICIT_SCHEMA as never } }, ElicitResultSchema);
          if (reply.action === 'accept') answered += 1;
        }
        return text(String(answered));
      }
      case 'sample': {
        let answered = 0;
        for (let i = 0; i < Number(args.rounds); i++) {
          const reply = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: `prompt ${i}` } }], maxTokens: 10 } }, CreateMessageResultSchema);
          if (reply.role === 'assistant') answered += 1;
        }
        return text(String(answered));
      }
      case 'stats':
        return text(JSON.stringify(stats.read(args.gc === true)));
      default:
        throw new Error(`unknown tool ${request.params.name}`);
    }
  });
  return server;
}

export const server: ServerAdapter = {
  async serveHttp(options, stats) {
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    const http = createNodeServer((req, res) => {
      void (async () => {
        const id = req.headers['mcp-session-id'];
        let transport = typeof id === 'string' ? sessions.get(id) : undefined;
        if (!transport) {
          if (id !== undefined) { res.writeHead(404).end(); return; }
          const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            enableJsonResponse: options.json,
            ...(options.resumable ? { eventStore: new InMemoryEventStore() } : {}),
            onsessioninitialized: (sid) => { sessions.set(sid, created); },
            onsessionclosed: (sid) => { sessions.delete(sid); },
          });
          transport = created;
          await benchServer(stats).connect(created);
        }
        await transport.handleRequest(req, res);
      })().catch((error: Error) => {
        process.stderr.write(`bench server (sdk1): ${error.message}\n`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    return listenLoopback(http);
  },
  async serveStdio(stats) {
    const transport = new StdioServerTransport();
    await new Promise<void>((resolve, reject) => {
      // SDK 1.x does not notice stdin ending, so the process watches it itself.
      process.stdin.once('end', () => resolve());
      benchServer(stats).connect(transport).catch(reject);
    });
  },
};
