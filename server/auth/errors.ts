/**
 * Why a token or DPoP proof was refused. Local errors (never on the wire as such): the
 * protected resource turns them into a 401 challenge and reports them to `onRejected`.
 */

/** Stable reasons a request's credentials are refused, one per check. */
export const TokenRejection = {
  Malformed: 'malformed',
  Expired: 'expired',
  NotYetValid: 'not_yet_valid',
  Audience: 'audience',
  Issuer: 'issuer',
  Signature: 'signature',
  UnknownKey: 'unknown_key',
  Inactive: 'inactive',
  DpopMissing: 'dpop_missing',
  DpopInvalid: 'dpop_invalid',
  DpopReplay: 'dpop_replay',
  DpopBinding: 'dpop_binding',
} as const;
export type TokenRejection = (typeof TokenRejection)[keyof typeof TokenRejection];

/** Credentials refused: `code` MCP_ERR_TOKEN_REJECTED, `reason` says which check failed. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
  readonly code = 'MCP_ERR_TOKEN_REJECTED';
  readonly reason: TokenRejection;

  constructor(reason: TokenRejection, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }

  /** The RFC 6750 / RFC 9449 `error` of the challenge this rejection answers with. */
  get oauthError(): 'invalid_token' | 'invalid_dpop_proof' {
    return this.reason === TokenRejection.DpopInvalid || this.reason === TokenRejection.DpopReplay ? 'invalid_dpop_proof' : 'invalid_token';
  }
}

/**
 * The resource server cannot judge a token right now (JWKS or authorization server
 * metadata unreachable, introspection down): `code` MCP_ERR_AUTH_UNAVAILABLE; the request
 * gets 503, not a challenge that would send the client to sign in again.
 */
export class AuthUnavailableError extends Error {
  override name = 'AuthUnavailableError';
  readonly code = 'MCP_ERR_AUTH_UNAVAILABLE';
}
