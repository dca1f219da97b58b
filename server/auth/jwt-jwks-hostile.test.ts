// The JWT verifier against an issuer whose JWKS endpoint misbehaves or publishes odd key sets:
// an endless JWKS is read up to a bound (not until the fetch times out), and a key set with
// several keys a token could name (two keys under one kid, or a token without kid before an
// issuer with two keys of its algorithm) verifies against each of them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createJwtVerifier } from './jwt-verifier.ts';

const AUD = 'http://127.0.0.1/mcp';
const test = suite('JWT verifier: hostile or odd JWKS endpoints');

/** What the JWKS endpoint answers: a key set, or an endless body. */
let answer: { keys: JWK[] } | 'endless' = { keys: [] };
let bytesSent = 0;
let fetches = 0;
const server: Server = createServer((req, res) => {
  fetches++;
  res.writeHead(200, { 'content-type': 'application/json' });
  if (answer !== 'endless') { res.end(JSON.stringify(answer)); return; }
  res.write('{"keys":[{"kty":"EC","x":"');
  const chunk = 'A'.repeat(64 * 1024);
  const pump = () => { while (!res.destroyed && res.write(chunk)) bytesSent += chunk.length; };
  res.on('drain', pump);
  req.socket.on('close', () => res.destroy());
  pump();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
test.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

async function key(kid: string | undefined): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...await exportJWK(publicKey), alg: 'ES256', ...(kid === undefined ? {} : { kid }) } };
}

function mint(privateKey: CryptoKey, kid: string | undefined): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, aud: AUD, sub: 'ann', iat: now, exp: now + 300 })
    .setProtectedHeader({ alg: 'ES256', ...(kid === undefined ? {} : { kid }) }).sign(privateKey);
}

const outcome = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { reason?: string; code?: string; message?: string }) => `${e.reason ?? e.code}: ${e.message}`);

test('an endless JWKS: the check fails as unavailable once the bound is passed, long before the fetch timeout', async () => {
  answer = 'endless';
  bytesSent = 0;
  const signer = await key('k1');
  const verifier = createJwtVerifier({ issuer, audience: AUD, jwksUrl: `${issuer}/jwks`, fetchTimeoutMs: 20_000 });
  const result = await outcome(verifier.verify(await mint(signer.privateKey, 'k1')));
  assert.match(result, /MCP_ERR_AUTH_UNAVAILABLE/);
  assert.match(result, /262144 bytes/);
  // The bound (256 KiB) stops the read; the server only fills socket buffers beyond it.
  assert.ok(bytesSent < 32 * 1024 * 1024, `${bytesSent} bytes sent before the verifier stopped reading`);
});

test('maxMetadataBytes bounds the authorization server metadata read to find jwks_uri', async () => {
  answer = { keys: [] }; // 11 bytes at every path, metadata URLs included
  const signer = await key('k1');
  const verifier = createJwtVerifier({ issuer, audience: AUD, maxMetadataBytes: 8 });
  const result = await outcome(verifier.verify(await mint(signer.privateKey, 'k1')));
  assert.match(result, /MCP_ERR_AUTH_UNAVAILABLE/);
  assert.match(result, /larger than 8 bytes: maxMetadataBytes/);
});

test('two keys under one kid (a rotation republished under the same kid): a token by either verifies; by neither, a signature failure', async () => {
  const [a, b, stranger] = [await key('k1'), await key('k1'), await key('k1')];
  answer = { keys: [a.jwk, b.jwk] };
  const verifier = createJwtVerifier({ issuer, audience: AUD, jwksUrl: `${issuer}/jwks` });
  assert.is(await outcome(verifier.verify(await mint(a.privateKey, 'k1'))), 'accepted');
  assert.is(await outcome(verifier.verify(await mint(b.privateKey, 'k1'))), 'accepted');
  assert.match(await outcome(verifier.verify(await mint(stranger.privateKey, 'k1'))), /^signature:/);
});

test('a token without kid, an issuer with two keys of its algorithm: the key that signed it is found', async () => {
  const [a, b] = [await key('k1'), await key('k2')];
  answer = { keys: [a.jwk, b.jwk] };
  const verifier = createJwtVerifier({ issuer, audience: AUD, jwksUrl: `${issuer}/jwks` });
  assert.is(await outcome(verifier.verify(await mint(b.privateKey, undefined))), 'accepted');
});

test('a key rotated in just after the keys were fetched: fetched again once on first sight of its kid (not refused for the cooldown); unknown kids then fetch nothing', async () => {
  const [old, rotated, stranger] = [await key('k1'), await key('k2'), await key('k3')];
  answer = { keys: [old.jwk] };
  const verifier = createJwtVerifier({ issuer, audience: AUD, jwksUrl: `${issuer}/jwks` }); // the default 30 s cooldown
  fetches = 0;
  assert.is(await outcome(verifier.verify(await mint(old.privateKey, 'k1'))), 'accepted');
  answer = { keys: [old.jwk, rotated.jwk] };
  const token = await mint(rotated.privateKey, 'k2');
  const results = await Promise.all(Array.from({ length: 10 }, () => outcome(verifier.verify(token))));
  // Before: all refused (unknown_key) until 30 s after the first fetch, and users sent to sign in.
  assert.equal(results, Array.from({ length: 10 }, () => 'accepted'));
  assert.is(fetches, 2, 'one fetch for the ten');
  const forged = await Promise.all(Array.from({ length: 5 }, (_, i) => mint(stranger.privateKey, `nobody-${i}`)));
  for (const t of forged) assert.match(await outcome(verifier.verify(t)), /^unknown_key:/);
  assert.is(fetches, 2, 'unknown kids within the cooldown fetch nothing');
});

test.run();
