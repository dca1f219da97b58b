/**
 * A test-only token issuer on loopback: authorization server metadata and a JWKS over HTTP
 * (127.0.0.1, port 0), access tokens minted with jose, and DPoP keys that sign proofs. Lets
 * the protected-resource tests present every kind of good and bad token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

interface SigningKey { kid: string; privateKey: CryptoKey; jwk: JWK }

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...await exportJWK(publicKey), kid, alg: 'ES256', use: 'sig' } };
}

/** Options of one minted token. */
export interface MintOptions {
  /** Seconds until expiry (negative: already expired). Default 300. */
  expiresIn?: number;
  /** Sign with a key that is not published (a bad signature under a published kid). */
  forgeWithKid?: string;
  /** Sign with a key the JWKS does not list (unknown kid). */
  unpublished?: boolean;
  /** Bind to a DPoP key (cnf.jkt). */
  jkt?: string;
  /** The header's typ. Default at+jwt (RFC 9068). */
  typ?: string;
}

export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  /** Mint an access token: claims default to iss = this issuer, aud = `audience`. */
  mint(claims: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** Publish a new key and sign with it from now on (key rotation). */
  rotate(): Promise<void>;
  /** Make the metadata and JWKS answer 500 (or serve again). */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Start an issuer whose tokens name `audience` unless told otherwise. */
export async function startJwtIssuer(audience: string): Promise<TestIssuer> {
  const keys: SigningKey[] = [await signingKey('k1')];
  const stranger = await signingKey('stranger');
  let fetches = 0;
  let down = false;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (down) { res.writeHead(500).end(); return; }
    if (req.url === '/.well-known/oauth-authorization-server') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }));
    } else if (req.url === '/jwks') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    get jwksFetches() { return fetches; },
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const current = keys[keys.length - 1]!;
      const key = options.unpublished ? stranger : current;
      const kid = options.forgeWithKid ?? key.kid;
      const payload: Record<string, unknown> = { iss: issuer, aud: audience, sub: 'alice', client_id: 'test-client', scope: 'mcp:read', iat: now, exp: now + (options.expiresIn ?? 300), ...claims };
      if (options.jkt) payload.cnf = { jkt: options.jkt };
      for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: options.typ ?? 'at+jwt' }).sign(options.forgeWithKid ? stranger.privateKey : key.privateKey);
    },
    async rotate() { keys.push(await signingKey(`k${keys.length + 1}`)); },
    setDown(value) { down = value; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a DPoP proof claims; anything left out is right for the request. */
export interface ProofClaims { htm?: string; htu?: string; token?: string; iat?: number; jti?: string; ath?: string }

/** A client's DPoP key: its thumbprint (for cnf.jkt) and proofs signed with it. */
export interface DpopKey {
  readonly jkt: string;
  proof(htm: string, htu: string, token: string, overrides?: ProofClaims): Promise<string>;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  let counter = 0;
  return {
    jkt,
    async proof(htm, htu, token, o = {}) {
      const ath = o.ath ?? base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(o.token ?? token))));
      return new SignJWT({ htm: o.htm ?? htm, htu: o.htu ?? htu, ath, jti: o.jti ?? `proof-${Date.now()}-${counter++}`, iat: o.iat ?? Math.floor(Date.now() / 1000) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).sign(privateKey);
    },
  };
}
