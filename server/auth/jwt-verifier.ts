/**
 * The built-in access-token verifier: JWT access tokens (RFC 9068) checked with `jose`
 * against the issuer's JWKS, for this resource only (2025-11-25 basic/authorization, token
 * audience: a server MUST reject tokens not issued for it).
 */
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { boundedText } from '../../protocol/bounded-text.ts';
import { discoverJwksUri } from './discovery.ts';
import { loadJose, type Jose } from './jose-lazy.ts';
import { AuthUnavailableError, TokenRejectedError, TokenRejection } from './errors.ts';
import { authOf, jktOf, type TokenVerifier, type VerifiedToken } from './types.ts';

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /** The authorization server's issuer identifier; the `iss` claim must equal it. */
  issuer: string;
  /** This resource's identifier(s) (RFC 8707); the `aud` claim must contain one. */
  audience: string | readonly string[];
  /** The JWKS URL; default: `jwks_uri` from the issuer's metadata (RFC 8414). */
  jwksUrl?: string;
  /** Signature algorithms accepted. Default RS256, PS256, ES256, ES384, EdDSA. */
  algorithms?: readonly string[];
  /**
   * Require the RFC 9068 §2.1 header `typ: at+jwt`, so no other JWT of the issuer (an ID
   * token) passes as an access token. Default false: many authorization servers send `JWT`.
   */
  requireAccessTokenType?: boolean;
  /** Seconds of clock skew allowed on `exp` and `nbf`. Default 30. */
  clockToleranceSec?: number;
  /** How long fetched keys are used before a refetch (ms). Default 600 000. */
  jwksCacheMs?: number;
  /**
   * Least time between two fetches made because a token named an unknown `kid` (ms); the first
   * such fetch is made at once, however recent the last one for other reasons. Default 30 000.
   */
  jwksCooldownMs?: number;
  /** Timeout of a JWKS or metadata fetch (ms). Default 5 000. */
  fetchTimeoutMs?: number;
  /** Largest JWKS read (bytes); a larger one fails the check as unavailable (503). Default 262 144 (256 KiB). */
  maxJwksBytes?: number;
  /** Most bytes read of the authorization server metadata that names `jwks_uri`; a larger one is refused (503, keys unavailable). Default 256 KiB. */
  maxMetadataBytes?: number;
  /** The fetch used for metadata and keys (tests, proxies). Default global fetch. */
  fetch?: typeof fetch;
  /** Clock (tests). Default now. */
  now?: () => Date;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const DEFAULT_MAX_JWKS_BYTES = 256 * 1024;

/**
 * `fetchFn` with a bounded body: jose reads the JWKS with `response.json()`, so an endless
 * answer held memory until the fetch timed out (207 MB in 3 s on loopback).
 */
function boundedJwksFetch(fetchFn: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    if (response.status !== 200) return response; // jose refuses it, naming the status
    const text = await boundedText(response, maxBytes);
    if (text === undefined) throw new Error(`the JWKS at ${String(input)} is larger than ${maxBytes} bytes`);
    return new Response(text, { status: 200, headers: response.headers });
  };
}

/**
 * A token whose `nbf` has not come (RFC 7519 §4.1.5) by this server's clock: said with how far
 * ahead it is, since past the tolerance that is the clocks of the two servers disagreeing, and
 * every token the authorization server issues will be refused the same way until they agree.
 */
function notYetValid(payload: Record<string, unknown>, toleranceSec: number, nowMs: number): string {
  const ahead = typeof payload.nbf === 'number' ? Math.round(payload.nbf - nowMs / 1000) : undefined;
  return ahead === undefined ? 'the access token is not valid yet (nbf)'
    : `the access token is not valid yet: its nbf is ${ahead} s ahead of this server's clock (${toleranceSec} s allowed); the clocks of this server and its authorization server disagree`;
}

/** What each jose failure means for the client. */
function rejection(error: unknown, errors: Jose['errors'], toleranceSec: number, nowMs: number): TokenRejectedError | undefined {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError(TokenRejection.Expired, 'the access token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    // RFC 7519 §4.1.4-4.1.6: exp, nbf and iat are NumericDates; one of another type is a
    // malformed token, not one whose time has not come (jose says reason 'invalid').
    if (error.reason === 'invalid') return new TokenRejectedError(TokenRejection.Malformed, `the access token's ${error.claim} claim is not a NumericDate`, { cause: error });
    const reason = error.claim === 'aud' ? TokenRejection.Audience : error.claim === 'iss' ? TokenRejection.Issuer
      : error.claim === 'nbf' ? TokenRejection.NotYetValid : TokenRejection.Malformed;
    const what = error.claim === 'aud' ? 'the access token was not issued for this resource (aud)'
      : error.claim === 'nbf' ? notYetValid(error.payload, toleranceSec, nowMs)
      : error.claim === 'iss' ? 'the access token was not issued by the expected authorization server (iss)' : `the access token's ${error.claim} claim is invalid`;
    return new TokenRejectedError(reason, what, { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRejectedError(TokenRejection.Signature, 'the access token signature does not verify', { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey) return new TokenRejectedError(TokenRejection.UnknownKey, 'the access token is signed by a key the issuer does not publish', { cause: error });
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSEAlgNotAllowed
    || error instanceof errors.JOSENotSupported) {
    return new TokenRejectedError(TokenRejection.Malformed, `the access token is not an acceptable JWT (${error.message})`, { cause: error });
  }
  return undefined;
}

/**
 * `jwtVerify`, trying each key when the set holds several the token may name: two keys under
 * one `kid` (a rotation republished under the same name), or a token without `kid` before an
 * issuer with two keys of its algorithm. jose stops there (JWKSMultipleMatchingKeys); the
 * token is good if one of them verifies it (RFC 7517 §4.5 leaves kid uniqueness to the issuer).
 */
async function verifyWithKeys(jose: Jose, token: string, getKey: JWTVerifyGetKey, verifyOptions: JWTVerifyOptions): Promise<{ payload: JWTPayload }> {
  const { errors, jwtVerify } = jose;
  try {
    return await jwtVerify(token, getKey, verifyOptions);
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return await jwtVerify(token, key, verifyOptions);
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/**
 * `remote` (jose's remote key set), fetched again on first sight of a `kid` it lacks (a key
 * rotated in), at most once per `cooldownMs` counted from the last such fetch; requests that
 * meet the unknown kid meanwhile wait for that one fetch. jose's own cooldown counts from any
 * fetch, so a key rotated in within 30 s of the first token's fetch was refused for the rest
 * of them (and its users sent to sign in again), though no unknown kid had been looked up.
 */
function refetchOnUnknownKid(remote: ReturnType<Jose['createRemoteJWKSet']>, errors: Jose['errors'], cooldownMs: number): JWTVerifyGetKey {
  let last = -Infinity;
  let pending: Promise<void> | undefined;
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (!pending) {
        if (Date.now() - last < cooldownMs) throw error;
        last = Date.now();
        pending = remote.reload().finally(() => {
          pending = undefined;
        });
      }
      await pending;
      return remote(header, token);
    }
  };
}

/** A {@link TokenVerifier} for JWT access tokens. */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.fetchTimeoutMs ?? 5_000;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = () => keys ??= (async () => {
    const url = options.jwksUrl ?? await discoverJwksUri(options.issuer, fetchFn, timeoutMs, options.maxMetadataBytes);
    const jose = await loadJose();
    const cacheMs = options.jwksCacheMs ?? 600_000;
    // jose keeps the key set and fetches it again when the cache ages out; its own refetch on
    // an unknown kid is left to refetchOnUnknownKid (a cooldown as long as the cache: never).
    const remote = jose.createRemoteJWKSet(new URL(url), {
      cacheMaxAge: cacheMs,
      cooldownDuration: cacheMs,
      timeoutDuration: timeoutMs,
      [jose.customFetch]: boundedJwksFetch(fetchFn, options.maxJwksBytes ?? DEFAULT_MAX_JWKS_BYTES),
    });
    return refetchOnUnknownKid(remote, jose.errors, options.jwksCooldownMs ?? 30_000);
  })().catch((error: unknown) => {
    keys = undefined; // try discovery again on the next token
    throw error;
  });
  const verifyOptions = {
    issuer: options.issuer,
    audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
    algorithms: [...(options.algorithms ?? DEFAULT_ALGORITHMS)],
    clockTolerance: options.clockToleranceSec ?? 30,
    ...(options.requireAccessTokenType ? { typ: 'at+jwt' } : {}),
  };
  return {
    async verify(token: string): Promise<VerifiedToken> {
      const getKey = await keySet();
      const jose = await loadJose(); // loaded by keySet()
      const now = options.now?.() ?? new Date();
      try {
        const { payload } = await verifyWithKeys(jose, token, getKey, { ...verifyOptions, currentDate: now });
        // RFC 9068 §4: an access token names its expiry; one without exp never ends.
        if (typeof payload.exp !== 'number') throw new TokenRejectedError(TokenRejection.Malformed, 'the access token has no exp claim');
        const claims = payload as Record<string, unknown>;
        return { auth: authOf(claims), jkt: jktOf(claims) };
      } catch (error) {
        if (error instanceof TokenRejectedError) throw error;
        const rejected = rejection(error, jose.errors, verifyOptions.clockTolerance, now.getTime());
        if (rejected) throw rejected;
        throw new AuthUnavailableError(`the access token could not be checked: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}
