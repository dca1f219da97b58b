/**
 * An MCP server as an OAuth protected resource (2025-11-25 and 2026-07-28
 * basic/authorization): every request to the MCP endpoint carries an access token issued
 * for this resource, checked before any session is looked up; the metadata document tells
 * clients where to get one. The principal reaches handlers as `ctx.auth`; the token does not.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { Authenticated, AuthenticateResult } from '../../transport/http/modern-entry.ts';
import { jsonReply, type InboundRequest, type ServerReply } from '../../transport/http/exchange.ts';
import { callsOf, type ScopesFor } from './call-scopes.ts';
import { challengeReply, type Challenge } from './challenge.ts';
import { DEFAULT_DPOP_ALGORITHMS, verifyDpopProof, type DpopSettings } from './dpop.ts';
import { AuthUnavailableError, TokenRejectedError, TokenRejection } from './errors.ts';
import { metadataHandler, metadataUrl, type ResourceMetadata } from './metadata.ts';
import { createMemoryReplayCache, type ReplayCache } from './replay-cache.ts';
import { checkScopeHierarchy, effectiveScopes, type ScopeHierarchy } from './scope-hierarchy.ts';
import type { TokenVerifier, VerifiedToken } from './types.ts';

/** DPoP (RFC 9449) at this resource. */
export interface DpopOptions {
  /** Refuse tokens that are not DPoP-bound. Default false (bound tokens always need a proof). */
  required?: boolean;
  /** Proof signature algorithms. Default ES256, ES384, EdDSA, PS256, RS256. */
  algorithms?: readonly string[];
  /** Seconds a proof's `iat` may differ from now. Default 300 (±5 min). */
  maxSkewSec?: number;
  /** Where used `jti`s are remembered. Default an in-process cache of 100 000 entries. */
  replayCache?: ReplayCache;
}

/** Options of {@link createProtectedResource}. */
export interface ProtectedResourceOptions {
  /** This resource's identifier: the MCP endpoint's canonical URL (RFC 8707; tokens' audience). */
  resource: string;
  /** Issuers of the authorization servers clients may use (RFC 9728 `authorization_servers`). */
  authorizationServers: readonly string[];
  /** Checks JWT access tokens (createJwtVerifier) or any token format. */
  verifier: TokenVerifier;
  /** Checks tokens that are not JWTs (e.g. createIntrospectionVerifier); without it they are refused. */
  opaqueVerifier?: TokenVerifier;
  /** Scopes every request needs; a token without them gets 403 `insufficient_scope`. Default none. `offline_access` is ignored. */
  requiredScopes?: readonly string[];
  /**
   * Scopes a call needs besides `requiredScopes` (e.g. by tool name); the body is then read
   * before the request goes on. A 403 names the union: one complete challenge.
   */
  scopesFor?: ScopesFor;
  /** Largest body read for `scopesFor` (413 beyond). Default 4 MiB, the HTTP server's default. */
  maxBodyBytes?: number;
  /** Scopes published in the metadata (and asked for in challenges). Default `requiredScopes`. `offline_access` is left out of both. */
  scopesSupported?: readonly string[];
  /**
   * The server's scope hierarchy: a broader scope and the narrower scopes it implies
   * (transitively), e.g. `{ files: ['files:read', 'files:write'] }`. A token with `files`
   * then satisfies a request that needs `files:write`. Default none: a scope implies only itself.
   */
  impliedScopes?: ScopeHierarchy;
  /** Human-readable name in the metadata. */
  resourceName?: string;
  /** Accept DPoP-bound tokens and check their proofs; on by default with its defaults. */
  dpop?: DpopOptions;
  /** Told each refused token (for audit logs). */
  onRejected?: (error: TokenRejectedError) => void;
  /** Told when tokens cannot be checked (JWKS or introspection down); the request gets 503. */
  onError?: (error: Error) => void;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** What {@link createProtectedResource} makes: the two hooks of the HTTP entry. */
export interface ProtectedResource {
  /** The `authenticate` hook: a refusal, or the request's principal. */
  authenticate(request: InboundRequest): Promise<AuthenticateResult>;
  /** The `wellKnown` hook serving the metadata document. */
  wellKnown(request: InboundRequest): ServerReply | undefined;
  /** The document served. */
  readonly metadata: ResourceMetadata;
  /** Its URL, as challenges name it. */
  readonly metadataUrl: string;
}

/** `scopes` without `offline_access`, the scope that asks for a refresh token. */
const notOffline = (scopes: readonly string[]): string[] => scopes.filter((s) => s !== 'offline_access');

/** RFC 7235 token68, as RFC 6750 §2.1 allows for bearer tokens. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** A JWS in compact form: three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Make `resource` a protected resource: pass `authenticate` and `wellKnown` to the HTTP handler. */
export function createProtectedResource(options: ProtectedResourceOptions): ProtectedResource {
  // RFC 9728 §3.3: the document's resource is the identifier exactly as configured.
  const resource = options.resource;
  if (!URL.canParse(resource)) throw new McpError(LocalErrorCode.Validation, `resource ${JSON.stringify(resource)} is not an absolute URL`);
  // 2026-07-28 basic/authorization, "Token Requirements": a resource SHOULD NOT list
  // `offline_access` in scopes_supported or a challenge, as refresh tokens are no resource
  // requirement; so it is never published, required or challenged for.
  const required = notOffline(options.requiredScopes ?? []);
  const supported = notOffline(options.scopesSupported ?? required);
  const hierarchy = checkScopeHierarchy(options.impliedScopes);
  const dpopRequired = options.dpop?.required ?? false;
  const now = options.now ?? Date.now;
  const dpop: DpopSettings = {
    algorithms: options.dpop?.algorithms ?? DEFAULT_DPOP_ALGORITHMS,
    maxSkewSec: options.dpop?.maxSkewSec ?? 300,
    replay: options.dpop?.replayCache ?? createMemoryReplayCache({ now }),
    nowSec: () => Math.floor(now() / 1000),
  };
  const metadata: ResourceMetadata = {
    resource,
    authorization_servers: [...options.authorizationServers],
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: [...dpop.algorithms],
  };
  if (supported.length > 0) metadata.scopes_supported = supported;
  if (options.resourceName !== undefined) metadata.resource_name = options.resourceName;
  if (dpopRequired) metadata.dpop_bound_access_tokens_required = true;
  const prmUrl = metadataUrl(resource);
  const origin = new URL(resource).origin;
  const resourcePath = new URL(resource).pathname;
  /**
   * The URL a DPoP proof's `htu` must name (RFC 9449 §4.3 step 9: the request's target URI,
   * as the client addressed it): the origin plus the path, or the resource itself when a proxy
   * in front took a prefix off the path (the resource https://h/team/mcp served as /mcp): the
   * client sent its proof for the resource's URL, which this server never sees whole.
   */
  const proofTarget = (path: string): string =>
    path !== resourcePath && path !== '/' && resourcePath.endsWith(path) && resourcePath[resourcePath.length - path.length] === '/' ? resource : origin + path;

  const refuse = (used: 'Bearer' | 'DPoP', error?: Challenge['error'], description?: string, scopes: readonly string[] = required.length > 0 ? required : supported): ServerReply => {
    // A resource that takes bound tokens only never offers Bearer (RFC 9449 §7.1).
    const scheme = dpopRequired ? 'DPoP' : used;
    const c: Challenge = { scheme, resourceMetadata: prmUrl, scopes };
    if (error) c.error = error;
    if (description) c.description = description;
    if (scheme === 'DPoP') c.algs = dpop.algorithms;
    // RFC 9449 §7.1: a resource that accepts both schemes offers both in its 401, the DPoP one
    // with the algorithms it checks proofs with, so a client that can bind its token learns it
    // may (2026-07-28 basic/authorization: DPoP). Not on a 403 or 400: the scheme used was fine.
    const status401 = error === undefined || error === 'invalid_token';
    return scheme === 'Bearer' && status401 ? challengeReply(c, { scheme: 'DPoP', resourceMetadata: prmUrl, scopes, algs: dpop.algorithms }) : challengeReply(c);
  };

  async function verify(token: string): Promise<VerifiedToken> {
    if (COMPACT_JWS.test(token)) return options.verifier.verify(token);
    if (options.opaqueVerifier) return options.opaqueVerifier.verify(token);
    throw new TokenRejectedError(TokenRejection.Malformed, 'the access token is not a JWT and this server has no verifier for opaque tokens');
  }

  /** RFC 9449 §7.1-7.2: a bound token comes with the DPoP scheme and a proof by its key; the DPoP scheme with a bound token. */
  async function checkBinding(request: InboundRequest, scheme: 'Bearer' | 'DPoP', token: string, verified: VerifiedToken): Promise<void> {
    const bound = verified.jkt !== undefined;
    if (dpopRequired && !bound) throw new TokenRejectedError(TokenRejection.DpopBinding, 'this server accepts DPoP-bound tokens only');
    if (bound && scheme === 'Bearer') throw new TokenRejectedError(TokenRejection.DpopMissing, 'the token is DPoP-bound: send it with the DPoP scheme and a DPoP proof');
    if (!bound && scheme === 'DPoP') throw new TokenRejectedError(TokenRejection.DpopBinding, 'the DPoP scheme was used with a token that is not DPoP-bound');
    if (bound) await verifyDpopProof({ proof: request.header('dpop'), method: request.method, url: proofTarget(request.path), accessToken: token, jkt: verified.jkt }, dpop);
  }

  /** The scopes this request needs, and its body when reading it was needed to know them. */
  async function scopesNeeded(request: InboundRequest): Promise<{ needed: string[]; body: string | undefined } | ServerReply> {
    const scopesFor = options.scopesFor;
    if (!scopesFor) return { needed: required, body: undefined };
    const read = await callsOf(request, options.maxBodyBytes ?? 4 * 1024 * 1024);
    if ('status' in read) return read;
    return { needed: [...new Set([...required, ...notOffline(read.calls.flatMap((c) => scopesFor(c)))])], body: read.body };
  }

  async function authenticate(request: InboundRequest): Promise<AuthenticateResult> {
    const header = request.header('authorization');
    // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    const match = header === null ? null : /^(Bearer|DPoP) +(.*)$/i.exec(header.trim());
    if (!match) return refuse('Bearer');
    const scheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    const token = match[2]!;
    if (!TOKEN68.test(token)) return refuse(scheme, 'invalid_request', 'the Authorization header does not carry one well-formed token');
    try {
      const verified = await verify(token);
      await checkBinding(request, scheme, token, verified);
      const scopes = await scopesNeeded(request);
      if ('status' in scopes) return scopes;
      // 2026-07-28 basic/authorization, step-up: a broader scope implies narrower ones (MUST).
      const granted = effectiveScopes(verified.auth.scopes ?? [], hierarchy);
      // 2026-07-28 basic/authorization: one complete challenge, every scope the request needs
      // (not only the missing ones), so a single step-up suffices.
      if (scopes.needed.some((s) => !granted.has(s))) return refuse(scheme, 'insufficient_scope', `this request needs the scopes ${scopes.needed.join(' ')}`, scopes.needed);
      const passed: Authenticated = scopes.body === undefined ? { auth: verified.auth } : { auth: verified.auth, body: scopes.body };
      return passed;
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        options.onRejected?.(error);
        const bound = error.reason === TokenRejection.DpopMissing || error.oauthError === 'invalid_dpop_proof';
        return refuse(bound ? 'DPoP' : scheme, error.oauthError, error.message);
      }
      const failure = error instanceof AuthUnavailableError ? error : new AuthUnavailableError(`token check failed: ${(error as Error).message}`, { cause: error });
      options.onError?.(failure);
      return jsonReply(503, { error: 'temporarily_unavailable', error_description: 'the server cannot check access tokens right now' }, { 'retry-after': '5' });
    }
  }

  return { authenticate, wellKnown: metadataHandler(metadata), metadata, metadataUrl: prmUrl };
}
