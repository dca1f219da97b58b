// In-process Streamable HTTP fixtures: a server handler called directly with Request
// objects (no socket), and helpers to read its SSE replies. With MCPWIRE_FIXTURE_VIA=socket
// the same requests go over loopback to `listen(handler)` instead: the Node adapter's path.
import { Readable } from 'node:stream';
import { request } from 'undici';
import { createServer, createMcpHttpHandler, type McpHttpHandler, type McpHttpOptions, type McpServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { registerDemoTools } from '../examples/demo/tools.ts';

export const URL_BASE = 'http://127.0.0.1:3000/mcp';
export const ACCEPT_BOTH = 'application/json, text/event-stream';

export interface Fixture {
  server: McpServer;
  handler: McpHttpHandler;
  /** POST a JSON body with the usual headers (overridable). */
  post(body: unknown, headers?: Record<string, string | null>): Promise<Response>;
  get(headers?: Record<string, string | null>): Promise<Response>;
  /** initialize + initialized; resolves with the session id. */
  initialize(version?: string): Promise<string>;
  close(): Promise<void>;
}

/** `setup` registers more on the server; it gets the handler too (made first, served nothing yet). */
export function makeFixture(options: McpHttpOptions = {}, setup?: (server: McpServer, handler: McpHttpHandler) => void): Fixture {
  const server = createServer({ name: 'http-test', version: '1.0.0' });
  registerDemoTools(server);
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000', 'localhost:3000'], ...options });
  setup?.(server, handler);
  let listening: Promise<ListeningServer> | undefined;
  const send = async (method: string, body: unknown, headers: Record<string, string | null>) => {
    const h = new Headers();
    for (const [k, v] of Object.entries(headers)) if (v !== null) h.set(k, v);
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (process.env.MCPWIRE_FIXTURE_VIA !== 'socket') {
      return handler.handle(new Request(URL_BASE, { method, headers: h, ...(text === undefined ? {} : { body: text }) }));
    }
    listening ??= listen(handler, { port: 0 });
    const { port } = await listening;
    const res = await request(`http://127.0.0.1:${port}/mcp`, {
      method: method as 'GET', headers: Object.fromEntries(h), ...(text === undefined ? {} : { body: text }),
    });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
    return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status: res.statusCode, headers: out });
  };
  const fixture: Fixture = {
    server, handler,
    post: (body, headers = {}) => send('POST', body, { host: '127.0.0.1:3000', accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers }),
    get: (headers = {}) => send('GET', undefined, { host: '127.0.0.1:3000', accept: 'text/event-stream', ...headers }),
    async initialize(version = '2025-11-25') {
      const res = await fixture.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: { elicitation: {} }, clientInfo: { name: 't', version: '1' } } });
      const sessionId = res.headers.get('mcp-session-id');
      if (!sessionId) throw new Error(`initialize failed: ${res.status} ${await res.text()}`);
      await res.text();
      const ack = await fixture.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': version });
      if (ack.status !== 202) throw new Error(`initialized got ${ack.status}`);
      return sessionId;
    },
    async close() {
      await handler.close();
      if (listening) await (await listening).close();
    },
  };
  return fixture;
}

/**
 * A fixture whose tool `name` runs until its signal aborts (after one progress step when
 * `progress`: its reply then turns SSE). `running` resolves once it runs, `aborted` with the
 * abort's reason.
 */
export function untilAbortedFixture(name: string, progress: boolean): { f: Fixture; running: Promise<void>; aborted: Promise<unknown> } {
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  let stopped!: (reason: unknown) => void;
  const aborted = new Promise((resolve) => { stopped = resolve; });
  const f = makeFixture({}, (server) => {
    server.tool({ name }, async (_args, ctx) => {
      if (progress) await ctx.progress(1, 10);
      started();
      await new Promise((resolve) => ctx.signal.addEventListener('abort', () => { stopped(ctx.signal.reason); resolve(undefined); }));
      return 'stopped';
    });
  });
  return { f, running, aborted };
}

export interface SseEventRead {
  id: string | undefined;
  data: string;
}

/** Read SSE events from a response body: all of them, or stop after `limit` (cancelling the body). */
export async function readEvents(response: Response, limit = Number.POSITIVE_INFINITY, onRetry?: (ms: number) => void): Promise<SseEventRead[]> {
  const events: SseEventRead[] = [];
  const reader = response.body!.getReader();
  const decoder = createSseDecoder({
    onEvent: (ev) => { events.push({ id: ev.id, data: ev.data }); },
    onRetry: (ms) => onRetry?.(ms),
    onError: (e) => { throw e; },
  });
  while (events.length < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.push(value);
  }
  if (events.length >= limit) await reader.cancel();
  return events.slice(0, limit === Number.POSITIVE_INFINITY ? undefined : limit);
}

/** The JSON-RPC messages of events (priming events have empty data and are skipped). */
export function messagesOf(events: SseEventRead[]): Array<Record<string, any>> {
  return events.filter((e) => e.data !== '').map((e) => JSON.parse(e.data));
}
