/**
 * A scripted 2026-07-28 server for client tests: a fetch function that records each POST
 * (headers and body) and answers it from a script; `server/discover` is answered unless the
 * script does it.
 */
import { createClient, createHttpClientTransport, type ClientOptions, type FetchInit, type FetchLike } from 'mcpwire/client';

/** One POST as the server saw it. */
export interface Seen {
  headers: Record<string, string>;
  body: { jsonrpc: string; id?: string | number; method: string; params?: Record<string, any> };
  signal: AbortSignal | undefined;
}

/** The script: a Response, a result object (JSON 200), or undefined for the default. */
export type Script = (seen: Seen, index: number) => Response | Record<string, unknown> | undefined | Promise<Response | Record<string, unknown> | undefined>;

export const DISCOVER = {
  resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {}, prompts: {}, resources: {} },
  ttlMs: 0, cacheScope: 'private', _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'scripted', version: '1' } },
};

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A JSON-RPC error answer with HTTP `status`. */
export function rpcError(status: number, id: unknown, code: number, message: string, data?: unknown): Response {
  return json(status, { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });
}

export function scripted(script: Script): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (_url: string, init: FetchInit) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const entry: Seen = { headers, body: JSON.parse(String(init.body)), signal: init.signal ?? undefined };
    seen.push(entry);
    const answer = await script(entry, seen.length - 1);
    if (answer instanceof Response) return answer;
    if (answer === undefined && entry.body.method === 'server/discover') return json(200, { jsonrpc: '2.0', id: entry.body.id, result: DISCOVER });
    if (answer === undefined) return rpcError(404, entry.body.id, -32601, 'Method not found');
    return json(200, { jsonrpc: '2.0', id: entry.body.id, result: { resultType: 'complete', ...answer } });
  };
  return { fetch, seen };
}

/** A held SSE stream: its response, and what the test writes to it. */
export interface HeldStream {
  response: Response;
  send(message: unknown): void;
  end(): void;
}

/** A held SSE stream the test writes to and ends (a listen's stream, say). */
export function heldStream(): HeldStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
  return {
    response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    send(message: unknown) { controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(message)}\n\n`)); },
    end() { controller.close(); },
  };
}

/**
 * A 2026-07-28 client's `callTool('t')` against a script that answers the first `tools/call`
 * with `first` (an input round, say) and its retry with the text "done": the call's result or
 * error, and every POST.
 */
export async function callThroughRound(first: Record<string, unknown>, options: ClientOptions): Promise<{ outcome: unknown; seen: Seen[] }> {
  const { fetch, seen } = scripted((s) => {
    if (s.body.method !== 'tools/call') return undefined;
    if (!s.body.params?.inputResponses) return first;
    return { content: [{ type: 'text', text: 'done' }] };
  });
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false, ...options });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3001/mcp', fetch }));
  try {
    return { outcome: await client.callTool('t', {}).then((r) => r, (e: Error) => e), seen };
  } finally {
    await client.close();
  }
}
