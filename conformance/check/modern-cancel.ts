/**
 * Cancellation in the 2026-07-28 era over HTTP (basic/patterns/cancellation, transport-specific
 * cancellation: "Closing the SSE response stream is the cancellation signal. The server MUST
 * treat a client disconnect as cancellation of that request"). Nothing comes back on a closed
 * stream, so the probe looks where a running tool can still show itself: a
 * `subscriptions/listen` asking for every list kind and the listed resources. A read-only tool
 * without required arguments still running {@link CANCEL_GRACE_MS} after its first message is
 * first called to its end (the control): what reaches the listen from then until
 * {@link SETTLE_MS} after its answer is what its unfinished work shows. It is called again and
 * its stream closed that long after its first message, and the listen watched
 * {@link CANCEL_WINDOW_MS}: the control's notifications (same method and URI) coming again mean
 * the work ran on. A tool whose work shows nothing on a listen, or a refused listen, is not judged.
 */
import { ACK } from './modern-listen.ts';
import { CANCEL_GRACE_MS, CANCEL_WINDOW_MS } from './cancel.ts';
import { gatherSse, type Gathered } from './sse-gather.ts';
import type { HttpTarget } from './http-legacy.ts';
import type { Tool } from 'mcpwire/protocol';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Tools tried when looking for one that runs a while and whose work shows on a listen. */
const MAX_CANDIDATES = 5;
/** How long after the control call's answer its notifications may still reach the listen, ms. */
export const SETTLE_MS = 300;

/** What the probe needs from the modern checks. */
export interface ModernCancelProbe {
  request(method: string, params: Obj): { body: Obj; headers: Record<string, string | undefined> };
  readonly tools: readonly Tool[];
  /** The listed resources, asked for on the listen (only when discover declares `resources.subscribe`). */
  readonly uris: readonly string[];
}

const key = (m: Obj) => `${String(m.method)}${isObj(m.params) && typeof m.params.uri === 'string' ? ` of ${m.params.uri}` : ''}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Call `tool` with a progress token; resolves when its first message came (or not), the stream still open. */
async function call(t: HttpTarget, p: ModernCancelProbe, tool: Tool) {
  const { body, headers } = p.request('tools/call', { name: tool.name, arguments: {} });
  const params = body.params as Obj;
  params._meta = { ...(params._meta as Obj), progressToken: `check-disconnect-${tool.name}` }; // the request builder writes _meta whole
  const stream = await gatherSse(t.url, { method: 'POST', headers, body: JSON.stringify(body) }, t.timeoutMs, t.maxReplyBytes);
  if (stream === undefined) return undefined;
  const answered = (m: Obj) => m.id === body.id && !('method' in m);
  await stream.until(() => true, t.timeoutMs);
  const first = stream.messages[0];
  return { stream, answered, first: first === undefined || answered(first.message) ? undefined : first };
}

/** Watch a listen while a running call is cut off; its work must not show after the cut. */
export async function checkModernCancel(t: HttpTarget, p: ModernCancelProbe): Promise<void> {
  if (!t.rec.wants('modern.disconnect-cancels')) return;
  const skip = (why: string) => t.rec.skip('modern.disconnect-cancels', why, 'modern');
  const filter = { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, ...(p.uris.length > 0 ? { resourceSubscriptions: [...p.uris] } : {}) };
  const { body, headers } = p.request('subscriptions/listen', { notifications: filter });
  const listen = await gatherSse(t.url, { method: 'POST', headers, body: JSON.stringify(body) }, t.timeoutMs, t.maxReplyBytes);
  if (listen === undefined || !(await listen.until((m) => m.method === ACK, t.timeoutMs))) {
    listen?.close();
    return skip('no acknowledged subscriptions/listen to watch');
  }
  const notesBetween = (from: number, to: number): Gathered[] => listen.messages.filter((g) => g.at > from && g.at <= to && typeof g.message.method === 'string' && g.message.method !== ACK && !('id' in g.message));
  try {
    // A broken server's list may hold anything: only objects with a readOnlyHint and no required argument.
    const candidates = p.tools.filter((tool) => isObj(tool) && isObj(tool.annotations) && tool.annotations.readOnlyHint === true && typeof tool.name === 'string' && ((tool.inputSchema as { required?: unknown[] } | undefined)?.required ?? []).length === 0);
    for (const tool of candidates.slice(0, MAX_CANDIDATES)) {
      // The control: the call run to its end.
      const control = await call(t, p, tool);
      if (control === undefined) continue;
      if (control.first === undefined) { control.stream.close(); continue; }
      const cutAt = control.first.at + CANCEL_GRACE_MS;
      const done = await control.stream.until(control.answered, t.timeoutMs);
      const answeredAt = control.stream.messages.find((g) => control.answered(g.message))?.at ?? Date.now();
      control.stream.close();
      if (!done || answeredAt <= cutAt) continue; // too quick to cut, or no answer: not this one
      await sleep(SETTLE_MS);
      const shows = new Set(notesBetween(cutAt, answeredAt + SETTLE_MS).map((g) => key(g.message)));
      if (shows.size === 0) continue;
      // The cut: the same call, its stream closed as long after its first message.
      const cut = await call(t, p, tool);
      if (cut === undefined || cut.first === undefined) { cut?.stream.close(); continue; }
      await sleep(Math.max(0, cut.first.at + CANCEL_GRACE_MS - Date.now()));
      if (cut.stream.messages.some((g) => cut.answered(g.message))) { cut.stream.close(); continue; }
      cut.stream.close();
      const closedAt = Date.now();
      const window = Math.min(CANCEL_WINDOW_MS, t.timeoutMs);
      await sleep(window);
      const again = notesBetween(closedAt, closedAt + window).filter((g) => shows.has(key(g.message)));
      if (again.length > 0) t.rec.fail('modern.disconnect-cancels', `tools/call of ${tool.name} ran on after the client closed its stream: ${key(again[0]!.message)} came on the listen ${again[0]!.at - closedAt} ms after the close, as when the call runs to its end`, again.map((g) => JSON.stringify(g.message)).join(' | '), 'modern');
      else t.rec.pass('modern.disconnect-cancels', `tools/call of ${tool.name}, its stream closed while running: none of what its end shows (${[...shows].join(', ')}) came in the ${window} ms watched`, 'modern');
      return;
    }
    skip(`none of the first ${MAX_CANDIDATES} read-only tools without required arguments ran ${CANCEL_GRACE_MS} ms past its first message and showed its work on a listen`);
  } finally {
    listen.close();
  }
}
