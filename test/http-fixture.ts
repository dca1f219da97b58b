// In-process Streamable HTTP fixtures: a server handler called directly with Request
// objects (no socket), and helpers to read its SSE replies.
import { createServer, createMcpHttpHandler, type McpHttpOptions, type McpServer } from 'mcpwire/server';
import { createSseDecoder, type HttpServerHandler } from 'mcpwire/transport';
import { registerDemoTools } from '../examples/demo/tools.ts';

export const URL_BASE = 'http://127.0.0.1:3000/mcp';
export const ACCEPT_BOTH = 'application/json, text/event-stream';

export interface Fixture {
  server: McpServer;
  handler: HttpServerHandler;
  /** POST a JSON body with the usual headers (overridable). */
  post(body: unknown, headers?: Record<string, string | null>): Promise<Response>;
  get(headers?: Record<string, string | null>): Promise<Response>;
  /** initialize + initialized; resolves with the session id. */
  initialize(version?: string): Promise<string>;
  close(): Promise<void>;
}

export function makeFixture(options: McpHttpOptions = {}, setup?: (server: McpServer) => void): Fixture {
  const server = createServer({ name: 'http-test', version: '1.0.0' });
  registerDemoTools(server);
  setup?.(server);
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000', 'localhost:3000'], ...options });
  const send = (method: string, body: unknown, headers: Record<string, string | null>) => {
    const h = new Headers();
    for (const [k, v] of Object.entries(headers)) if (v !== null) h.set(k, v);
    return handler.handle(new Request(URL_BASE, {
      method, headers: h, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }));
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
    close: () => handler.close(),
  };
  return fixture;
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
