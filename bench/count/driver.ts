/**
 * The instruction counter's client, in bench b's shape: one session, sequential `tools/call`
 * echo requests over one undici connection, each reply read whole before the next call. It
 * speaks the 2025-11-25 Streamable HTTP transport with bare requests (no MCP client library:
 * only the server is counted, and the client's own work should not vary between runs). For
 * the raw server the same requests go out: it echoes each POST's params (raw-server.ts).
 */
import { Pool } from 'undici';

const VERSION = '2025-11-25';

/** What a driven session did: the calls answered, and how many were wrong. */
export interface Driven {
  calls: number;
  wrong: number;
}

/** The JSON payload of a reply: a JSON body, or the first `data:` line that is not empty in SSE. */
function payloadOf(text: string, contentType: string): unknown {
  if (!contentType.startsWith('text/event-stream')) return JSON.parse(text);
  for (const line of text.split('\n')) {
    if (line.startsWith('data: ')) return JSON.parse(line.slice(6));
  }
  throw new Error(`count driver: an SSE reply without data: ${JSON.stringify(text.slice(0, 200))}`);
}

/**
 * Open a session at `url` (initialize, initialized, the standalone GET stream), make `calls`
 * sequential echo calls and close. `raw`: the server is the raw ceiling's (no session id; its
 * idle GET is `?idle`). `timeoutMs`: undici's wait for a reply's head and body (many sessions
 * at once under callgrind wait longer: driver-many.ts).
 */
export async function driveSession(url: string, calls: number, raw: boolean, timeoutMs = 60_000): Promise<Driven> {
  const { origin, pathname } = new URL(url);
  const client = new Pool(origin, { bodyTimeout: timeoutMs, headersTimeout: timeoutMs });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let nextId = 1;
  const post = async (method: string, params: object, notification = false): Promise<unknown> => {
    const body = JSON.stringify(notification ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id: nextId++, method, params });
    const reply = await client.request({ path: pathname, method: 'POST', headers, body });
    const text = await reply.body.text();
    if (reply.statusCode >= 300) throw new Error(`count driver: ${method} answered ${reply.statusCode}: ${text.slice(0, 200)}`);
    const session = reply.headers['mcp-session-id'];
    if (typeof session === 'string') headers['mcp-session-id'] = session;
    return notification ? undefined : payloadOf(text, String(reply.headers['content-type'] ?? ''));
  };
  await post('initialize', { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'count-driver', version: '1.0.0' } });
  headers['mcp-protocol-version'] = VERSION;
  await post('notifications/initialized', {}, true);
  const standalone = await client.request({
    path: raw ? `${pathname}?idle` : pathname, method: 'GET', headers: { ...headers, accept: 'text/event-stream' },
  });
  let wrong = 0;
  try {
    for (let i = 0; i < calls; i++) {
      const text = `m${i}`;
      const reply = await post('tools/call', { name: 'echo', arguments: { text } }) as { result?: { content?: Array<{ text?: string }>; text?: string } };
      // mcpwire answers a CallToolResult; the raw server echoes the params back.
      const got = raw ? (reply.result as { arguments?: { text?: string } } | undefined)?.arguments?.text : reply.result?.content?.[0]?.text;
      if (got !== text) wrong += 1;
    }
  } finally {
    standalone.body.destroy();
    await client.destroy();
  }
  return { calls, wrong };
}
