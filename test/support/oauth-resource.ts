/**
 * A test-only protected MCP resource: our in-process HTTP handler behind a bearer (or DPoP)
 * check with jose, its protected resource metadata (RFC 9728) at the path-inserted
 * well-known URL, 401 challenges with `resource_metadata` and `scope`, and 403
 * `insufficient_scope` for methods that need more. Reached through a FetchLike, no socket.
 */
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import { createClient, createHttpClientTransport, createOAuthClient, type FetchInit, type FetchLike, type OAuthClientOptions } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import type { HttpServerHandler } from 'mcpwire/transport';
import { registerFixtures } from '../../conformance/fixtures/index.ts';
import type { OAuthAs } from './oauth-as.ts';

/** Options of {@link protectedResource}. */
export interface ProtectedResourceOptions {
  handler: HttpServerHandler;
  as: OAuthAs;
  /** Origin of the resource, e.g. http://127.0.0.1:3000; the MCP endpoint is `${origin}/mcp`. */
  origin: string;
  scopesSupported?: string[];
  /** Scopes a JSON-RPC method needs (default none). */
  scopesFor?: (method: string | undefined) => string[];
  /** Require a DPoP nonce in resource proofs. */
  dpopNonce?: string;
  /** The audience tokens must be for; default the resource (another: a server set up wrong). */
  audience?: string;
}

/** The resource: `fetch` for the transport (and the OAuth client's metadata requests), and a log. */
export interface ProtectedResource {
  fetch: FetchLike;
  /** `status method` per MCP request, and the subjects seen. */
  readonly log: string[];
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export function protectedResource(options: ProtectedResourceOptions): ProtectedResource {
  const resource = `${options.origin}/mcp`;
  const metadataUrl = `${options.origin}/.well-known/oauth-protected-resource/mcp`;
  const log: string[] = [];
  const challenge = (scope: string[], error?: string): string =>
    `Bearer resource_metadata="${metadataUrl}"${scope.length ? `, scope="${scope.join(' ')}"` : ''}${error ? `, error="${error}"` : ''}`;

  async function check(url: string, init: FetchInit, method: string | undefined): Promise<Response | undefined> {
    const needed = options.scopesFor?.(method) ?? [];
    const header = init.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (!token) return json(401, { error: 'invalid_token' }, { 'www-authenticate': challenge(needed) });
    let claims;
    try {
      claims = await options.as.verify(token, options.audience ?? resource);
    } catch {
      return json(401, { error: 'invalid_token' }, { 'www-authenticate': challenge(needed, 'invalid_token') });
    }
    const cnf = claims.cnf as { jkt?: string } | undefined;
    if (cnf?.jkt) {
      const proof = init.headers.dpop;
      if (scheme !== 'DPoP' || !proof) return json(401, { error: 'invalid_token' }, { 'www-authenticate': 'DPoP error="invalid_token"' });
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
      if (await calculateJwkThumbprint(protectedHeader.jwk!) !== cnf.jkt || payload.htu !== url.split('?')[0] || payload.htm !== init.method) {
        return json(401, { error: 'invalid_dpop_proof' }, { 'www-authenticate': 'DPoP error="invalid_dpop_proof"' });
      }
      if (options.dpopNonce && payload.nonce !== options.dpopNonce) {
        return json(401, { error: 'use_dpop_nonce' }, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': options.dpopNonce });
      }
    }
    const granted = String(claims.scope ?? '').split(' ');
    if (!needed.every((s) => granted.includes(s))) {
      return json(403, { error: 'insufficient_scope' }, { 'www-authenticate': challenge(needed, 'insufficient_scope') });
    }
    log.push(`ok ${method ?? init.method} ${String(claims.sub)}`);
    return undefined;
  }

  const fetch: FetchLike = async (url, init) => {
    if (url === metadataUrl) {
      return json(200, { resource, authorization_servers: [options.as.issuer], ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}) });
    }
    if (!url.startsWith(resource)) return json(404, { error: 'not_found' });
    const method = init.body ? (JSON.parse(init.body) as { method?: string }).method : undefined;
    const refused = await check(url, init, method);
    if (refused) {
      log.push(`${refused.status} ${method ?? init.method} ${refused.headers.get("www-authenticate") ?? ""}`);
      return refused;
    }
    const host = new URL(options.origin).host;
    return options.handler.handle(new Request(url, { ...init, headers: { ...init.headers, host } }));
  };
  return { fetch, log };
}

/**
 * A client of a protected fixture server at `origin`, signing in at `as` with `authOptions`:
 * the resource's metadata is read through the resource, everything else over the network.
 */
export function protectedFixtureClient(as: OAuthAs, origin: string, authOptions: OAuthClientOptions, dpopNonce?: string) {
  const server = createServer({ name: 'protected', version: '1' });
  registerFixtures(server);
  const host = new URL(origin).host;
  const handler = createMcpHttpHandler(server, { allowedHosts: [host], keepAliveMs: 0 });
  const resource = protectedResource({ handler, as, origin, ...(dpopNonce ? { dpopNonce } : {}) });
  const auth = createOAuthClient({
    fetch: (url, init) => (url.startsWith(origin) ? resource.fetch(url, { method: 'GET', headers: {} }) : fetch(url, init)),
    ...authOptions,
  });
  const transport = createHttpClientTransport({ url: `${origin}/mcp`, fetch: resource.fetch, auth, openStandaloneStream: false });
  return { client: createClient({ name: 't', version: '1' }), transport, auth, resource };
}
