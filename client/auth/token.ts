/**
 * Token endpoint requests through oauth4webapi: the authorization code exchange with PKCE,
 * refresh, client credentials, JWT-bearer (RFC 7523) and the RFC 8693 token exchange of
 * enterprise-managed authorization, each with the RFC 8707 `resource` exactly as published,
 * DPoP when enabled, and one retry with a `use_dpop_nonce` nonce (RFC 9449 §8).
 */
import * as oauth from 'oauth4webapi';
import { AuthError, AuthErrorCode, unreachable } from './errors.ts';
import type { AuthFetch } from './discovery.ts';
import type { DpopSigner } from './dpop.ts';
import { messageOf, type ClientIdentity } from './identity.ts';
import type { StoredTokens } from './store.ts';
import { boundedJson } from '../../protocol/bounded-text.ts';

/** How oauth4webapi reaches the authorization server. */
export interface Http {
  fetch: AuthFetch;
  /** The most bytes read of a reply (`maxReplyBytes`); a longer one fails its request. */
  maxReplyBytes: number;
  /** oauth4webapi request options: our fetch, a timeout, http allowed where it may be. */
  options<M extends string = 'POST', B = unknown>(): HttpOptions<M, B>;
}

/** oauth4webapi's request options, with its flag for plain http. */
type HttpOptions<M extends string, B> = oauth.HttpRequestOptions<M, B> & { [oauth.allowInsecureRequests]?: boolean };

/**
 * An {@link Http} over `fetch`; plain http only to loopback hosts unless `insecure`. Replies go
 * to oauth4webapi with their body cut at `maxReplyBytes`: it reads a token reply whole
 * (`response.json()`), so an endless one held memory until the timeout.
 */
export function createHttp(fetch: AuthFetch, timeoutMs: number, insecure: boolean, maxReplyBytes: number): Http {
  return {
    fetch,
    maxReplyBytes,
    options<M extends string, B>(): HttpOptions<M, B> {
      const out: HttpOptions<M, B> = {
        [oauth.customFetch]: async (url, init) => {
          const response = await fetch(url, init as unknown as RequestInit).catch((error: unknown) => {
            throw unreachable(url, error);
          });
          return boundedReply(response, url, maxReplyBytes);
        },
        signal: AbortSignal.timeout(timeoutMs),
      };
      if (insecure) out[oauth.allowInsecureRequests] = true;
      return out;
    },
  };
}

const NULL_BODY = new Set([204, 205, 304]);

/** A reply body cut at the bound; found in the causes of the request's error (see {@link overBound}). */
class ReplyTooLarge extends Error {}

/** `response` with a body that fails once past `maxBytes` (the rest is not read: the connection is dropped). */
function boundedReply(response: Response, url: string, maxBytes: number): Response {
  // A null-body status (204, 205, 304) cannot be given a body again; it has none to read.
  if (!response.body || NULL_BODY.has(response.status)) return response;
  let size = 0;
  const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > maxBytes) controller.error(new ReplyTooLarge(`the reply from ${url} is over ${maxBytes} bytes (maxReplyBytes)`));
      else controller.enqueue(chunk);
    },
  }));
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The {@link ReplyTooLarge} among `error`'s causes: oauth4webapi wraps it as a parse error. */
function overBound(error: unknown): Error | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof ReplyTooLarge) return e;
  }
  return undefined;
}

/** True for http URLs whose host is this machine. */
export function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** What a token request needs besides its grant. */
export interface TokenContext {
  as: oauth.AuthorizationServer;
  identity: ClientIdentity;
  http: Http;
  /** The RFC 8707 resource, as the protected resource metadata published it. */
  resource: string;
  dpop: DpopSigner | undefined;
  /** A 2025-03-26 server, with no protected resource metadata (discovery.ts). */
  legacy?: boolean;
}

function toStored(response: oauth.TokenEndpointResponse, previous?: StoredTokens): StoredTokens {
  const out: StoredTokens = { access_token: response.access_token, token_type: response.token_type };
  const refresh = response.refresh_token ?? previous?.refresh_token;
  if (refresh !== undefined) out.refresh_token = refresh;
  if (typeof response.expires_in === 'number') {
    // RFC 6749 §5.1: expires_in counts from the reply, so a skewed local clock does not matter.
    out.received_at = Math.floor(Date.now() / 1000);
    out.expires_at = out.received_at + response.expires_in;
  }
  const scope = response.scope ?? previous?.scope;
  if (scope !== undefined) out.scope = scope;
  return out;
}

/** Send, process, and once more when the server asked for a DPoP nonce (the handle kept it). */
async function withNonceRetry(
  what: string, send: () => Promise<Response>, process: (r: Response) => Promise<oauth.TokenEndpointResponse>, dpop: boolean,
): Promise<oauth.TokenEndpointResponse> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await process(await send());
    } catch (error) {
      if (dpop && attempt === 0 && oauth.isDPoPNonceError(error)) continue;
      if (error instanceof AuthError) throw error;
      throw new AuthError(AuthErrorCode.Token, `${what} failed: ${messageOf(overBound(error) ?? error)}`, { cause: error });
    }
  }
}

function requestOptions(ctx: TokenContext, extra: Record<string, string> = {}): oauth.TokenEndpointRequestOptions {
  return {
    ...ctx.http.options<'POST', URLSearchParams>(),
    additionalParameters: { resource: ctx.resource, ...extra },
    ...(ctx.dpop ? { DPoP: ctx.dpop.handle } : {}),
  };
}

/** Exchange the authorization code of `callback` (already validated) with the PKCE verifier. */
export async function exchangeCode(ctx: TokenContext, callback: URLSearchParams, redirectUri: string, verifier: string): Promise<StoredTokens> {
  const { as, identity } = ctx;
  const response = await withNonceRetry('the authorization code exchange',
    () => oauth.authorizationCodeGrantRequest(as, identity.client, identity.auth, callback, redirectUri, verifier, requestOptions(ctx)),
    (r) => oauth.processAuthorizationCodeResponse(as, identity.client, r), ctx.dpop !== undefined);
  return toStored(response);
}

/** Renew `tokens` with their refresh token. */
export async function refresh(ctx: TokenContext, tokens: StoredTokens & { refresh_token: string }): Promise<StoredTokens> {
  const { as, identity } = ctx;
  const response = await withNonceRetry('the refresh',
    () => oauth.refreshTokenGrantRequest(as, identity.client, identity.auth, tokens.refresh_token, requestOptions(ctx)),
    (r) => oauth.processRefreshTokenResponse(as, identity.client, r), ctx.dpop !== undefined);
  return toStored(response, tokens);
}

/** A client credentials grant (RFC 6749 §4.4). */
export async function clientCredentials(ctx: TokenContext, scope: string | undefined): Promise<StoredTokens> {
  const { as, identity } = ctx;
  const params: Record<string, string> = { resource: ctx.resource, ...(scope ? { scope } : {}) };
  const options = { ...ctx.http.options<'POST', URLSearchParams>(), ...(ctx.dpop ? { DPoP: ctx.dpop.handle } : {}) };
  const response = await withNonceRetry('the client credentials grant',
    () => oauth.clientCredentialsGrantRequest(as, identity.client, identity.auth, params, options),
    (r) => oauth.processClientCredentialsResponse(as, identity.client, r), ctx.dpop !== undefined);
  return toStored(response);
}

/** The RFC 7523 JWT-bearer grant with `assertion`; a refusal is final (no retry, no other grant). */
export async function jwtBearer(ctx: TokenContext, assertion: string, scope: string | undefined): Promise<StoredTokens> {
  const { as, identity } = ctx;
  const params: Record<string, string> = { assertion, resource: ctx.resource, ...(scope ? { scope } : {}) };
  const options = { ...ctx.http.options<'POST', URLSearchParams>(), ...(ctx.dpop ? { DPoP: ctx.dpop.handle } : {}) };
  const response = await withNonceRetry('the JWT-bearer grant',
    () => oauth.genericTokenEndpointRequest(as, identity.client, identity.auth, 'urn:ietf:params:oauth:grant-type:jwt-bearer', params, options),
    (r) => oauth.processGenericTokenEndpointResponse(as, identity.client, r), ctx.dpop !== undefined);
  return toStored(response);
}

/** The enterprise IdP side (SEP-990): exchange an ID token for an ID-JAG (RFC 8693). */
export async function exchangeForIdJag(
  http: Http, grant: { idToken: string; idpTokenEndpoint: string; idpClientId: string; idpClientSecret?: string },
  audience: string, resource: string, scope: string | undefined, timeoutMs: number,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
    subject_token: grant.idToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    audience,
    resource,
    client_id: grant.idpClientId,
  });
  if (grant.idpClientSecret) body.set('client_secret', grant.idpClientSecret);
  if (scope) body.set('scope', scope);
  const response = await http.fetch(grant.idpTokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const json = await boundedJson(response, http.maxReplyBytes).catch(() => undefined) as Record<string, unknown> | undefined;
  if (response.status !== 200 || typeof json?.access_token !== 'string') {
    const why = typeof json?.error === 'string' ? `${json.error}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}` : `HTTP ${response.status}`;
    throw new AuthError(AuthErrorCode.Token, `the token exchange at ${grant.idpTokenEndpoint} failed: ${why}`);
  }
  return json.access_token;
}
