/**
 * Which stream a call's progress takes (2025-11-25 basic/transports): what the server sends on
 * a POST's SSE stream before the response "SHOULD relate to the originating client request",
 * and what it sends on the standalone GET stream "SHOULD be unrelated to any
 * concurrently-running JSON-RPC request from the client". With a session's GET stream open, a
 * read-only tool (any, with `--allow-destructive`) is called with generated arguments and a
 * `progressToken`: its progress belongs on its own POST stream.
 * A server that routes it to the GET stream instead (reported against the Python SDK: its
 * `report_progress` lost the request link)
 * loses it for every client that has not opened one. A server without a GET stream, or whose
 * tools send no progress, is not judged.
 */
import { openSession, post, rpc, sessionHeaders, type HttpTarget } from './http-legacy.ts';
import { listTools } from './resume.ts';
import { validArguments } from './args.ts';
import { gatherSse } from './sse-gather.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Tools tried when looking for one that sends progress. */
const MAX_CANDIDATES = 5;
/** How long after a call's response the GET stream is still read for its progress, ms. */
export const RELATED_GRACE_MS = 100;

const progressOf = (messages: readonly Obj[], token: string) => messages.filter((m) => m.method === 'notifications/progress' && isObj(m.params) && m.params.progressToken === token);

/** Call tools with a progress token while the session's GET stream is open; progress must stay on the POST stream. */
export async function checkRelatedStream(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('http.related-stream')) return;
  const s = await openSession(t);
  if (s.sessionId === undefined) return t.rec.skip('http.related-stream', 'the server issues no session id (no standalone stream to confuse with)', 'legacy');
  const get = await gatherSse(t.url, { method: 'GET', headers: { ...sessionHeaders(t, s, { 'content-type': undefined }), accept: 'text/event-stream' } }, t.timeoutMs, t.maxReplyBytes);
  if (get === undefined) return t.rec.skip('http.related-stream', 'the server opens no standalone GET stream', 'legacy');
  try {
    // Read-only tools (any tool with --allow-destructive), with generated arguments.
    const tools = (await listTools(t, s)).filter((tool) => isObj(tool) && (t.allowDestructive === true || (isObj(tool.annotations) && tool.annotations.readOnlyHint === true)));
    for (const tool of tools.slice(0, MAX_CANDIDATES)) {
      const token = `check-related-${String(tool.name)}`;
      const { reply, exchange } = await post(t, sessionHeaders(t, s), rpc('tools/call', { name: tool.name, arguments: validArguments(tool.inputSchema), _meta: { progressToken: token } }));
      await new Promise((resolve) => setTimeout(resolve, RELATED_GRACE_MS));
      const onPost = progressOf(reply.messages, token).length;
      const onGet = progressOf(get.messages.map((g) => g.message), token);
      if (onPost + onGet.length === 0) continue;
      if (onGet.length > 0) {
        t.rec.fail('http.related-stream', `tools/call of ${String(tool.name)}: ${onGet.length} of its ${onPost + onGet.length} progress notification(s) came on the standalone GET stream, not on the call's own POST stream`, `${exchange}\nGET stream: ${onGet.map((m) => JSON.stringify(m)).join(' | ')}`, 'legacy');
      } else t.rec.pass('http.related-stream', `tools/call of ${String(tool.name)}: its ${onPost} progress notification(s) came on its own POST stream, none on the open GET stream`, 'legacy');
      return;
    }
    t.rec.skip('http.related-stream', `none of the first ${MAX_CANDIDATES} ${t.allowDestructive === true ? '' : 'read-only '}tools sent progress`, 'legacy');
  } finally {
    get.close();
  }
}
