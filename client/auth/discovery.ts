/**
 * Discovery (2025-11-25 basic/authorization, "Authorization Server Discovery"): the protected
 * resource metadata of an MCP server (RFC 9728), then the metadata of its authorization
 * server (RFC 8414 / OpenID Connect Discovery), each in the order the spec gives.
 */
import type { AuthorizationServer } from 'oauth4webapi';
import { boundedText } from '../../protocol/bounded-text.ts';
import { isObject } from '../../protocol/jsonrpc.ts';
import { AuthError, AuthErrorCode, reasonOf, unreachable } from './errors.ts';

/** A fetch for the authorization endpoints (metadata, registration, token). */
export type AuthFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Protected resource metadata (RFC 9728 §2), the fields the client uses. */
export interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  [key: string]: unknown;
}

/**
 * What discovery found for a server: its metadata, or, for a server that publishes none, the
 * 2025-03-26 stand-in (`legacy`): the server's own origin as its authorization server.
 */
export type DiscoveredResource = ResourceMetadata & { legacy?: true };

/** Default of `maxReplyBytes` (options.ts): the most bytes read of a document or reply. */
export const DEFAULT_MAX_REPLY_BYTES = 256 * 1024;

/** GET `url` as JSON: its status, and its body when it is 200 (a body over `maxBytes` fails with `code`). */
async function getJson(
  fetch: AuthFetch, url: string, timeoutMs: number, maxBytes: number, code: AuthErrorCode,
): Promise<{ status: number; body?: unknown }> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    // The resource's own metadata failing is the MCP server's failure, said as the transport
    // says it; its authorization server's is that server's, though the MCP server is up.
    throw code === AuthErrorCode.Metadata ? unreachable(url, error) : error;
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const text = await boundedText(response, maxBytes);
  if (text === undefined) throw new AuthError(code, `the document at ${url} is over ${maxBytes} bytes (maxReplyBytes): refused`);
  try {
    return { status: 200, body: JSON.parse(text) as unknown };
  } catch {
    return { status: 200, body: undefined };
  }
}

/** True when both are URLs of one origin. */
function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The well-known URL of `suffix` for `url` with its path inserted after it (RFC 8615 / RFC 9728 §3.1). */
function wellKnown(url: URL, suffix: string, withPath: boolean): string {
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/${suffix}${withPath ? path : ''}`;
}

/**
 * The protected resource metadata of the MCP server at `serverUrl`: from the challenge's
 * `resource_metadata` when given, else the path-inserted, then the root well-known URL.
 * Its `resource` must name this server: same origin, and a prefix of its path.
 *
 * A server that publishes none at either well-known URL (and names none in its challenge)
 * speaks the 2025-03-26 authorization (basic/authorization 2.3.2): the authorization base
 * URL is the server's URL without its path, so its origin stands in as the authorization
 * server, and the server's URL as the resource.
 */
export async function discoverResource(
  fetch: AuthFetch, serverUrl: string, metadataUrl: string | undefined, timeoutMs: number, maxBytes = DEFAULT_MAX_REPLY_BYTES,
): Promise<DiscoveredResource> {
  const server = new URL(serverUrl);
  const candidates: string[] = [];
  // 2025-11-25 basic/authorization: the WWW-Authenticate `resource_metadata` first, then the
  // well-known URIs, path-inserted before root.
  if (metadataUrl) candidates.push(metadataUrl);
  else {
    if (server.pathname.replace(/\/+$/, '') !== '') candidates.push(wellKnown(server, 'oauth-protected-resource', true));
    candidates.push(wellKnown(server, 'oauth-protected-resource', false));
  }
  const tried: string[] = [];
  let answered = false;
  for (const url of candidates) {
    const { status, body } = await getJson(fetch, url, timeoutMs, maxBytes, AuthErrorCode.Discovery).catch((error: unknown) => {
      // A challenge's resource_metadata on another host than the MCP server's: that host not
      // answering is not the MCP server down (it answered the 401), but a server that names
      // the wrong place (an audience, a public URL set up wrong).
      if (error instanceof AuthError || sameOrigin(url, serverUrl)) throw error;
      throw new AuthError(AuthErrorCode.Discovery,
        `cannot fetch the protected resource metadata at ${url}, which the challenge of ${serverUrl} names (${reasonOf(error)}): that server names another host than its own (its resource or audience may be set wrong)`, { cause: error });
    });
    tried.push(`${url} (${status})`);
    if (status !== 200) {
      // Only "not there" makes a 2025-03-26 server; a failing or refusing one stays a failure.
      answered ||= status !== 404;
      continue;
    }
    return checkResource(body, server, url);
  }
  if (!metadataUrl && !answered) {
    server.hash = '';
    return { resource: server.href, authorization_servers: [server.origin], legacy: true };
  }
  throw new AuthError(AuthErrorCode.Discovery, `no protected resource metadata for ${serverUrl}: tried ${tried.join(', ')}`);
}

function checkResource(body: unknown, server: URL, from: string): ResourceMetadata {
  if (!isObject(body) || typeof body.resource !== 'string' || !Array.isArray(body.authorization_servers)
    || body.authorization_servers.length === 0 || !body.authorization_servers.every((s) => typeof s === 'string')) {
    throw new AuthError(AuthErrorCode.Discovery, `the protected resource metadata at ${from} lacks resource or authorization_servers`);
  }
  let resource: URL;
  try {
    resource = new URL(body.resource);
  } catch {
    throw new AuthError(AuthErrorCode.Resource, `the protected resource metadata names a resource that is not a URL: ${body.resource}`);
  }
  // RFC 9728 §3.3 and 2025-11-25 basic/authorization (resource parameter): the metadata must
  // be for this server; a foreign resource would send our token elsewhere.
  const prefix = resource.pathname.replace(/\/+$/, '');
  const samePath = server.pathname === prefix || server.pathname.startsWith(`${prefix}/`) || prefix === '';
  if (resource.origin !== server.origin || !samePath) {
    throw new AuthError(AuthErrorCode.Resource, `the protected resource metadata is for ${body.resource}, not for ${server.href}: refused`);
  }
  if (body.scopes_supported !== undefined && !(Array.isArray(body.scopes_supported) && body.scopes_supported.every((s) => typeof s === 'string'))) {
    throw new AuthError(AuthErrorCode.Discovery, `the protected resource metadata at ${from} has a malformed scopes_supported`);
  }
  return body as ResourceMetadata;
}

/**
 * The metadata of the authorization server `issuer`, tried in the spec's order (2025-11-25
 * basic/authorization, "Authorization Server Metadata Discovery"): with a path, RFC 8414
 * path-inserted, OIDC path-inserted, OIDC path-appended; without, RFC 8414 then OIDC. Its
 * `issuer` must equal `issuer` character for character (RFC 8414 §3.3).
 *
 * `legacy` (a 2025-03-26 server's origin, see {@link discoverResource}): with no metadata
 * found, the default endpoints /authorize, /token and /register under the origin
 * (2025-03-26 basic/authorization 2.3.3).
 */
export async function discoverAuthorizationServer(
  fetch: AuthFetch, issuer: string, timeoutMs: number, legacy = false, maxBytes = DEFAULT_MAX_REPLY_BYTES,
): Promise<AuthorizationServer> {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new AuthError(AuthErrorCode.Metadata, `the authorization server is not a URL: ${issuer}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = path === ''
    ? [wellKnown(url, 'oauth-authorization-server', false), wellKnown(url, 'openid-configuration', false)]
    : [wellKnown(url, 'oauth-authorization-server', true), wellKnown(url, 'openid-configuration', true),
      `${url.origin}${path}/.well-known/openid-configuration`];
  const tried: string[] = [];
  let answered = false;
  for (const candidate of candidates) {
    const { status, body } = await getJson(fetch, candidate, timeoutMs, maxBytes, AuthErrorCode.Metadata);
    tried.push(`${candidate} (${status})`);
    if (status !== 200) {
      answered ||= status !== 404;
      continue;
    }
    if (!isObject(body) || typeof body.issuer !== 'string') {
      throw new AuthError(AuthErrorCode.Metadata, `the authorization server metadata at ${candidate} has no issuer`);
    }
    // A 2025-03-26 server's metadata at its origin may name an issuer under a path of that
    // same origin (its authorization routes mounted under a prefix, as suite 0.1.16's mock
    // does): the origin answered for both, so the same origin is the match asked of it.
    if (body.issuer !== issuer && !(legacy && sameOrigin(body.issuer, issuer))) {
      throw new AuthError(AuthErrorCode.Metadata, `the authorization server metadata at ${candidate} names issuer ${body.issuer}, not ${issuer}: refused`);
    }
    return body as unknown as AuthorizationServer;
  }
  if (legacy && !answered) {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`,
    };
  }
  throw new AuthError(AuthErrorCode.Metadata, `no authorization server metadata for ${issuer}: tried ${tried.join(', ')}`);
}
