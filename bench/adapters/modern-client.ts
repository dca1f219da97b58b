/**
 * The 2026-07-28 bench client: stateless POSTs with the `_meta` envelope and the standard
 * headers, answers read as JSON or SSE, and multi round-trip requests answered by retrying
 * with `inputResponses` and the echoed `requestState`. It speaks the raw protocol on one
 * keep-alive socket per client (http-wire.ts: request heads pre-serialised, no HTTP library),
 * the same for every server, so the m rows compare servers and not clients: with plain
 * `fetch` both servers read near the same figure, the client's own cost (issue #13's first
 * measurements), and undici's `request` still cost ~200 µs of CPU per call (session 5).
 */
import { WireConnection } from './http-wire.ts';
import { ELICIT_SCHEMA, elicitAnswer, firstText, parseStats, type BenchSession, type ClientCounters } from './types.ts';

const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
  'io.modelcontextprotocol/clientInfo': { name: 'bench-modern', version: '1.0.0' },
};

/** The elicitation every modern bench server asks (one form question). */
export const MODERN_QUESTION = { mode: 'form', message: 'question', requestedSchema: ELICIT_SCHEMA };

interface Answer { result?: Record<string, any>; error?: { code: number; message: string } }

/** The JSON-RPC response in a JSON body or in the SSE stream's last data event. */
function responseOf(contentType: string | undefined, text: string): Answer {
  if (!contentType?.startsWith('text/event-stream')) return JSON.parse(text) as Answer;
  let last: Answer | undefined;
  for (const block of text.split('\n\n')) {
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
    if (!data) continue;
    const message = JSON.parse(data) as Answer & { method?: string };
    if (message.method === undefined) last = message;
  }
  if (!last) throw new Error('the SSE stream carried no response');
  return last;
}

/** The request head of a `tools/call` of `name` (the bench tools' names are header-safe). */
function requestHead(url: URL, name: string): string {
  return `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n`
    + `accept: application/json, text/event-stream\r\nmcp-protocol-version: ${VERSION}\r\n`
    + `mcp-method: tools/call\r\nmcp-name: ${name}\r\n`;
}

/** A modern "session": one keep-alive connection (the m-c row's 50 clients get a socket each); each call is its own POST. */
export function connectModern(url: string, counters: ClientCounters): BenchSession {
  const target = new URL(url);
  const wire = new WireConnection(target.hostname, Number(target.port));
  const heads = new Map<string, string>();
  let ids = 0;
  async function post(name: string, params: Record<string, unknown>): Promise<Record<string, any>> {
    let head = heads.get(name);
    if (head === undefined) heads.set(name, head = requestHead(target, name));
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++ids, method: 'tools/call', params: { name, ...params, _meta: META } });
    const { status, contentType, text } = await wire.post(head, body);
    const answer = responseOf(contentType, text);
    if (!answer.result) throw new Error(`${name} failed (HTTP ${status}): ${JSON.stringify(answer.error)}`);
    return answer.result;
  }
  async function call(name: string, args: Record<string, unknown>): Promise<string> {
    let result = await post(name, { arguments: args });
    // 2026-07-28 basic/patterns/mrtr: answer every input request, retry with a new id and the echoed state.
    for (let round = 0; result.resultType === 'input_required'; round++) {
      if (round > 100) throw new Error(`${name}: more than 100 input rounds`);
      const inputResponses: Record<string, unknown> = {};
      for (const key of Object.keys(result.inputRequests ?? {})) {
        counters.elicited += 1;
        inputResponses[key] = elicitAnswer();
      }
      result = await post(name, { arguments: args, inputResponses, ...(result.requestState !== undefined ? { requestState: result.requestState } : {}) });
    }
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return firstText(result);
  }
  return {
    echo: (text) => call('echo', { text }),
    progress: () => Promise.reject(new Error('the modern rows do not stream progress')),
    // `rounds` multi round-trip calls, each one question: InputRequiredResult, then the retry.
    async elicit(rounds) {
      let answered = 0;
      for (let i = 0; i < rounds; i++) answered += Number(await call('ask', {}));
      return String(answered);
    },
    sample: () => Promise.reject(new Error('the modern rows do not sample')),
    stats: async (gc) => parseStats(await call('stats', { gc })),
    close: async () => wire.close(),
  };
}
