/**
 * A test-only OAuth 2.1 authorization server on loopback, written with jose: metadata
 * (RFC 8414), PKCE S256, dynamic client registration, client ID metadata documents (fetched),
 * authorization codes redirected at once with RFC 9207 `iss`, refresh tokens, client
 * credentials (client_secret_basic), DPoP-bound tokens with a required nonce (RFC 9449), and
 * ES256 JWT access tokens whose audience is the RFC 8707 resource. Every request is logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/** Options of {@link startOAuthAs}. */
export interface OAuthAsOptions {
  /** Advertise PKCE S256 (default true). */
  pkce?: boolean;
  scopesSupported?: string[];
  /** Lifetime of access tokens, seconds (default 3600). */
  accessTtlS?: number;
  /** Issue refresh tokens (default true). */
  refreshTokens?: boolean;
  /** Advertise and accept client ID metadata documents (default false). */
  cimd?: boolean;
  /** Require a DPoP nonce at the token endpoint (default false). */
  dpopNonce?: boolean;
  /** What goes in the redirect's `iss`: the issuer (default), another value, or none. */
  iss?: 'correct' | 'wrong' | 'omit';
  /** Issuer printed in the metadata, when it should differ from the real one. */
  metadataIssuer?: string;
  /** Pre-registered confidential clients: id -> secret. */
  clients?: Record<string, string>;
  /** A hostile token endpoint: 200 and a JSON body that never ends (until the client goes). */
  endlessTokenReply?: boolean;
  /**
   * Take only a redirect_uri a dynamically registered client registered, port included (many
   * servers do, though RFC 8252 §7.3 lets loopback ports vary); others get 400, no redirect.
   */
  pinRedirects?: boolean;
  /** A refresh token works once: its use invalidates it (OAuth 2.1 §4.3.1 rotation). */
  rotateRefreshTokens?: boolean;
  /** Scopes never granted, whatever is asked (the user unticked them; RFC 6749 §3.3 lets the AS narrow). */
  withheldScopes?: string[];
}

/** One logged request. */
export interface AsEvent {
  kind: 'metadata' | 'authorize' | 'register' | 'token' | 'cimd';
  params: Record<string, string>;
  authorization?: string;
}

/** A running test AS. */
export interface OAuthAs {
  readonly issuer: string;
  readonly events: AsEvent[];
  /** Bytes of endless token replies written so far (see {@link OAuthAsOptions.endlessTokenReply}). */
  readonly endlessBytes: number;
  /** Forget every dynamically registered client (an AS that expired or lost them): they get invalid_client. */
  dropRegistrations(): void;
  /** Verify an access token for `audience`; returns its claims or throws. */
  verify(token: string, audience: string): Promise<JWTPayload>;
  close(): Promise<void>;
}

interface Code { clientId: string; challenge: string; redirectUri: string; resource?: string; scope?: string; jkt?: string }

const s256 = (v: string): string => createHash('sha256').update(v).digest('base64url');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/** Start the AS on 127.0.0.1, a random port. */
export async function startOAuthAs(options: OAuthAsOptions = {}): Promise<OAuthAs> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const events: AsEvent[] = [];
  const codes = new Map<string, Code>();
  const refreshes = new Map<string, { clientId: string; resource?: string; scope?: string }>();
  const registered = new Map<string, string | undefined>(Object.entries(options.clients ?? {}));
  const redirectsOf = new Map<string, string[]>();
  let nonce: string = randomUUID();
  let issuer = '';

  async function accessToken(sub: string, clientId: string, resource: string | undefined, scope: string | undefined, jkt?: string): Promise<string> {
    const jwt = new SignJWT({ scope, client_id: clientId, ...(jkt ? { cnf: { jkt } } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'as-key' }).setIssuer(issuer).setSubject(sub).setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.accessTtlS ?? 3600)).setJti(randomUUID());
    if (resource) jwt.setAudience(resource);
    return jwt.sign(privateKey);
  }

  /** The DPoP proof's thumbprint, or an error response already sent. */
  async function dpopOf(req: IncomingMessage, res: ServerResponse): Promise<string | undefined | false> {
    const proof = req.headers.dpop;
    if (typeof proof !== 'string') return undefined;
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    if (options.dpopNonce && payload.nonce !== nonce) {
      send(res, 400, { error: 'use_dpop_nonce' }, { 'dpop-nonce': nonce });
      return false;
    }
    return calculateJwkThumbprint(protectedHeader.jwk!);
  }

  function clientOf(req: IncomingMessage, params: Record<string, string>): string | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString().split(':').map(decodeURIComponent) as [string, string];
      return registered.get(id) === secret ? id : undefined;
    }
    const id = params.client_id;
    if (id && registered.has(id) && registered.get(id) === undefined) return id;
    if (id && options.cimd && id.startsWith('http')) return id;
    return undefined;
  }

  async function token(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): Promise<void> {
    const clientId = clientOf(req, params);
    if (!clientId) return send(res, 401, { error: 'invalid_client' });
    const jkt = await dpopOf(req, res);
    if (jkt === false) return;
    let grant: { resource?: string; scope?: string; sub: string };
    if (params.grant_type === 'authorization_code') {
      const code = codes.get(params.code ?? '');
      codes.delete(params.code ?? '');
      if (!code || code.clientId !== clientId || s256(params.code_verifier ?? '') !== code.challenge || code.redirectUri !== params.redirect_uri
        || code.resource !== params.resource) return send(res, 400, { error: 'invalid_grant' });
      grant = { sub: 'alice', ...(code.resource ? { resource: code.resource } : {}), ...(code.scope ? { scope: code.scope } : {}) };
    } else if (params.grant_type === 'refresh_token') {
      const stored = refreshes.get(params.refresh_token ?? '');
      if (!stored || stored.clientId !== clientId) return send(res, 400, { error: 'invalid_grant' });
      if (options.rotateRefreshTokens) refreshes.delete(params.refresh_token ?? '');
      grant = { sub: 'alice', ...stored };
    } else if (params.grant_type === 'client_credentials') {
      grant = { sub: clientId, ...(params.resource ? { resource: params.resource } : {}), ...(params.scope ? { scope: params.scope } : {}) };
    } else return send(res, 400, { error: 'unsupported_grant_type' });
    const body: Record<string, unknown> = {
      access_token: await accessToken(grant.sub, clientId, grant.resource, grant.scope, jkt),
      token_type: jkt ? 'DPoP' : 'Bearer',
      expires_in: options.accessTtlS ?? 3600,
      ...(grant.scope ? { scope: grant.scope } : {}),
    };
    if (params.grant_type !== 'client_credentials' && options.refreshTokens !== false) {
      const refresh = randomUUID();
      refreshes.set(refresh, { clientId, ...(grant.resource ? { resource: grant.resource } : {}), ...(grant.scope ? { scope: grant.scope } : {}) });
      body.refresh_token = refresh;
    }
    send(res, 200, body);
  }

  const granted = (scope: string): string => scope.split(' ').filter((s) => !options.withheldScopes?.includes(s)).join(' ');

  async function authorize(url: URL, res: ServerResponse): Promise<void> {
    const p = Object.fromEntries(url.searchParams);
    const clientId = p.client_id ?? '';
    if (options.cimd && clientId.startsWith('http')) {
      const doc = await (await fetch(clientId)).json() as { redirect_uris?: string[] };
      events.push({ kind: 'cimd', params: { client_id: clientId } });
      if (!doc.redirect_uris?.includes(p.redirect_uri ?? '')) return send(res, 400, { error: 'invalid_request' });
    } else if (!registered.has(clientId)) return send(res, 400, { error: 'invalid_client' });
    else if (options.pinRedirects && redirectsOf.has(clientId) && !redirectsOf.get(clientId)!.includes(p.redirect_uri ?? '')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri is not registered' });
    }
    if (p.code_challenge_method !== 'S256' || !p.code_challenge) return send(res, 400, { error: 'invalid_request' });
    const code = randomUUID();
    codes.set(code, {
      clientId, challenge: p.code_challenge, redirectUri: p.redirect_uri ?? '',
      ...(p.resource ? { resource: p.resource } : {}), ...(p.scope ? { scope: granted(p.scope) } : {}),
    });
    const back = new URL(p.redirect_uri ?? '');
    back.searchParams.set('code', code);
    if (p.state) back.searchParams.set('state', p.state);
    if (options.iss !== 'omit') back.searchParams.set('iss', options.iss === 'wrong' ? 'https://evil.example.com' : issuer);
    res.writeHead(302, { location: back.href });
    res.end();
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const text = req.method === 'POST' ? await readBody(req) : '';
      const form = req.headers['content-type']?.startsWith('application/json') ? {} : Object.fromEntries(new URLSearchParams(text));
      const authorization = req.headers.authorization;
      if (url.pathname === '/.well-known/oauth-authorization-server') {
        events.push({ kind: 'metadata', params: {} });
        return send(res, 200, {
          issuer: options.metadataIssuer ?? issuer,
          authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, registration_endpoint: `${issuer}/register`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'], grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
          ...(options.pkce === false ? {} : { code_challenge_methods_supported: ['S256'] }),
          ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
          ...(options.cimd ? { client_id_metadata_document_supported: true } : {}),
          authorization_response_iss_parameter_supported: true,
          dpop_signing_alg_values_supported: ['ES256'],
        });
      }
      if (url.pathname === '/jwks') return send(res, 200, { keys: [{ ...await exportJWK(publicKey), alg: 'ES256', use: 'sig', kid: 'as-key' }] });
      if (url.pathname === '/authorize') {
        events.push({ kind: 'authorize', params: Object.fromEntries(url.searchParams) });
        return authorize(url, res);
      }
      if (url.pathname === '/register' && req.method === 'POST') {
        const body = JSON.parse(text) as Record<string, unknown>;
        events.push({ kind: 'register', params: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, JSON.stringify(v)])) });
        const id = `client-${randomUUID()}`;
        registered.set(id, undefined);
        if (Array.isArray(body.redirect_uris)) redirectsOf.set(id, body.redirect_uris.map(String));
        return send(res, 201, { ...body, client_id: id, token_endpoint_auth_method: 'none' });
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        events.push({ kind: 'token', params: form, ...(authorization ? { authorization } : {}) });
        if (options.endlessTokenReply) return endless(res);
        return token(req, res, form);
      }
      send(res, 404, { error: 'not_found' });
    })().catch((error: unknown) => send(res, 500, { error: 'server_error', error_description: String(error) }));
  });
  /** Write a token reply that never ends, at the pace the client reads it, until it goes away. */
  function endless(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    const chunk = 'x'.repeat(64 * 1024);
    res.write('{"access_token":"');
    const more = () => {
      while (!res.destroyed) {
        endlessBytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
    };
    more();
  }
  let endlessBytes = 0;
  const preRegistered = new Set(Object.keys(options.clients ?? {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get issuer() { return issuer; },
    events,
    get endlessBytes() { return endlessBytes; },
    dropRegistrations() {
      for (const id of [...registered.keys()]) if (!preRegistered.has(id)) registered.delete(id);
    },
    verify: async (token, audience) => (await jwtVerify(token, publicKey, { issuer, audience })).payload,
    close: () => new Promise<void>((resolve) => {
      nonce = '';
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The "user" of a test sign-in: follow the authorization request to its redirect. */
export async function followRedirect({ url }: { url: URL }): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect (HTTP ${response.status})`);
  return location;
}
