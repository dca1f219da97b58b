/**
 * The client's answer to a server request, POSTed in a legacy session, gets 202 with no body.
 * 2025-11-25 basic/transports, sending messages to the server: "If the input is a JSON-RPC
 * response or notification: If the server accepts the input, the server MUST return HTTP
 * status code 202 Accepted with no body." `http.notification-202` probed the notification only
 * (our client takes any 2xx for an answer). A session declaring elicitation, sampling and roots
 * calls read-only tools (any tool with --allow-destructive), with generated arguments, until one
 * asks; its request is answered by a raw POST, whose reply is judged, and the call is then read
 * to its end.
 */
import { validArguments } from './args.ts';
import { withCallStream } from './cancel.ts';
import { describeExchange, rawRequest } from './raw-http.ts';
import { openSession, rpc, sessionHeaders, type HttpTarget } from './http-legacy.ts';
import { listTools } from './resume.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Tools tried before the probe gives up (each is called once). */
const MAX_CANDIDATES = 5;
const CAPABILITIES = { elicitation: {}, sampling: {}, roots: {} };

/** A schema-valid answer to a server request of `method` (undefined: not one the probe answers). */
function answerFor(method: unknown, params: unknown): Obj | undefined {
  if (method === 'elicitation/create') {
    const p = isObj(params) ? params : {};
    return p.mode === 'url' ? { action: 'decline' } : { action: 'accept', content: validArguments(p.requestedSchema) as Obj };
  }
  if (method === 'sampling/createMessage') return { role: 'assistant', content: { type: 'text', text: 'mcpwire check' }, model: 'mcpwire-check' };
  if (method === 'roots/list') return { roots: [{ uri: 'file:///mcpwire-check-root', name: 'check' }] };
  return undefined;
}

/** Call tools until one asks the client for input; judge the reply to the POSTed answer. */
export async function checkAnswerAccepted(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('http.notification-202')) return;
  const s = await openSession(t, false, CAPABILITIES);
  const tools = (await listTools(t, s)).filter((tool) => t.allowDestructive || (tool.annotations as Obj | undefined)?.readOnlyHint === true);
  for (const tool of tools.slice(0, MAX_CANDIDATES)) {
    const call = rpc('tools/call', { name: tool.name, arguments: validArguments(tool.inputSchema) });
    const done = await withCallStream(t, s, call, async (stream) => {
      for (;;) {
        const m = await stream.next(t.timeoutMs);
        if (typeof m === 'string' || (m.id === call.id && !('method' in m))) return false; // answered without asking: the next tool
        const result = 'id' in m ? answerFor(m.method, m.params) : undefined;
        if (result === undefined) continue;
        const answer = { jsonrpc: '2.0', id: m.id, result };
        const answerHeaders = sessionHeaders(t, s);
        const reply = await rawRequest(t.url, { headers: answerHeaders, body: answer, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
        const what = `the answer to ${String(m.method)} (asked by ${String(tool.name)})`;
        if (reply.status === 202 && reply.text === '' && reply.events.length === 0) t.rec.pass('http.notification-202', `${what} got 202`, 'legacy');
        else t.rec.fail('http.notification-202', `${what} got ${reply.status}${reply.text || reply.events.length > 0 ? ' with a body' : ''}, not 202 with no body`, describeExchange('POST', answerHeaders, answer, reply), 'legacy');
        // Let the call finish (its end is not judged here).
        for (let i = 0; i < 20; i++) { const next = await stream.next(t.timeoutMs); if (typeof next === 'string' || (next.id === call.id && !('method' in next))) break; }
        return true;
      }
    });
    if (done) return;
  }
  t.rec.skip('http.notification-202', `none of the first ${MAX_CANDIDATES} ${t.allowDestructive ? '' : 'read-only '}tools asked the client for input: no answer was POSTed`, 'legacy');
}
