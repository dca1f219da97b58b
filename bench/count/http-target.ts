/**
 * The HTTP target (issue #20's b row; modern-*: the m-b rows): the bench's server process (server.ts, `--mode
 * sse|json|raw|raw-json`) counted, driven in bench b's shape: one session, sequential `tools/call` echo
 * requests over one undici connection, each reply read whole before the next call. It speaks
 * the 2025-11-25 Streamable HTTP transport with bare requests (no MCP client library: only the
 * server is counted, and the client's own work should not vary between runs). The raw server
 * gets the same requests: it echoes each POST's params (adapters/raw-server.ts).
 */
import { Pool } from 'undici';
import { within, type Counted, type Target } from './launch.ts';

const VERSION = '2025-11-25';

/** The modes server.ts serves. */
export const HTTP_MODES = ['sse', 'json', 'raw', 'raw-json', 'modern-json', 'modern-sse'] as const;

/**
 * The target for `mode`, its server `serverJs` (compiled: the counted process runs no loader).
 * `maxStreams` sets `MCPWIRE_BENCH_MAX_STREAMS` as for the bench; `replyMs` bounds the start
 * and each reply. `sessions` > 1 drives bench c's shape: that many sessions at once, the calls
 * split evenly among them, so the server interleaves their calls as c does.
 */
export function httpTarget(serverJs: string, mode: string, maxStreams: string | undefined, replyMs: number, sessions = 1): Target {
  return {
    name: `http-${mode}`,
    nodeArgs: [serverJs, '--mode', mode],
    ...(maxStreams === undefined ? {} : { env: { MCPWIRE_BENCH_MAX_STREAMS: maxStreams } }),
    async drive(counted, warmup, calls) {
      const url = await within(readyUrl(counted), replyMs, 'the server\'s start');
      const raw = mode === 'raw' || mode === 'raw-json';
      const wrong = mode.startsWith('modern-') ? await driveModern(url, warmup + calls, replyMs)
        : sessions === 1 ? await driveSession(url, warmup + calls, raw, replyMs)
        : await driveSessions(url, sessions, warmup + calls, raw, replyMs);
      if (wrong !== 0) throw new Error(`${wrong} of ${warmup + calls} echo replies were wrong`);
      // A normal exit on SIGTERM (server.ts), so callgrind writes its counts.
      counted.child.kill('SIGTERM');
    },
  };
}

/**
 * `sessions` sessions at once, `calls` echo calls in all (whole calls per session, so two runs
 * differ by whole calls per session); how many replies were wrong.
 */
async function driveSessions(url: string, sessions: number, calls: number, raw: boolean, replyMs: number): Promise<number> {
  if (calls % sessions !== 0) throw new Error(`${calls} calls do not split evenly over ${sessions} sessions`);
  // One short session first, alone: the server's cold code (interpreted, ~50x slower under
  // callgrind) then answers many initializes at once within Node's 30 s request timeout (408).
  // Both runs of a pair make it, so it cancels.
  await driveSession(url, 20, raw, replyMs);
  const each = await Promise.all(Array.from({ length: sessions }, () => driveSession(url, calls / sessions, raw, replyMs)));
  return each.reduce((sum, wrong) => sum + wrong, 0);
}

/** The URL of the server's `ready <url>` line. */
export function readyUrl({ child, exited }: Counted): Promise<string> {
  return new Promise<string>((found, failed) => {
    let seen = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /ready (\S+)\n/.exec(seen);
      if (match) found(match[1]!);
    });
    void exited.then((code) => failed(new Error(`the server exited (${code}) before it was ready`)));
  });
}

/** The JSON payload of a reply: a JSON body, or the first `data:` line that is not empty in SSE. */
function payloadOf(text: string, contentType: string): unknown {
  if (!contentType.startsWith('text/event-stream')) return JSON.parse(text);
  for (const line of text.split('\n')) {
    if (line.startsWith('data: ')) return JSON.parse(line.slice(6));
  }
  throw new Error(`an SSE reply without data: ${JSON.stringify(text.slice(0, 200))}`);
}

/**
 * Open a session at `url` (initialize, initialized, the standalone GET stream), make `calls`
 * sequential echo calls, close, and say how many replies were wrong. `raw`: the server is the
 * raw ceiling's (no session id; its idle GET is `?idle`).
 */
async function driveSession(url: string, calls: number, raw: boolean, replyMs: number): Promise<number> {
  const { origin, pathname } = new URL(url);
  const client = new Pool(origin, { bodyTimeout: replyMs, headersTimeout: replyMs });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let nextId = 1;
  const post = async (method: string, params: object, notification = false): Promise<unknown> => {
    const body = JSON.stringify(notification ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id: nextId++, method, params });
    const reply = await client.request({ path: pathname, method: 'POST', headers, body });
    const text = await reply.body.text();
    if (reply.statusCode >= 300) throw new Error(`${method} answered ${reply.statusCode}: ${text.slice(0, 200)}`);
    const session = reply.headers['mcp-session-id'];
    if (typeof session === 'string') headers['mcp-session-id'] = session;
    return notification ? undefined : payloadOf(text, String(reply.headers['content-type'] ?? ''));
  };
  let wrong = 0;
  try {
    await post('initialize', { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'count-driver', version: '1.0.0' } });
    headers['mcp-protocol-version'] = VERSION;
    await post('notifications/initialized', {}, true);
    const standalone = await client.request({
      path: raw ? `${pathname}?idle` : pathname, method: 'GET', headers: { ...headers, accept: 'text/event-stream' },
    });
    try {
      for (let i = 0; i < calls; i++) {
        const text = `m${i}`;
        const reply = await post('tools/call', { name: 'echo', arguments: { text } }) as { result?: { content?: Array<{ text?: string }>; arguments?: { text?: string } } };
        // mcpwire answers a CallToolResult; the raw server echoes the params back.
        const got = raw ? reply.result?.arguments?.text : reply.result?.content?.[0]?.text;
        if (got !== text) wrong += 1;
      }
    } finally {
      standalone.body.destroy();
    }
  } finally {
    await client.destroy();
  }
  return wrong;
}

const MODERN = '2026-07-28';
/** The `_meta` envelope of every 2026-07-28 request, as the m rows' client sends it (adapters/modern-client.ts). */
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
  'io.modelcontextprotocol/clientInfo': { name: 'count-driver', version: '1.0.0' },
};

/**
 * The m-b rows' shape: `calls` sequential stateless `tools/call` echo POSTs (2026-07-28: no
 * initialize, no session; the envelope in `_meta`, the method and tool name in headers), each
 * reply read whole before the next; how many replies were wrong.
 */
async function driveModern(url: string, calls: number, replyMs: number): Promise<number> {
  const { origin, pathname } = new URL(url);
  const client = new Pool(origin, { bodyTimeout: replyMs, headersTimeout: replyMs });
  const headers = {
    'content-type': 'application/json', accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo',
  };
  let wrong = 0;
  try {
    for (let i = 0; i < calls; i++) {
      const text = `m${i}`;
      const body = JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: MODERN_META } });
      const reply = await client.request({ path: pathname, method: 'POST', headers, body });
      const answer = await reply.body.text();
      if (reply.statusCode >= 300) throw new Error(`tools/call answered ${reply.statusCode}: ${answer.slice(0, 200)}`);
      const got = (payloadOf(answer, String(reply.headers['content-type'] ?? '')) as { result?: { content?: Array<{ text?: string }> } }).result?.content?.[0]?.text;
      if (got !== text) wrong += 1;
    }
  } finally {
    await client.destroy();
  }
  return wrong;
}
