/**
 * The legacy Streamable HTTP transport rules (2025-11-25 basic/transports; notes 5a): status
 * codes, session ids, DELETE, the protocol-version header, Origin, the standalone GET stream.
 * Each probe opens its own session so one failure does not hide the next.
 */
import type { FindingRecorder } from './findings.ts';
import type { RuleId } from './catalog.ts';
import { describeExchange, rawRequest, type RawReply } from './raw-http.ts';
import { checkBodyLimit, checkSecondGet, DEFAULT_MAX_BODY_BYTES } from './http-conflict.ts';
import { checkStringId, checkVersionNegotiation, checkZeroId } from './http-jsonrpc.ts';
import { isObject as isObj } from '../validate-schema-checks.ts';
import { legacyRefusal, modernOnlyVersions } from './legacy-not-spoken.ts';


/** What the HTTP checks share: where, how long, which headers to add, who records. */
export interface HttpTarget {
  readonly url: string;
  readonly timeoutMs: number;
  /** Added to every request (e.g. Authorization from --token). */
  readonly headers: Readonly<Record<string, string>>;
  readonly rec: FindingRecorder;
  /** The legacy version to ask for in initialize. */
  readonly version: string;
  /** The server's POST body limit, bytes, when the user named it (`--max-body`). */
  readonly maxBodyBytes?: number;
  /** Most bytes of one reply's body the raw exchanges read (`--max-reply`); past it the exchange fails. */
  readonly maxReplyBytes: number;
  /** How long a 2026-07-28 listen stream is held after its acknowledgement, ms (`--listen-window`). Default 500. */
  readonly listenWindowMs?: number;
  /** 2026-07-28: a tool called once a listen is acknowledged, to make the server change something the listen asked for (`--listen-trigger`). Default none. */
  readonly listenTrigger?: string;
  /** Call tools that may be destructive (the 2026-07-28 task probe calls tools). Default false. */
  readonly allowDestructive?: boolean;
}

/** A legacy session opened by a probe. */
export interface LegacySession {
  readonly sessionId: string | undefined;
  readonly version: string;
  readonly init: RawReply;
}

export const ACCEPT_BOTH = 'application/json, text/event-stream';
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
let nextId = 1;

/** A JSON-RPC request body with a fresh id. */
export function rpc(method: string, params?: Record<string, unknown>): { jsonrpc: '2.0'; id: number; method: string; params?: Record<string, unknown> } {
  return { jsonrpc: '2.0', id: nextId++, method, ...(params ? { params } : {}) };
}

/** The headers of a request in `session` (overridable, `undefined` drops one). */
export function sessionHeaders(t: HttpTarget, s: LegacySession | undefined, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ...t.headers, accept: ACCEPT_BOTH, 'content-type': 'application/json',
    ...(s?.sessionId ? { 'mcp-session-id': s.sessionId } : {}),
    ...(s ? { 'mcp-protocol-version': s.version } : {}),
    ...extra,
  };
}

/** POST `body` with `headers` and record the exchange text on failure. */
export async function post(t: HttpTarget, headers: Record<string, string | undefined>, body: unknown): Promise<{ reply: RawReply; exchange: string }> {
  const reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  return { reply, exchange: describeExchange('POST', headers, body, reply) };
}

/**
 * The server answered `initialize` with no result: no session exists, so nothing of the legacy
 * era can be checked. `exchange` is what was sent and seen; `speaks`, when the server refused
 * the version naming the ones it supports (-32022, 2026-07-28 basic/versioning) and none is a
 * legacy one: those versions (a 2026-07-28-only server, not a failing one).
 */
export class SessionNotOpened extends Error {
  readonly exchange: string;
  readonly speaks: readonly string[] | undefined;
  constructor(status: number, contentType: string, exchange: string, version: string, error?: unknown) {
    const speaks = modernOnlyVersions(error);
    super(speaks !== undefined
      ? legacyRefusal(version, isObj(error) ? error.code : '', speaks)
      : `initialize got no result (HTTP ${status}${contentType ? `, ${contentType}` : ''})${notOpenedHint(status, contentType, error)}`);
    this.name = 'SessionNotOpened';
    this.exchange = exchange;
    this.speaks = speaks;
  }
}

/** What an initialize without a result most likely means, for the person reading the report. */
function notOpenedHint(status: number, contentType: string, error: unknown): string {
  if (isObj(error)) return `: it was answered with error ${String(error.code)} ${JSON.stringify(String(error.message ?? ''))}`;
  if (contentType === 'text/html') return ': the URL serves a web page, not MCP: give the MCP endpoint\'s URL (its path is often /mcp)';
  if (status === 404 || status === 405) return `: nothing answers MCP at this path: check the URL's path (the MCP endpoint is often /mcp)`;
  if (status >= 500) return ': the server failed on initialize: its own log should say why';
  return '';
}

/** initialize (declaring `capabilities`) + notifications/initialized; records the rules the handshake shows. */
export async function openSession(t: HttpTarget, record = false, capabilities: Record<string, unknown> = {}): Promise<LegacySession> {
  const body = rpc('initialize', { protocolVersion: t.version, capabilities, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } });
  const headers = sessionHeaders(t, undefined);
  const { reply: init, exchange } = await post(t, headers, body);
  const result = init.messages.find((m) => m.id === body.id)?.result as { protocolVersion?: unknown } | undefined;
  if (init.status !== 200 || !result) throw new SessionNotOpened(init.status, init.contentType, exchange, t.version, init.messages.find((m) => m.id === body.id)?.error);
  const sessionId = init.headers.get('mcp-session-id') ?? undefined;
  const version = typeof result.protocolVersion === 'string' ? result.protocolVersion : t.version;
  if (record) {
    const ct = init.contentType === 'application/json' || init.contentType === 'text/event-stream';
    if (ct) t.rec.pass('http.response-content-type', `initialize answered ${init.contentType}`, 'legacy');
    else t.rec.fail('http.response-content-type', `initialize answered content-type "${init.contentType}"`, exchange, 'legacy');
    if (sessionId === undefined) t.rec.skip('http.session-id-format', 'the server issues no session id', 'legacy');
    else if (VISIBLE_ASCII.test(sessionId)) t.rec.pass('http.session-id-format', 'session id is visible ASCII', 'legacy');
    else t.rec.fail('http.session-id-format', `session id ${JSON.stringify(sessionId)} has characters outside 0x21-0x7E`, exchange, 'legacy');
  }
  const session = { sessionId, version, init };
  const note = { jsonrpc: '2.0', method: 'notifications/initialized' };
  const { reply, exchange: noteExchange } = await post(t, sessionHeaders(t, session), note);
  if (record) {
    // 2025-11-25 basic/transports: an accepted notification gets 202 with no body.
    if (reply.status === 202 && reply.text === '' && reply.events.length === 0) t.rec.pass('http.notification-202', 'notifications/initialized got 202', 'legacy');
    else t.rec.fail('http.notification-202', `notifications/initialized got ${reply.status}${reply.text ? ' with a body' : ''}`, noteExchange, 'legacy');
  }
  return session;
}

type Expect = (reply: RawReply) => string | undefined;

/** An error-status expectation: undefined when met, else what was wrong. */
function status(wanted: number, also?: (reply: RawReply) => string | undefined): Expect {
  return (reply) => (reply.status !== wanted ? `expected ${wanted}, got ${reply.status}` : also?.(reply));
}

async function probe(t: HttpTarget, id: RuleId, what: string, headers: Record<string, string | undefined>, body: unknown, expect: Expect): Promise<void> {
  if (!t.rec.wants(id)) return;
  const { reply, exchange } = await post(t, headers, body);
  const problem = expect(reply);
  if (problem === undefined) t.rec.pass(id, `${what}: got ${reply.status}`, 'legacy');
  else t.rec.fail(id, `${what}: ${problem}`, exchange, 'legacy');
}


/** Run every legacy HTTP status/header rule against `t.url`. */
export async function checkLegacyHttp(t: HttpTarget): Promise<LegacySession> {
  const s = await openSession(t, true);
  const ping = () => rpc('ping');
  // 2025-11-25 basic/transports: the client MUST accept both; servers refuse others with 406.
  await probe(t, 'http.post-accept', 'POST with Accept: application/json only', sessionHeaders(t, s, { accept: 'application/json' }), ping(), status(406));
  await probe(t, 'http.post-content-type', 'POST with Content-Type: text/plain', sessionHeaders(t, s, { 'content-type': 'text/plain' }), ping(), status(415));
  // basic/transports: input the server cannot accept gets an HTTP error status; the body MAY
  // be a JSON-RPC error (-32700 here), so only the status is held against the server.
  await probe(t, 'http.parse-error', 'POST of an unparsable body', sessionHeaders(t, s), '{"jsonrpc": "2.0", "id": 1, "method": ', status(400));
  if (s.sessionId !== undefined) {
    await probe(t, 'http.session-required', 'ping without Mcp-Session-Id', sessionHeaders(t, s, { 'mcp-session-id': undefined }), ping(), status(400));
    await probe(t, 'http.session-unknown', 'ping with an unknown session id', sessionHeaders(t, s, { 'mcp-session-id': 'mcpwire-check-unknown-session' }), ping(), status(404));
  } else {
    t.rec.skip('http.session-required', 'the server issues no session id', 'legacy');
    t.rec.skip('http.session-unknown', 'the server issues no session id', 'legacy');
  }
  if (s.version >= '2025-06-18') {
    await probe(t, 'http.protocol-version-header', 'ping with MCP-Protocol-Version: 1999-01-01', sessionHeaders(t, s, { 'mcp-protocol-version': '1999-01-01' }), ping(), status(400));
  } else t.rec.skip('http.protocol-version-header', `negotiated ${s.version} has no protocol-version header`, 'legacy');
  // 2025-11-25 names 403; earlier revisions require the check without naming a status.
  const origin: Expect = s.version >= '2025-11-25' ? status(403) : (r) => (r.status >= 400 && r.status < 500 ? undefined : `expected a 4xx, got ${r.status}`);
  await probe(t, 'http.origin', 'ping with Origin: http://attacker.invalid', sessionHeaders(t, s, { origin: 'http://attacker.invalid' }), ping(), origin);
  await checkStringId(t, s);
  await checkZeroId(t, s);
  await checkVersionNegotiation(t);
  await checkGet(t, s);
  await checkSecondGet(t);
  await checkBodyLimit(t, s, t.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, t.maxBodyBytes !== undefined);
  await checkDelete(t);
  return s;
}

async function checkGet(t: HttpTarget, s: LegacySession): Promise<void> {
  if (!t.rec.wants('http.get-stream') && !t.rec.wants('http.get-no-response')) return;
  const headers = { ...sessionHeaders(t, s, { 'content-type': undefined }), accept: 'text/event-stream' };
  const reply = await rawRequest(t.url, { method: 'GET', headers, timeoutMs: t.timeoutMs, windowMs: Math.min(500, t.timeoutMs), maxReplyBytes: t.maxReplyBytes });
  const exchange = describeExchange('GET', headers, undefined, reply);
  if (reply.status === 405) t.rec.pass('http.get-stream', 'GET refused with 405', 'legacy');
  else if (reply.status === 200 && reply.contentType === 'text/event-stream') t.rec.pass('http.get-stream', 'GET opened an SSE stream', 'legacy');
  else t.rec.fail('http.get-stream', `GET answered ${reply.status} ${reply.contentType}`, exchange, 'legacy');
  // Only an open SSE stream is a standalone stream; a refusal's JSON body is not.
  const responses = reply.contentType === 'text/event-stream' ? reply.messages.filter((m) => !('method' in m)) : [];
  if (responses.length > 0) t.rec.fail('http.get-no-response', `the standalone stream carried ${responses.length} response(s)`, exchange, 'legacy');
  else if (reply.status === 200) t.rec.pass('http.get-no-response', 'no responses on the standalone stream', 'legacy');
}

async function checkDelete(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('http.delete-session')) return;
  const s = await openSession(t);
  if (s.sessionId === undefined) {
    t.rec.skip('http.delete-session', 'the server issues no session id', 'legacy');
    return;
  }
  const headers = sessionHeaders(t, s, { 'content-type': undefined });
  const del = await rawRequest(t.url, { method: 'DELETE', headers, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  const delExchange = describeExchange('DELETE', headers, undefined, del);
  if (del.status === 405) {
    t.rec.pass('http.delete-session', 'DELETE refused with 405', 'legacy');
    return;
  }
  if (del.status < 200 || del.status >= 300) {
    t.rec.fail('http.delete-session', `DELETE answered ${del.status} (expected 2xx or 405)`, delExchange, 'legacy');
    return;
  }
  // 2025-11-25 basic/transports: once a session ends, its id MUST get 404.
  const { reply, exchange } = await post(t, sessionHeaders(t, s), rpc('ping'));
  if (reply.status === 404) t.rec.pass('http.delete-session', 'the deleted session answers 404', 'legacy');
  else t.rec.fail('http.delete-session', `after DELETE the session still answers ${reply.status}`, `${delExchange}\n${exchange}`, 'legacy');
}
