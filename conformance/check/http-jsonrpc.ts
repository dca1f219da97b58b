/**
 * Legacy HTTP probes of JSON-RPC and lifecycle rules that need a request our client would never
 * send: a string id that looks like a number must come back a string (2025-11-25 basic/index:
 * a response "MUST include the same ID as the request"), and initialize asking for a version no
 * spec has must not be answered with that version (basic/lifecycle: version negotiation).
 */
import { post, rpc, sessionHeaders, type HttpTarget, type LegacySession } from './http-legacy.ts';

/** A version no revision of the spec has. */
const UNKNOWN_VERSION = '1999-01-01';
/** A string id a server that parses ids as numbers gets wrong. */
const NUMERIC_STRING_ID = '1001';

/** ping with the id `"1001"`: the answer's id must be that string, not the number 1001. */
export async function checkStringId(t: HttpTarget, s: LegacySession): Promise<void> {
  if (!t.rec.wants('jsonrpc.response-correlation')) return;
  const body = { ...rpc('ping'), id: NUMERIC_STRING_ID };
  const { reply, exchange } = await post(t, sessionHeaders(t, s), body);
  const answer = reply.messages.find((m) => !('method' in m));
  if (answer === undefined) return; // no answer at all is for the rules of ping and of the transport
  if (answer.id === NUMERIC_STRING_ID) t.rec.pass('jsonrpc.response-correlation', `a request with the string id "${NUMERIC_STRING_ID}" was answered with that string`, 'legacy');
  else t.rec.fail('jsonrpc.response-correlation', `a request with the string id "${NUMERIC_STRING_ID}" was answered with id ${JSON.stringify(answer.id)}`, exchange, 'legacy');
}

