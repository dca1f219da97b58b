/**
 * The hook for opaque access tokens: OAuth 2.0 Token Introspection (RFC 7662). The resource
 * server asks the authorization server whether a token is active; the answer must name this
 * resource as its audience when it names one, and must not be expired.
 */
import { AuthUnavailableError, TokenRejectedError, TokenRejection } from './errors.ts';
import { authOf, jktOf, type TokenVerifier, type VerifiedToken } from './types.ts';
import { boundedJson, MAX_AUTH_REPLY_BYTES } from '../../protocol/bounded-text.ts';

/** Options of {@link createIntrospectionVerifier}. */
export interface IntrospectionVerifierOptions {
  /** The introspection endpoint (RFC 7662 §2). */
  endpoint: string;
  /** This resource's credentials at the authorization server (HTTP Basic, RFC 7662 §2.1). */
  clientId: string;
  clientSecret: string;
  /** This resource's identifier; an answer with an `aud` must contain it. */
  audience: string;
  /** The issuer an answer's `iss` must equal, when both are known. */
  issuer?: string;
  /** Timeout of one introspection call (ms). Default 5 000. */
  timeoutMs?: number;
  /** Most bytes read of an answer; a larger one counts as a failed call (503). Default 256 KiB. */
  maxReplyBytes?: number;
  fetch?: typeof fetch;
  /** Clock in seconds (tests). */
  nowSec?: () => number;
}

/** A {@link TokenVerifier} that introspects each token (no caching: revocation takes effect at once). */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
  const fetchFn = options.fetch ?? fetch;
  const nowSec = options.nowSec ?? (() => Math.floor(Date.now() / 1000));
  const maxBytes = options.maxReplyBytes ?? MAX_AUTH_REPLY_BYTES;
  const basic = btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`);
  return {
    async verify(token: string): Promise<VerifiedToken> {
      let answer: Record<string, unknown>;
      try {
        const response = await fetchFn(options.endpoint, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const parsed = await boundedJson(response, maxBytes);
        if (typeof parsed !== 'object' || parsed === null) throw new Error(`the answer is not a JSON object of at most ${maxBytes} bytes (maxReplyBytes)`);
        answer = parsed as Record<string, unknown>;
      } catch (error) {
        throw new AuthUnavailableError(`token introspection at ${options.endpoint} failed: ${(error as Error).message}`, { cause: error });
      }
      if (answer.active !== true) throw new TokenRejectedError(TokenRejection.Inactive, 'the access token is not active');
      if (typeof answer.exp === 'number' && answer.exp <= nowSec()) throw new TokenRejectedError(TokenRejection.Expired, 'the access token has expired');
      const aud = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : undefined;
      if (aud && !aud.includes(options.audience)) throw new TokenRejectedError(TokenRejection.Audience, 'the access token was not issued for this resource (aud)');
      if (options.issuer !== undefined && typeof answer.iss === 'string' && answer.iss !== options.issuer) {
        throw new TokenRejectedError(TokenRejection.Issuer, 'the access token was not issued by the expected authorization server (iss)');
      }
      return { auth: authOf(answer), jkt: jktOf(answer) };
    },
  };
}
