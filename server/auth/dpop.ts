/**
 * DPoP proof checks at the resource server (RFC 9449 §4.3 and §7.1): a proof JWT of type
 * `dpop+jwt`, signed with the public key in its own header, naming this request's method
 * and URL, fresh (`iat` within the window), used once (`jti`), carrying the hash of the
 * access token (`ath`), by the key the token is bound to (`cnf.jkt`).
 */
import type { JWK } from 'jose';
import { loadJose } from './jose-lazy.ts';
import { TokenRejectedError, TokenRejection } from './errors.ts';
import type { ReplayCache } from './replay-cache.ts';

/** Asymmetric algorithms accepted for proofs unless configured (RFC 9449 §4.3 step 5). */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = ['ES256', 'ES384', 'EdDSA', 'PS256', 'RS256'];

/** Settings of {@link verifyDpopProof}. */
export interface DpopSettings {
  algorithms: readonly string[];
  /** Seconds a proof's `iat` may lie before or after now. */
  maxSkewSec: number;
  replay: ReplayCache;
  /** Clock in seconds. */
  nowSec(): number;
}

/** What one request presents. */
export interface DpopPresentation {
  /** The `DPoP` header's value (null when absent). */
  proof: string | null;
  method: string;
  /** The URL the client addressed, without query or fragment. */
  url: string;
  accessToken: string;
  /** The thumbprint the token is bound to. */
  jkt: string | undefined;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

const invalid = (message: string, cause?: unknown) => new TokenRejectedError(TokenRejection.DpopInvalid, `DPoP proof: ${message}`, { cause });

/** RFC 9449 §4.3 step 9: compare URLs after syntax-based normalisation, without query and fragment. */
function normalUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** Check the proof of one request; resolves with the proof key's thumbprint. */
export async function verifyDpopProof(p: DpopPresentation, s: DpopSettings): Promise<string> {
  if (p.proof === null) throw new TokenRejectedError(TokenRejection.DpopMissing, 'the token is DPoP-bound; the request carries no DPoP proof');
  // Step 1: exactly one DPoP header (several arrive joined with ", ").
  if (p.proof.includes(',') || p.proof.trim() === '') throw invalid('exactly one DPoP header is required');
  const { base64url, calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify } = await loadJose();
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(p.proof.trim(), EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...s.algorithms] });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (error) {
    const why = error instanceof errors.JOSEError ? error.message : String(error);
    throw invalid(`not a valid dpop+jwt signed by its embedded key (${why})`, error);
  }
  // Step 6: the header key is public.
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalid('the jwk header holds a private key');
  if (payload.htm !== p.method) throw invalid(`htm ${JSON.stringify(payload.htm)} is not the request method ${p.method}`);
  const htu = typeof payload.htu === 'string' ? normalUrl(payload.htu) : undefined;
  if (htu === undefined || htu !== normalUrl(p.url)) throw invalid(`htu ${JSON.stringify(payload.htu)} is not the request URL ${p.url}`);
  const iat = payload.iat;
  if (typeof iat !== 'number' || Math.abs(s.nowSec() - iat) > s.maxSkewSec) throw invalid(`iat is outside ±${s.maxSkewSec} s of now`);
  if (typeof payload.jti !== 'string' || payload.jti === '') throw invalid('jti is missing');
  // Step 11 (RFC 9449 §4.3 with an access token): ath is the token's SHA-256, base64url.
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(p.accessToken)));
  if (payload.ath !== base64url.encode(digest)) throw invalid('ath does not match the access token');
  const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  if (p.jkt !== undefined && thumbprint !== p.jkt) {
    throw new TokenRejectedError(TokenRejection.DpopBinding, 'the DPoP proof is signed by a key other than the one the token is bound to (cnf.jkt)');
  }
  // §11.1: one use per proof, for as long as its iat is acceptable.
  const fresh = await s.replay.add(`${thumbprint}:${payload.jti}`, 2 * s.maxSkewSec * 1000);
  if (!fresh) throw new TokenRejectedError(TokenRejection.DpopReplay, 'DPoP proof replayed: its jti was already used');
  return thumbprint;
}
