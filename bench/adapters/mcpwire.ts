/** mcpwire: `createServer` + `createMcpHttpHandler` / stdio, and `createClient`, through the public exports only. */
import * as z from 'zod';
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import {
  createMemoryEventStore, createStdioServerTransport, defaultAllowedHosts, listen, type ExchangeServable,
} from 'mcpwire/transport';
import {
  ELICIT_SCHEMA, elicitAnswer, sampleAnswer, firstText, toolSession, type ToolCaller,
  type BenchSession, type ClientAdapter, type ClientCounters, type ServerAdapter, type StatsSource,
} from './types.ts';

const ECHO_JSON = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } as const;
const ECHO_ZOD = z.object({ text: z.string() });

function benchServer(stats: StatsSource, standardSchema = false): McpServer {
  const server = createServer({ name: 'bench-mcpwire', version: '1.0.0' }, {
    onError: (error) => process.stderr.write(`bench server (mcpwire): ${error.message}\n`),
  });
  if (standardSchema) server.tool({ name: 'echo', inputSchema: ECHO_ZOD }, (args) => args.text);
  else server.tool({ name: 'echo', inputSchema: ECHO_JSON }, (args) => args.text);
  server.tool({ name: 'progress', inputSchema: { type: 'object', properties: { steps: { type: 'integer' } }, required: ['steps'] } },
    async (args: { steps: number }, ctx) => {
      for (let i = 1; i <= args.steps; i++) await ctx.progress(i, args.steps);
      stats.progressDone += 1;
      return `done ${args.steps}`;
    });
  server.tool({ name: 'elicit', inputSchema: { type: 'object', properties: { rounds: { type: 'integer' } }, required: ['rounds'] } },
    async (args: { rounds: number }, ctx) => {
      let answered = 0;
      for (let i = 0; i < args.rounds; i++) {
        const reply = await ctx.elicit({ message: `question ${i}`, requestedSchema: ELICIT_SCHEMA as never });
        if (reply.action === 'accept') answered += 1;
      }
      return String(answered);
    });
  server.tool({ name: 'sample', inputSchema: { type: 'object', properties: { rounds: { type: 'integer' } }, required: ['rounds'] } },
    async (args: { rounds: number }, ctx) => {
      let answered = 0;
      for (let i = 0; i < args.rounds; i++) {
        const reply = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: `prompt ${i}` } }], maxTokens: 10 });
        if (reply.role === 'assistant') answered += 1;
      }
      return String(answered);
    });
  // One question per call: a multi round trip in the 2026-07-28 era (the m-f row).
  server.tool({ name: 'ask', inputSchema: { type: 'object' } }, async (_args, ctx) => {
    const reply = await ctx.elicit({ message: 'question', requestedSchema: ELICIT_SCHEMA as never });
    return reply.action === 'accept' ? '1' : '0';
  });
  server.tool({ name: 'stats', inputSchema: { type: 'object', properties: { gc: { type: 'boolean' } } } },
    (args: { gc?: boolean }) => JSON.stringify(stats.read(args.gc === true)));
  return server;
}

export const server: ServerAdapter = {
  async serveHttp(options, stats) {
    const mcp = benchServer(stats, options.standardSchema === true);
    const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
    const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
    const handler = createMcpHttpHandler(mcp, {
      allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port),
      responseMode: options.json ? 'json' : 'sse',
      maxSessions: 100_000,
      ...(options.era === 'modern' ? { eras: 'modern' as const } : {}),
      // History deep enough for a 10 000-event stream (the default keeps 10 000 events).
      ...(options.resumable ? { eventStore: createMemoryEventStore({ maxEventsPerStream: 50_000, maxBytesPerStream: 64 * 1024 * 1024 }) } : {}),
      onError: (error) => process.stderr.write(`bench server (mcpwire): ${error.message}\n`),
    });
    ref.exchange = handler.exchange;
    return {
      url: `http://127.0.0.1:${listening.port}/mcp`,
      async close() {
        await handler.close();
        await listening.close();
      },
    };
  },
  async serveStdio(stats) {
    const mcp = benchServer(stats);
    await new Promise<void>((resolve, reject) => {
      mcp.connect(createStdioServerTransport(), { onClose: () => resolve() }).catch(reject);
    });
  },
};

function session(client: McpClient): BenchSession {
  const call: ToolCaller = async (name, args, onProgress) => {
    // Long calls (10 000 progress notifications, 1 000 elicitations) get the same 600 s bound as the SDK's.
    const result = await client.callTool(name, args, {
      timeoutMs: 600_000, maxTotalTimeoutMs: 600_000, ...(onProgress ? { onProgress: (p) => onProgress(p.progress) } : {}),
    });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result);
  };
  return toolSession(call, () => client.close());
}

function benchClient(counters: ClientCounters): McpClient {
  return createClient({ name: 'bench-mcpwire', version: '1.0.0' }, {
    onElicit: () => { counters.elicited += 1; return elicitAnswer(); },
    onSample: () => { counters.sampled += 1; return sampleAnswer(); },
  });
}

export const client: ClientAdapter = {
  async connectHttp(url, counters) {
    const c = benchClient(counters);
    await c.connect(createHttpClientTransport({ url }));
    return session(c);
  },
  async connectStdio(command, counters) {
    const c = benchClient(counters);
    await c.connect(createStdioClientTransport({ command: command.command, args: command.args, stderr: 'inherit' }));
    return session(c);
  },
};
