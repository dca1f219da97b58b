/**
 * Two legacy Streamable HTTP refusals the spec leaves to HTTP (notes 5a): a second standalone
 * GET stream in one session (open beside the first, or refused with 409 Conflict) and a body
 * above the server's limit (413 Content Too Large, RFC 9110 15.5.14), never a crash or a hang.
 */
import { openSession, sessionHeaders, type HttpTarget, type LegacySession } from './http-legacy.ts';
import { describeExchange, rawRequest, readReplyText } from './raw-http.ts';

/** The body limit assumed when the user declares none (mcpwire's and the official SDK's default), bytes. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How far above the limit the probe body goes, bytes. */
const OVER_BY = 1024;

/** Open a standalone GET and keep it open; resolves with its status once headers arrive. */
async function openGet(t: HttpTarget, s: LegacySession, abort: AbortController): Promise<{ status: number; contentType: string; text: string }> {
  const headers = new Headers();
  for (const [k, v] of Object.entries({ ...sessionHeaders(t, s, { 'content-type': undefined }), accept: 'text/event-stream' })) if (v !== undefined) headers.set(k, v);
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(t.timeoutMs)]);
  const response = await fetch(t.url, { method: 'GET', headers, signal });
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // A stream stays open (read by nobody until aborted); a refusal is read whole.
  const text = contentType === 'text/event-stream' ? '' : await readReplyText(response.body, t.maxReplyBytes);
  return { status: response.status, contentType, text };
}

/**
 * 2025-11-25 basic/transports: listening for messages. A client MAY open the GET stream; the spec
 * names no status for a second one in the same session: it is served (several streams) or refused
 * with 409 Conflict. Anything else (400, 500, a hang) is a finding.
 */
export async function checkSecondGet(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('http.get-conflict')) return;
  const s = await openSession(t);
  const abort = new AbortController();
  try {
    const first = await openGet(t, s, abort);
    if (first.status === 405) {
      t.rec.skip('http.get-conflict', 'the server refuses GET with 405', 'legacy');
      return;
    }
    if (first.status !== 200 || first.contentType !== 'text/event-stream') {
      t.rec.skip('http.get-conflict', `the first GET answered ${first.status} ${first.contentType} (see http.get-stream)`, 'legacy');
      return;
    }
    const second = await openGet(t, s, abort).catch((error: unknown) => ({ status: 0, contentType: '', text: String(error) }));
    const exchange = `GET (second standalone stream, the first still open) -> ${second.status} ${second.contentType} ${second.text}`;
    if (second.status === 409) t.rec.pass('http.get-conflict', 'a second standalone GET is refused with 409', 'legacy');
    else if (second.status === 200 && second.contentType === 'text/event-stream') t.rec.pass('http.get-conflict', 'a second standalone GET opens a second stream', 'legacy');
    else t.rec.fail('http.get-conflict', `a second standalone GET answered ${second.status === 0 ? 'nothing' : second.status} (expected 409, or 200 with a stream)`, exchange, 'legacy');
  } finally {
    abort.abort();
  }
}

/** A valid ping of exactly `size` bytes (whitespace padding keeps it valid JSON). */
function paddedPing(size: number): string {
  const head = '{"jsonrpc":"2.0","id":"mcpwire-check-large","method":"ping"';
  return `${head}${' '.repeat(Math.max(0, size - head.length - 1))}}`;
}

/**
 * A POST body above the server's limit gets 413 (RFC 9110 15.5.14; the MCP spec names no limit).
 * With `declared`, the user named the limit and a served body is a finding; without, a served
 * body only says the server's limit (if any) is higher, and the rule is skipped.
 */
export async function checkBodyLimit(t: HttpTarget, s: LegacySession, maxBodyBytes: number, declared: boolean): Promise<void> {
  if (!t.rec.wants('http.body-too-large')) return;
  const size = maxBodyBytes + OVER_BY;
  const headers = sessionHeaders(t, s);
  const body = paddedPing(size);
  const shown = `${body.slice(0, 60)}... (${size} bytes)`;
  let reply;
  try {
    reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  } catch (error) {
    t.rec.fail('http.body-too-large', `a ${size}-byte POST got no HTTP answer: ${error instanceof Error ? error.message : String(error)}`, `POST ${shown}`, 'legacy');
    return;
  }
  const exchange = describeExchange('POST', headers, shown, reply);
  if (reply.status === 413) t.rec.pass('http.body-too-large', `a ${size}-byte POST got 413`, 'legacy');
  else if (reply.status >= 200 && reply.status < 300 && !declared) t.rec.skip('http.body-too-large', `a ${size}-byte POST was served: the server's limit is higher (name it with --max-body)`, 'legacy');
  else t.rec.fail('http.body-too-large', `a ${size}-byte POST (limit ${maxBodyBytes}) answered ${reply.status} (expected 413)`, exchange, 'legacy');
}
