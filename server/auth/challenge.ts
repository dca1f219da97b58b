/**
 * The answers that refuse a request: 401 with a `WWW-Authenticate` challenge naming the
 * protected resource metadata and the scopes to ask for, 403 `insufficient_scope` with the
 * complete set of scopes the request needs (2025-11-25 basic/authorization: error handling
 * and scope challenge handling; RFC 6750 §3; RFC 9449 §7.1 for the DPoP scheme).
 */
import { jsonReply, type ServerReply } from '../../transport/http/exchange.ts';

/** One challenge's parameters. */
export interface Challenge {
  scheme: 'Bearer' | 'DPoP';
  resourceMetadata: string;
  /** Scopes to request; omitted when empty. */
  scopes: readonly string[];
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';
  description?: string;
  /** DPoP algorithms accepted (RFC 9449 §7.1 `algs`). */
  algs?: readonly string[];
}

/** RFC 9110 §11.2 quoted-string: escape `"` and `\`, drop what a header cannot carry. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '').replace(/(["\\])/g, '\\$1')}"`;
}

/** The `WWW-Authenticate` value of one challenge. */
export function challengeHeader(c: Challenge): string {
  const params: string[] = [];
  if (c.error) params.push(`error=${quoted(c.error)}`);
  if (c.description) params.push(`error_description=${quoted(c.description)}`);
  params.push(`resource_metadata=${quoted(c.resourceMetadata)}`);
  if (c.scopes.length > 0) params.push(`scope=${quoted(c.scopes.join(' '))}`);
  if (c.algs && c.algs.length > 0) params.push(`algs=${quoted(c.algs.join(' '))}`);
  return `${c.scheme} ${params.join(', ')}`;
}

/** The status each error answers with (RFC 6750 §3.1). */
function statusOf(error: Challenge['error']): number {
  if (error === 'insufficient_scope') return 403;
  if (error === 'invalid_request') return 400;
  return 401;
}

/**
 * The reply refusing a request with challenge `c` (and `also`, a second scheme the resource
 * accepts, in the same field: RFC 9110 §11.6.1 allows a list of challenges); the body repeats
 * `c`'s error for humans.
 */
export function challengeReply(c: Challenge, also?: Challenge): ServerReply {
  const body: Record<string, string> = { error: c.error ?? 'unauthorized' };
  if (c.description) body.error_description = c.description;
  const header = also ? `${challengeHeader(c)}, ${challengeHeader(also)}` : challengeHeader(c);
  return jsonReply(statusOf(c.error), body, { 'www-authenticate': header });
}
