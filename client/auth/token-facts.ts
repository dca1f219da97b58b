/**
 * What the OAuth client reads from the tokens it holds: whether they are due for a refresh,
 * and whose they are.
 */
import { decodeJwt } from 'jose';
import type { StoredTokens } from './store.ts';

/** Seconds before expiry at which a token is refreshed ahead of use. */
const EXPIRY_MARGIN_S = 30;

/** The subject (`email`, else `sub`) of a JWT access token; nothing for an opaque one. */
export function subjectOf(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    return typeof claims.email === 'string' ? claims.email : typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tokens that expire within the margin: EXPIRY_MARGIN_S, or half their lifetime when that is
 * shorter (a token that lives 20 s would otherwise be refreshed before every request).
 */
export function dueForRefresh(tokens: StoredTokens): boolean {
  const { expires_at: expiresAt, received_at: receivedAt } = tokens;
  if (expiresAt === undefined) return false;
  const margin = receivedAt === undefined ? EXPIRY_MARGIN_S : Math.min(EXPIRY_MARGIN_S, (expiresAt - receivedAt) / 2);
  return expiresAt - margin <= Date.now() / 1000;
}
