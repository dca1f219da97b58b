/**
 * SSE event ids and resumption (2025-11-25 basic/transports: resumability and redelivery):
 * a streaming tool call is cut after its first message and resumed with `Last-Event-ID`;
 * what follows must arrive exactly once, and the same id presented in another session must
 * replay nothing of this one.
 */
import type { SseEvent } from 'mcpwire/transport';
import { describeExchange, rawRequest, type RawReply } from './raw-http.ts';
import { openSession, post, rpc, sessionHeaders, type HttpTarget, type LegacySession } from './http-legacy.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** Tools tried when looking for one that streams. */
const MAX_CANDIDATES = 5;
/** How long a resume in a foreign session is watched for leaked messages, ms. */
export const CROSS_SESSION_WINDOW_MS = 500;

/** Messages of `events` that belong to the call with request `id` and progress `token`. */
function belongs(events: readonly SseEvent[], id: number, token: string): Obj[] {
  const out: Obj[] = [];
  for (const e of events) {
    if (e.data === '') continue;
    let m: unknown;
    try { m = JSON.parse(e.data); } catch { continue; }
    if (typeof m !== 'object' || m === null) continue;
    const msg = m as Obj;
    const params = msg.params as Obj | undefined;
    if (msg.id === id && !('method' in msg)) out.push(msg);
    else if (msg.method === 'notifications/progress' && params?.progressToken === token) out.push(msg);
  }
  return out;
}

function callBody(tool: { name: string }, token: string): ReturnType<typeof rpc> {
  return rpc('tools/call', { name: tool.name, arguments: {}, _meta: { progressToken: token } });
}

/** The session's tools, every page (at most 20). */
export async function listTools(t: HttpTarget, s: LegacySession): Promise<Obj[]> {
  const tools: Obj[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const { reply } = await post(t, sessionHeaders(t, s), rpc('tools/list', cursor ? { cursor } : {}));
    const result = reply.messages.find((m) => 'result' in m)?.result as { tools?: Obj[]; nextCursor?: string } | undefined;
    tools.push(...(result?.tools ?? []));
    cursor = result?.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** A read-only tool needing no arguments whose call streams progress and then its response, with event ids. */
async function findStreamingTool(t: HttpTarget, s: LegacySession): Promise<{ tool: Obj; reference: Obj[] } | undefined> {
  const tools = (await listTools(t, s)).filter((tool) => {
    const schema = tool.inputSchema as { required?: unknown[] } | undefined;
    return (tool.annotations as Obj | undefined)?.readOnlyHint === true && (schema?.required ?? []).length === 0;
  });
  for (const tool of tools.slice(0, MAX_CANDIDATES)) {
    const token = `check-ref-${String(tool.name)}`;
    const body = callBody(tool as { name: string }, token);
    const { reply } = await post(t, sessionHeaders(t, s), body);
    const mine = belongs(reply.events, body.id, token);
    const withIds = reply.events.filter((e) => e.data !== '' && e.id !== undefined).length;
    if (reply.contentType === 'text/event-stream' && mine.length >= 2 && withIds >= 2) return { tool, reference: mine };
  }
  return undefined;
}

/** Cut a streaming call, resume it, and present its event id in another session. */
export async function checkResume(t: HttpTarget, s: LegacySession): Promise<void> {
  const ids = ['http.sse-event-ids', 'http.resume-exactly-once', 'http.resume-cross-stream'] as const;
  if (!ids.some((id) => t.rec.wants(id))) return;
  const skipAll = (why: string) => { for (const id of ids) t.rec.skip(id, why, 'legacy'); };
  if (s.sessionId === undefined) return skipAll('the server issues no session id');
  const found = await findStreamingTool(t, s);
  if (!found) return skipAll('no read-only tool without required arguments streams progress with event ids');
  const token = 'check-cut';
  const body = callBody(found.tool as { name: string }, token);
  const headers = sessionHeaders(t, s);
  const first = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes, until: (ev) => ev.some((e) => e.data !== '' && e.id !== undefined) });
  // The client saw the stream up to its first message and no further (later events in the
  // same chunk count as lost with the connection).
  const cutIndex = first.events.findIndex((e) => e.data !== '' && e.id !== undefined);
  const cutAt = first.events[cutIndex]?.id;
  const before = belongs(first.events.slice(0, cutIndex + 1), body.id, token);
  if (cutAt === undefined || before.some((m) => !('method' in m))) return skipAll('the call answered before any progress, nothing to cut');
  const getHeaders = { ...sessionHeaders(t, s, { 'content-type': undefined }), accept: 'text/event-stream', 'last-event-id': cutAt };
  const resumed = await rawRequest(t.url, {
    method: 'GET', headers: getHeaders, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes,
    until: (ev) => belongs(ev, body.id, token).some((m) => !('method' in m)),
  });
  const exchange = `${describeExchange('POST', headers, body, first)}\n${describeExchange('GET', getHeaders, undefined, resumed)}`;
  checkEventIds(t, [...first.events.slice(0, cutIndex + 1), ...resumed.events], exchange);
  checkExactlyOnce(t, found.reference, [...before, ...belongs(resumed.events, body.id, token)], resumed, exchange);
  await checkCrossSession(t, cutAt, body.id, token);
}

function checkEventIds(t: HttpTarget, events: readonly SseEvent[], exchange: string): void {
  const seen = new Set<string>();
  for (const e of events) {
    if (e.id === undefined || e.id === '') continue;
    if (seen.has(e.id)) {
      t.rec.fail('http.sse-event-ids', `event id ${JSON.stringify(e.id)} was used twice`, exchange, 'legacy');
      return;
    }
    seen.add(e.id);
  }
  t.rec.pass('http.sse-event-ids', `${seen.size} event ids, all distinct`, 'legacy');
}

function checkExactlyOnce(t: HttpTarget, reference: readonly Obj[], got: readonly Obj[], resumed: RawReply, exchange: string): void {
  if (resumed.status !== 200) {
    t.rec.fail('http.resume-exactly-once', `GET with Last-Event-ID answered ${resumed.status}`, exchange, 'legacy');
    return;
  }
  const responses = got.filter((m) => !('method' in m)).length;
  const progress = got.filter((m) => 'method' in m).map((m) => JSON.stringify((m.params as Obj).progress));
  const dupes = progress.length - new Set(progress).size;
  const expected = reference.filter((m) => 'method' in m).length;
  const problems = [
    responses !== 1 ? `the response arrived ${responses} times` : '',
    dupes > 0 ? `${dupes} progress notification(s) arrived twice` : '',
    progress.length - dupes < expected ? `${expected - (progress.length - dupes)} of ${expected} progress notification(s) were lost` : '',
  ].filter(Boolean);
  if (problems.length > 0) t.rec.fail('http.resume-exactly-once', problems.join('; '), exchange, 'legacy');
  else t.rec.pass('http.resume-exactly-once', `cut after 1 message, resumed ${got.length - 1} more, each once`, 'legacy');
}

async function checkCrossSession(t: HttpTarget, lastEventId: string, id: number, token: string): Promise<void> {
  const other = await openSession(t);
  const headers = { ...sessionHeaders(t, other, { 'content-type': undefined }), accept: 'text/event-stream', 'last-event-id': lastEventId };
  const reply = await rawRequest(t.url, { method: 'GET', headers, timeoutMs: t.timeoutMs, windowMs: Math.min(CROSS_SESSION_WINDOW_MS, t.timeoutMs), maxReplyBytes: t.maxReplyBytes });
  const leaked = belongs(reply.events, id, token);
  if (leaked.length > 0) t.rec.fail('http.resume-cross-stream', `${leaked.length} message(s) of another session were replayed`, describeExchange('GET', headers, undefined, reply), 'legacy');
  else t.rec.pass('http.resume-cross-stream', `a foreign Last-Event-ID replayed nothing (status ${reply.status})`, 'legacy');
}
