/**
 * The token-verification seam: a protected resource asks a {@link TokenVerifier} what a token
 * proves. The built-in JWT verifier (jwt-verifier.ts) and the introspection verifier
 * (introspection.ts) implement it; anything else (a database of opaque tokens) can.
 */
import type { AuthInfo } from '../../protocol/index.ts';

/** What a verified access token proves. */
export interface VerifiedToken {
  /** The principal, scopes and claims handlers see as `ctx.auth`. */
  readonly auth: AuthInfo;
  /**
   * RFC 9449 §6: the SHA-256 JWK thumbprint the token is bound to (`cnf.jkt`); a bound token
   * is only accepted with a DPoP proof signed by that key.
   */
  readonly jkt?: string | undefined;
}

/** Checks one access token; rejects with `TokenRejectedError` (or `AuthUnavailableError`). */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** Reads scopes from a `scope` string (RFC 9068, RFC 7662) or an `scp` array. */
export function scopesOf(claims: Record<string, unknown>): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter((s) => s !== '');
  if (Array.isArray(claims.scp)) return claims.scp.filter((s): s is string => typeof s === 'string');
  if (typeof claims.scp === 'string') return claims.scp.split(' ').filter((s) => s !== '');
  return [];
}

/** The RFC 9449 §6.1 `cnf.jkt` of a token's claims, when it is bound. */
export function jktOf(claims: Record<string, unknown>): string | undefined {
  const cnf = claims.cnf;
  if (typeof cnf !== 'object' || cnf === null) return undefined;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : undefined;
}

/** The {@link AuthInfo} of validated claims (JWT payload or introspection response). */
export function authOf(claims: Record<string, unknown>): AuthInfo {
  const auth: { -readonly [K in keyof AuthInfo]: AuthInfo[K] } = { scopes: scopesOf(claims), claims };
  if (typeof claims.sub === 'string') auth.subject = claims.sub;
  if (typeof claims.iss === 'string') auth.issuer = claims.iss;
  const client = typeof claims.client_id === 'string' ? claims.client_id : claims.azp;
  if (typeof client === 'string') auth.clientId = client;
  if (typeof claims.exp === 'number') auth.expiresAt = claims.exp;
  return auth;
}
