/**
 * The official TypeScript SDK 2.x (`@modelcontextprotocol/server` + `@modelcontextprotocol/client`),
 * in the legacy era (its client's default `versionNegotiation: 'legacy'`): one low-level
 * `Server` and one `WebStandardStreamableHTTPServerTransport` per session. 2.x has no Node
 * HTTP server of its own, so the `Request -> Response` handler is served by mcpwire's generic
 * `listen` adapter: both implementations then share the HTTP plumbing and differ only in
 * their MCP layers. 2.x ships no event store, so workload e is not run for it.
 */
import { randomUUID } from 'node:crypto';
import { createMcpHandler, Server, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { listen } from 'mcpwire/transport';
import { ELICIT_SCHEMA, type ServerAdapter, type StatsSource } from './types.ts';

const TOOLS = ['echo', 'progress', 'elicit', 'sample', 'stats'].map((name) => ({ name, inputSchema: { type: 'object' as const } }));

function benchServer(stats: StatsSource): Server {
  const server = new Server({ name: 'bench-sdk2', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: TOOLS }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
    switch (request.params.name) {
      case 'echo':
        return text(String(args.text));
      case 'progress': {
        const steps = Number(args.steps);
        const progressToken = request.params._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (progressToken !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps } });
        }
        stats.progressDone += 1;
        return text(`done ${steps}`);
      }
      case 'elicit': {
        let answered = 0;
        for (let i = 0; i < Number(args.rounds); i++) {
          const reply = await ctx.mcpReq.send({ method: 'elicitation/create', params: { mode: 'form', message: `question ${i}`, requestedSchema: ELICIT_SCHEMA } });
          if (reply.action === 'accept') answered += 1;
        }
        return text(String(answered));
      }
      case 'sample': {
        let answered = 0;
        for (let i = 0; i < Number(args.rounds); i++) {
          const reply = await ctx.mcpReq.send({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: `prompt ${i}` } }], maxTokens: 10 } });
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

/**
 * The 2026-07-28 rows: SDK 2.x's stateless entry (`createMcpHandler`, a server per request from
 * the factory, as its docs show), modern-only (`legacy: 'reject'`). `ask` asks one question as a
 * hand-built InputRequiredResult and completes when the retry carries the answer.
 */
function modernServer(stats: StatsSource): Server {
  const server = new Server({ name: 'bench-sdk2', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [...TOOLS, { name: 'ask', inputSchema: { type: 'object' as const } }] }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
    switch (request.params.name) {
      case 'echo': return text(String(args.text));
      case 'stats': return text(JSON.stringify(stats.read(args.gc === true)));
      case 'ask': {
        const answer = (ctx.mcpReq as { inputResponses?: Record<string, { action?: string }> }).inputResponses?.q;
        if (!answer) return { resultType: 'input_required', inputRequests: { q: { method: 'elicitation/create', params: { mode: 'form', message: 'question', requestedSchema: ELICIT_SCHEMA } } } } as never;
        return text(answer.action === 'accept' ? '1' : '0');
      }
      default: throw new Error(`unknown tool ${request.params.name}`);
    }
  });
  return server;
}

async function serveModern(json: boolean, stats: StatsSource) {
  const handler = createMcpHandler(() => modernServer(stats), {
    legacy: 'reject', responseMode: json ? 'json' : 'sse', onerror: (error) => process.stderr.write(`bench server (sdk2): ${error.message}\n`),
  });
  const listening = await listen((request) => handler.fetch(request), { host: '127.0.0.1', port: 0, onError: (error) => process.stderr.write(`bench server (sdk2): ${error.message}\n`) });
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await handler.close(); await listening.close(); } };
}

export const server: ServerAdapter = {
  async serveHttp(options, stats) {
    if (options.era === 'modern') return serveModern(options.json, stats);
    const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
    const listening = await listen(async (request) => {
      const id = request.headers.get('mcp-session-id');
      let transport = id === null ? undefined : sessions.get(id);
      if (!transport) {
        if (id !== null) return new Response(null, { status: 404 });
        const created: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: options.json,
          onsessioninitialized: (sid) => { sessions.set(sid, created); },
          onsessionclosed: (sid) => { sessions.delete(sid); },
        });
        transport = created;
        await benchServer(stats).connect(created);
      }
      return transport.handleRequest(request);
    }, { host: '127.0.0.1', port: 0, onError: (error) => process.stderr.write(`bench server (sdk2): ${error.message}\n`) });
    return { url: `http://127.0.0.1:${listening.port}/mcp`, close: () => listening.close() };
  },
  async serveStdio(stats) {
    await new Promise<void>((resolve, reject) => {
      process.stdin.once('end', () => resolve());
      benchServer(stats).connect(new StdioServerTransport()).catch(reject);
    });
  },
};
