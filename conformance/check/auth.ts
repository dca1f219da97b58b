/**
 * The authorization surface, checked only when the server challenges (2025-11-25
 * basic/authorization): a 401 names the Bearer scheme and where the protected resource
 * metadata is (RFC 9728), and that document names the resource and its authorization servers,
 * the resource being this server (RFC 9728 section 3.3).
 * No login is attempted; `--token` lets the other checks go further, and is itself offered in
 * the URI query instead of the header, which the server should refuse.
 */
import { describeExchange, rawRequest } from './raw-http.ts';
import { rpc, sessionHeaders, type HttpTarget } from './http-legacy.ts';

const RESOURCE_METADATA = /resource_metadata\s*=\s*"([^"]*)"/i;
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The PRM locations to try: the challenge's, then the path-aware and root well-known URIs. */
function metadataUrls(endpoint: string, challenge: string | null): string[] {
  const url = new URL(endpoint);
  const named = challenge?.match(RESOURCE_METADATA)?.[1];
  const path = url.pathname === '/' ? '' : url.pathname;
  return [...(named ? [new URL(named, url).href] : []), `${url.origin}${WELL_KNOWN}${path}`, `${url.origin}${WELL_KNOWN}`];
}

/**
 * Whether the PRM `resource` identifies the endpoint `endpoint`: RFC 9728 section 3.3 ("The
 * resource value returned MUST be identical to the protected resource's resource identifier";
 * when it is not, "the data contained in the response MUST NOT be used"), where the identifier
 * is the server's canonical URI (2025-11-25 basic/authorization: canonical server URI), which
 * may be the endpoint or, without a path, its origin, or a parent path. Undefined when it does.
 */
export function foreignResource(resource: string, endpoint: string): string | undefined {
  let named: URL;
  try { named = new URL(resource); } catch { return `resource ${JSON.stringify(resource)} is not an absolute URI`; }
  const url = new URL(endpoint);
  if (named.origin !== url.origin) return `resource ${resource} names another origin than the server's (${url.origin})`;
  const path = named.pathname.replace(/\/$/, '');
  if (url.pathname === path || url.pathname.startsWith(`${path}/`)) return undefined;
  return `resource ${resource} names another path than the server's (${url.pathname})`;
}

/** Probe with an initialize; when answered 401, check the challenge and the PRM document. */
export async function checkAuth(t: HttpTarget): Promise<'open' | 'challenged'> {
  const body = rpc('initialize', { protocolVersion: t.version, capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } });
  const headers = sessionHeaders(t, undefined, { authorization: undefined });
  const reply = await rawRequest(t.url, { headers, body, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes });
  if (reply.status !== 401) {
    t.rec.skip('auth.challenge', `the server did not challenge (initialize got ${reply.status})`);
    t.rec.skip('auth.prm', 'the server did not challenge');
    t.rec.skip('auth.prm-resource', 'the server did not challenge');
    t.rec.skip('auth.query-token', 'the server did not challenge');
    return 'open';
  }
  const exchange = describeExchange('POST', headers, body, reply);
  const challenge = reply.headers.get('www-authenticate');
  // RFC 6750 section 3 / RFC 9728 section 5.1: a 401 carries a Bearer challenge.
  if (challenge === null || !/^\s*bearer\b/i.test(challenge)) t.rec.fail('auth.challenge', `401 without a Bearer WWW-Authenticate (${challenge ?? 'none'})`, exchange);
  else t.rec.pass('auth.challenge', `401 with ${challenge}`);
  for (const url of metadataUrls(t.url, challenge)) {
    const doc = await rawRequest(url, { method: 'GET', headers: { accept: 'application/json' }, timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes }).catch(() => undefined);
    if (!doc || doc.status !== 200) continue;
    const prm = doc.messages[0] as { resource?: unknown; authorization_servers?: unknown } | undefined;
    const servers = prm?.authorization_servers;
    if (typeof prm?.resource === 'string' && Array.isArray(servers) && servers.length > 0) t.rec.pass('auth.prm', `${url} names ${servers.length} authorization server(s)`);
    else t.rec.fail('auth.prm', `${url} lacks resource or a non-empty authorization_servers`, doc.text);
    const foreign = typeof prm?.resource === 'string' ? foreignResource(prm.resource, t.url) : undefined;
    if (typeof prm?.resource !== 'string') t.rec.skip('auth.prm-resource', `${url} names no resource (auth.prm)`);
    else if (foreign !== undefined) t.rec.fail('auth.prm-resource', `${url}: ${foreign}; a client must not use this metadata`, doc.text);
    else t.rec.pass('auth.prm-resource', `${url} names ${prm.resource}, this server`);
    return 'challenged';
  }
  t.rec.fail('auth.prm', 'no protected resource metadata at the challenge URL or the well-known URIs', exchange);
  t.rec.skip('auth.prm-resource', 'no protected resource metadata (auth.prm)');
  return 'challenged';
}

/** The query parameter RFC 6750 section 2.3 named for a bearer token. */
export const QUERY_TOKEN_PARAMETER = 'access_token';

/**
 * A token in the URI query: 2025-11-25 basic/authorization, token requirements: "Access tokens
 * MUST NOT be included in the URI query string" (the client's rule; OAuth 2.1 section 5.1 keeps
 * only the header and form-body methods of RFC 6750). A server that serves such a request keeps
 * clients that leak tokens into URLs and logs working, so it should refuse it. `token` must be
 * served in the Authorization header (the control), else the probe is skipped.
 */
export async function checkQueryToken(t: HttpTarget, token: string): Promise<void> {
  if (!t.rec.wants('auth.query-token')) return;
  const init = () => rpc('initialize', { protocolVersion: t.version, capabilities: {}, clientInfo: { name: 'mcpwire-check', version: '0.1.0' } });
  const bounds = { timeoutMs: t.timeoutMs, maxReplyBytes: t.maxReplyBytes };
  const control = await rawRequest(t.url, { headers: sessionHeaders(t, undefined, { authorization: `Bearer ${token}` }), body: init(), ...bounds });
  if (control.status < 200 || control.status > 299) {
    t.rec.skip('auth.query-token', `the --token given was refused in the Authorization header too (initialize got ${control.status})`);
    return;
  }
  const url = new URL(t.url);
  url.searchParams.set(QUERY_TOKEN_PARAMETER, token);
  const headers = sessionHeaders(t, undefined, { authorization: undefined });
  const body = init();
  const reply = await rawRequest(url.href, { headers, body, ...bounds });
  if (reply.status >= 200 && reply.status <= 299) {
    t.rec.fail('auth.query-token', `initialize with the token in the query (?${QUERY_TOKEN_PARAMETER}=...) and no Authorization header was served (${reply.status})`, describeExchange('POST', headers, body, reply));
  } else t.rec.pass('auth.query-token', `a token in the query string was refused (${reply.status})`);
}
