/**
 * Legacy HTTP probes of JSON-RPC and lifecycle rules that need a request our client would never
 * send: a string id that looks like a number must come back a string (2025-11-25 basic/index:
 * a response "MUST include the same ID as the request"), and initialize asking for a version no
 * spec has must not be answered with that version (basic/lifecycle: version negotiation). A
 * request with the id 0 is a request like any other: answered, with 0 (implementations that test
 * the id for truthiness take it for a notification).
 */
import { post, rpc, sessionHeaders, type HttpTarget, type LegacySession } from './http-legacy.ts';

/** A version no revision of the spec has. */
export const UNKNOWN_VERSION = '1999-01-01';
/** A string id a server that parses ids as numbers gets wrong. */
export const NUMERIC_STRING_ID = '1001';

/** ping with the id `"1001"`: the answer's id must be that string, not the number 1001. */
export async function checkStringId(t: HttpTarget, s: LegacySession): Promise<void> {
  if (!t.rec.wants('jsonrpc.response-correlation')) return;
  const body = { ...rpc('ping'), id: NUMERIC_STRING_ID };
  const { reply, exchange } = await post(t, sessionHeaders(t, s), body);
  const answer = reply.messages.find((m) => !('method' in m));
  // No answer, or an error that could not read the id, is for the rules of ping and of the transport.
  if (answer === undefined || answer.id === undefined || answer.id === null) return;
  if (answer.id === NUMERIC_STRING_ID) t.rec.pass('jsonrpc.response-correlation', `a request with the string id "${NUMERIC_STRING_ID}" was answered with that string`, 'legacy');
  else t.rec.fail('jsonrpc.response-correlation', `a request with the string id "${NUMERIC_STRING_ID}" was answered with id ${JSON.stringify(answer.id)}`, exchange, 'legacy');
}

/** The integer id a falsy test (`if (!msg.id)`) takes for no id at all. */
export const ZERO_ID = 0;

/** ping with the id 0: it is a request, so it gets a response, and that response carries 0. */
export async function checkZeroId(t: HttpTarget, s: LegacySession): Promise<void> {
  if (!t.rec.wants('jsonrpc.zero-id')) return;
  const body = { ...rpc('ping'), id: ZERO_ID };
  const { reply, exchange } = await post(t, sessionHeaders(t, s), body);
  const answer = reply.messages.find((m) => !('method' in m));
  if (answer === undefined) t.rec.fail('jsonrpc.zero-id', `a ping with the id 0 got no response (HTTP ${reply.status}): the request was taken for a notification`, exchange, 'legacy');
  else if (answer.id === ZERO_ID) t.rec.pass('jsonrpc.zero-id', 'a request with the id 0 was answered with the id 0', 'legacy');
  else t.rec.fail('jsonrpc.zero-id', `a request with the id 0 was answered with id ${JSON.stringify(answer.id)}`, exchange, 'legacy');
}

/** initialize asking for a version that does not exist: the answer names one the server supports instead. */
export async function checkVersionNegotiation(t: HttpTarget): Promise<void> {
  if (!t.rec.wants('lifecycle.version')) return;
  const body = rpc('initialize', { protocolVersion: UNKNOWN_VERSION, capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } });
  const { reply, exchange } = await post(t, sessionHeaders(t, undefined), body);
  const answer = reply.messages.find((m) => m.id === body.id);
  const version = (answer?.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  // An error is no negotiation either, but the spec names no error for this: only an echo is held against the server.
  if (version === UNKNOWN_VERSION) t.rec.fail('lifecycle.version', `initialize asking for ${UNKNOWN_VERSION} (no such revision) was answered with ${UNKNOWN_VERSION}`, exchange, 'legacy');
  else t.rec.pass('lifecycle.version', `initialize asking for ${UNKNOWN_VERSION} was answered ${typeof version === 'string' ? `with ${version}` : `HTTP ${reply.status}`}`, 'legacy');
}
