/**
 * DPoP (RFC 9449) for requests to the protected resource: a fresh proof per request, bound to
 * the access token (`ath`), carrying the server's latest nonce per origin. Token requests use
 * oauth4webapi's own DPoP handle with the same key pair.
 */
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import type { DpopKeyPair } from './options.ts';

/** Proofs for one key pair. */
export interface DpopSigner {
  /** oauth4webapi's handle, for token requests. */
  readonly handle: oauth.DPoPHandle;
  /** A proof for `method url`, bound to `accessToken` (RFC 9449 §4.2, §7.1). */
  proof(method: string, url: string, accessToken: string): Promise<string>;
  /** Keep the nonce a resource server sent (RFC 9449 §9). */
  setNonce(url: string, nonce: string): void;
  /** The JWK thumbprint of the public key (RFC 7638). */
  thumbprint(): Promise<string>;
}

/** Nonces kept, one per origin. */
const MAX_NONCES = 100;

/** A signer over `keyPair`, or an ES256 pair made here. */
export async function createDpopSigner(keyPair?: DpopKeyPair): Promise<DpopSigner> {
  const pair = keyPair ?? await oauth.generateKeyPair('ES256');
  const jwk: JWK = await exportJWK(pair.publicKey);
  const alg = pair.privateKey.algorithm.name === 'Ed25519' ? 'EdDSA' : 'ES256';
  const nonces = new Map<string, string>();
  const handle = oauth.DPoP({}, pair);
  return {
    handle,
    async proof(method, url, accessToken) {
      const target = new URL(url);
      const ath = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))).toString('base64url');
      const nonce = nonces.get(target.origin);
      return new SignJWT({ htm: method, htu: `${target.origin}${target.pathname}`, ath, ...(nonce ? { nonce } : {}) })
        .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
        .setIssuedAt()
        .setJti(crypto.randomUUID())
        .sign(pair.privateKey);
    },
    setNonce(url, nonce) {
      const origin = new URL(url).origin;
      nonces.delete(origin);
      if (nonces.size >= MAX_NONCES) nonces.delete(nonces.keys().next().value as string);
      nonces.set(origin, nonce);
    },
    thumbprint: () => calculateJwkThumbprint(jwk),
  };
}
