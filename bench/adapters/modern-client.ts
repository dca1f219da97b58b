/**
 * The 2026-07-28 bench client: stateless POSTs with the `_meta` envelope and the standard
 * headers, answers read as JSON or SSE, and multi round-trip requests answered by retrying
 * with `inputResponses` and the echoed `requestState`. It speaks the raw protocol through
 * undici's `request` on one `Agent` shared by the process's clients (keep-alive sockets, no
 * WHATWG fetch, Request or Response objects), the same for every server, so the m rows
 * compare servers and not clients: with plain `fetch` both servers read near the same
 * figure, the client's own cost (issue #13's first measurements).
 */
import { Agent } from 'undici';
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

/** One pool for every client of the process (the m-c row's 50 clients get a socket each). */
let agent: Agent | undefined;

/** A modern "session": nothing is opened; each call is its own POST. */
export function connectModern(url: string, counters: ClientCounters): BenchSession {
  const { origin, pathname } = new URL(url);
  const pool = (agent ??= new Agent({ bodyTimeout: 0, headersTimeout: 0 }));
  let ids = 0;
  async function post(name: string, params: Record<string, unknown>): Promise<Record<string, any>> {
    const { statusCode, headers, body } = await pool.request({
      origin, path: pathname, method: 'POST',
      headers: {
        'content-type': 'application/json', accept: 'application/json, text/event-stream',
        'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': name,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++ids, method: 'tools/call', params: { name, ...params, _meta: META } }),
    });
    const type = headers['content-type'];
    const answer = responseOf(Array.isArray(type) ? type[0] : type, await body.text());
    if (!answer.result) throw new Error(`${name} failed (HTTP ${statusCode}): ${JSON.stringify(answer.error)}`);
    return answer.result;
  }
  async function call(name: string, args: Record<string, unknown>): Promise<string> {
    let result = await post(name, { arguments: args });
    // 2026-07-28 basic/mrtr: answer every input request, retry with a new id and the echoed state.
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
    close: async () => {},
  };
}
