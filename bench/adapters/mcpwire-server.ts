/**
 * mcpwire's bench server: `createServer` + `createMcpHttpHandler` / stdio, through the public
 * exports only. Server processes load this module alone (see index.ts), as a user serving
 * loads `mcpwire/server` without the client.
 */
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import {
  createMemoryEventStore, createStdioServerTransport, defaultAllowedHosts, listen, type ExchangeServable,
} from 'mcpwire/transport';
import { ELICIT_SCHEMA, type ServerAdapter, type StatsSource } from './types.ts';

const ECHO_JSON = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } as const;

/** The echo tool's input as a zod schema (Standard Schema rows), loaded only for those rows. */
async function echoZod() {
  const z = await import('zod');
  return z.object({ text: z.string() });
}

function benchServer(stats: StatsSource, echoZodSchema?: Awaited<ReturnType<typeof echoZod>>): McpServer {
  const server = createServer({ name: 'bench-mcpwire', version: '1.0.0' }, {
    onError: (error) => process.stderr.write(`bench server (mcpwire): ${error.message}\n`),
  });
  if (echoZodSchema) server.tool({ name: 'echo', inputSchema: echoZodSchema }, (args) => args.text);
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

/** How long the bench's HTTP server waits on a slow client (10 minutes; see serveHttp). */
const SLOW_CLIENT_MS = 600_000;

const keptStreams = process.env.MCPWIRE_BENCH_MAX_STREAMS === undefined ? undefined : Number(process.env.MCPWIRE_BENCH_MAX_STREAMS);

export const server: ServerAdapter = {
  async serveHttp(options, stats) {
    const mcp = benchServer(stats, options.standardSchema === true ? await echoZod() : undefined);
    const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
    // A client counted under callgrind (npm run count -- http --side client) may take many
    // seconds to send a request or to come back on a kept connection: the server's own 10 s
    // headers and 30 s request limits answered it 408. Ten minutes each, as the raw server's. Bench-only.
    const listening = await listen(ref, { host: '127.0.0.1', port: 0, headersTimeoutMs: SLOW_CLIENT_MS, requestTimeoutMs: SLOW_CLIENT_MS, keepAliveTimeoutMs: SLOW_CLIENT_MS });
    const handler = createMcpHttpHandler(mcp, {
      allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port),
      responseMode: options.json ? 'json' : 'sse',
      maxSessions: 100_000,
      ...(options.era === 'modern' ? { eras: 'modern' as const } : {}),
      // History deep enough for a 10 000-event stream (the default keeps 10 000 events).
      ...(options.resumable ? { eventStore: createMemoryEventStore({ maxEventsPerStream: 50_000, maxBytesPerStream: 64 * 1024 * 1024 }) } : {}),
      // An experiment, not a row: MCPWIRE_BENCH_MAX_STREAMS=100 keeps fewer streams than the
      // default 10 000, to weigh what the kept history costs a call end to end (bench/README).
      ...(!options.resumable && keptStreams !== undefined ? { eventStore: createMemoryEventStore({ maxStreams: keptStreams }) } : {}),
      onError: (error) => process.stderr.write(`bench server (mcpwire): ${error.message}\n`),
    });
    ref.exchangeTo = handler.exchangeTo;
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
