/**
 * Cancellation over legacy HTTP (2025-11-25 basic/utilities/cancellation: on
 * `notifications/cancelled` the receiver "SHOULD stop processing the cancelled request ... and
 * not send a response for the cancelled request"). A tool call still running after its first
 * message (progress, or a request of its own) is cancelled; its stream is then watched a short
 * window for the response that should not come. A call whose response follows its first
 * message within {@link CANCEL_GRACE_MS} is too quick to cancel and is not judged: the spec lets
 * a cancellation and a response cross.
 */
import { createSseDecoder } from 'mcpwire/transport';
import { openSession, post, rpc, sessionHeaders, type HttpTarget, type LegacySession } from './http-legacy.ts';
import { ZERO_ID } from './http-jsonrpc.ts';
import { listTools } from './resume.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Tools tried when looking for one that is still running after its first message. */
const MAX_CANDIDATES = 5;
/** A response this soon after the call's first message means the call cannot be cancelled in time, ms. */
export const CANCEL_GRACE_MS = 100;
/** How long the stream of a cancelled call is watched for a late response, ms (at most the exchange bound). */
export const CANCEL_WINDOW_MS = 1000;

/** The messages of one SSE reply, read one at a time with a bound on each wait. */
export function follow(body: ReadableStream<Uint8Array>): { next(ms: number): Promise<Obj | 'end' | 'timeout'>; close(): Promise<void>; queued(): readonly Obj[] } {
  const queue: Obj[] = [];
  const reader = body.getReader();
  let ended = false;
  const decoder = createSseDecoder({
    onEvent(e) { try { const m = JSON.parse(e.data) as unknown; if (isObj(m)) queue.push(m); } catch { /* priming event */ } },
    onError: () => undefined,
  });
  let reading: Promise<void> | undefined;
  const pump = () => (reading ??= reader.read().then((r) => { reading = undefined; if (r.done) ended = true; else decoder.push(r.value); }, () => { reading = undefined; ended = true; }));
  return {
    async next(ms) {
      const until = Date.now() + ms;
      for (;;) {
        const m = queue.shift();
        if (m !== undefined) return m;
        if (ended) return 'end';
        const left = until - Date.now();
        if (left <= 0) return 'timeout';
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), left); });
        const got = await Promise.race([pump(), late]);
        clearTimeout(timer);
        if (got === 'timeout' && queue.length === 0) return 'timeout';
      }
    },
    close: () => reader.cancel().catch(() => undefined),
    /** The messages read off the stream and not yet taken by `next` (a read goes on between calls). */
    queued: (): readonly Obj[] => [...queue],
  };
}

/** A legacy call's SSE stream, read one message at a time. */
export type CallStream = ReturnType<typeof follow>;

/**
 * POST `body` in session `s` and hand its SSE stream to `use`, all bounded by the target's
 * timeout; the stream is closed and the request aborted afterwards. Resolves `use`'s verdict
 * (true: the probe is done), or false when the reply was not a stream.
 */
export async function withCallStream(t: HttpTarget, s: LegacySession, body: Obj, use: (stream: CallStream) => Promise<boolean>): Promise<boolean> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(sessionHeaders(t, s))) if (v !== undefined) headers.set(k, v);
  const abort = new AbortController();
  const bound = setTimeout(() => abort.abort(), t.timeoutMs);
  try {
    const response = await fetch(t.url, { method: 'POST', headers, body: JSON.stringify(body), signal: abort.signal });
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel();
      return false;
    }
    const stream = follow(response.body);
    try {
      return await use(stream);
    } finally {
      await stream.close();
    }
  } finally {
    clearTimeout(bound);
    abort.abort();
  }
}

/** Cancel a running tool call in `s` and watch for its late response; resolves the tool that passed, if one did. */
export async function checkCancellation(t: HttpTarget, s: LegacySession): Promise<Obj | undefined> {
  if (!t.rec.wants('cancellation.no-response')) return undefined;
  const tools = (await listTools(t, s)).filter((tool) => {
    const schema = tool.inputSchema as { required?: unknown[] } | undefined;
    return (tool.annotations as Obj | undefined)?.readOnlyHint === true && (schema?.required ?? []).length === 0;
  });
  let crossed: string | undefined;
  for (const tool of tools.slice(0, MAX_CANDIDATES)) {
    const outcome = await cancelCall(t, s, tool, rpc('tools/call', { name: tool.name, arguments: {}, _meta: { progressToken: `check-cancel-${String(tool.name)}` } }));
    if (outcome === 'pass') return tool;
    if (outcome === 'fail') return undefined;
    if (outcome === 'crossed') crossed ??= crossedWords(tool, '');
  }
  t.rec.skip('cancellation.no-response', crossed ?? `no read-only tool without required arguments was still running ${CANCEL_GRACE_MS} ms after its first message`, 'legacy');
  return undefined;
}

/**
 * The call of `tool` (the one {@link checkCancellation} passed on) made with the id 0 and
 * cancelled, in a session of its own: the id 0 is taken in the probes' session by the id-0 ping,
 * and a request id "MUST NOT have been previously used by the requestor within the same session"
 * (2025-11-25 basic/index). A server that tests the cancel's `requestId` for truthiness
 * (typescript-sdk PR #2654) ignores a cancel naming 0 and answers the call.
 */
export async function checkCancelZero(t: HttpTarget, tool: Obj): Promise<void> {
  if (!t.rec.wants('cancellation.no-response')) return;
  if (t.rec.findings.some((f) => f.id === 'jsonrpc.zero-id' && f.outcome === 'fail' && f.era === 'legacy')) {
    t.rec.skip('cancellation.no-response', 'a cancel naming the id 0 was not probed, as the id 0 is not answered at all (jsonrpc.zero-id)', 'legacy');
    return;
  }
  const s = await openSession(t);
  const body = { ...rpc('tools/call', { name: tool.name, arguments: {}, _meta: { progressToken: 'check-cancel-zero' } }), id: ZERO_ID };
  const outcome = await cancelCall(t, s, tool, body);
  if (outcome === 'unjudged') t.rec.skip('cancellation.no-response', `tools/call of ${String(tool.name)} with the id 0 was answered at once, or was not a stream: not judged`, 'legacy');
  if (outcome === 'crossed') t.rec.skip('cancellation.no-response', crossedWords(tool, ' with the id 0'), 'legacy');
}

/** Why a call whose answer crossed its cancel is not judged. */
function crossedWords(tool: Obj, zero: string): string {
  return `not judged: tools/call of ${String(tool.name)}${zero} was answered while its notifications/cancelled was in flight (the answer was read before the cancel's 202 came back): they crossed, which the spec allows`;
}

/**
 * Call, cancel once running, and watch; records pass or fail, or resolves 'unjudged' when the
 * call could not be cancelled in time, 'crossed' when its answer came before the cancel was
 * accepted (2025-11-25 basic/utilities/cancellation: a cancellation may arrive after the
 * request completed).
 */
async function cancelCall(t: HttpTarget, s: LegacySession, tool: Obj, body: Obj): Promise<'pass' | 'fail' | 'unjudged' | 'crossed'> {
  const zero = body.id === ZERO_ID ? ' with the id 0' : '';
  let outcome: 'pass' | 'fail' | 'unjudged' | 'crossed' = 'unjudged';
  await withCallStream(t, s, body, async (stream) => {
    const isAnswer = (m: Obj) => m.id === body.id && !('method' in m);
    const first = await stream.next(t.timeoutMs);
    if (typeof first === 'string' || isAnswer(first)) return false; // answered at once: nothing to cancel
    const soon = await stream.next(CANCEL_GRACE_MS);
    if (soon !== 'timeout') return false; // too quick (or more messages at once): not judged
    const cancelled = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: body.id, reason: 'mcpwire check: cancellation probe' } };
    const { exchange } = await post(t, sessionHeaders(t, s), cancelled);
    if (stream.queued().some(isAnswer)) {
      outcome = 'crossed';
      return false;
    }
    const sentAt = Date.now();
    const window = Math.min(CANCEL_WINDOW_MS, t.timeoutMs);
    let end: string;
    for (;;) {
      const m = await stream.next(window - (Date.now() - sentAt));
      if (typeof m === 'string') { end = m === 'end' ? `its stream ended ${Date.now() - sentAt} ms after` : `none in the ${window} ms watched`; break; }
      if (!isAnswer(m)) continue;
      t.rec.fail('cancellation.no-response', `tools/call of ${String(tool.name)}${zero} was answered ${Date.now() - sentAt} ms after notifications/cancelled${zero ? ' naming the id 0' : ''} was accepted${zero ? ' (a truthiness test of requestId ignores it)' : ''}`, `${exchange} -> then ${JSON.stringify(m)}`, 'legacy');
      outcome = 'fail';
      return true;
    }
    t.rec.pass('cancellation.no-response', `tools/call of ${String(tool.name)}${zero}, cancelled while running, got no response (${end})`, 'legacy');
    outcome = 'pass';
    return true;
  });
  return outcome;
}
