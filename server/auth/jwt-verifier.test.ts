// The JWT verifier on its own: scopes from `scope` or `scp`, the principal's fields, the
// optional RFC 9068 typ check, the clock tolerance, and key discovery through the issuer's
// metadata, whose `issuer` must be the one configured (RFC 8414 §3.3).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startJwtIssuer, type TestIssuer } from '../../test/support/jwt-issuer.ts';
import { createJwtVerifier } from './jwt-verifier.ts';

const AUD = 'http://127.0.0.1/mcp';
const test = suite('JWT access-token verifier');
let issuer: TestIssuer;

test.before(async () => { issuer = await startJwtIssuer(AUD); });
test.after(() => issuer.close());

const reasonOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { reason?: string; code?: string }) => e.reason ?? e.code ?? String(e));

test('the principal: subject, issuer, client, expiry, scopes from scope or scp', async () => {
  const verifier = createJwtVerifier({ issuer: issuer.issuer, audience: AUD });
  const a = await verifier.verify(await issuer.mint({ sub: 'ann', azp: 'app', client_id: undefined, scope: 'a b' }));
  assert.is(a.auth.subject, 'ann');
  assert.is(a.auth.issuer, issuer.issuer);
  assert.is(a.auth.clientId, 'app');
  assert.equal(a.auth.scopes, ['a', 'b']);
  assert.type(a.auth.expiresAt, 'number');
  assert.is(a.jkt, undefined);
  const b = await verifier.verify(await issuer.mint({ scope: undefined, scp: ['x', 'y'] }));
  assert.equal(b.auth.scopes, ['x', 'y']);
});

test('requireAccessTokenType refuses a JWT whose typ is not at+jwt', async () => {
  const strict = createJwtVerifier({ issuer: issuer.issuer, audience: AUD, requireAccessTokenType: true });
  assert.is(await reasonOf(strict.verify(await issuer.mint({}))), 'accepted');
  assert.is(await reasonOf(strict.verify(await issuer.mint({}, { typ: 'JWT' }))), 'malformed');
  const lax = createJwtVerifier({ issuer: issuer.issuer, audience: AUD });
  assert.is(await reasonOf(lax.verify(await issuer.mint({}, { typ: 'JWT' }))), 'accepted');
});

test('clock tolerance: a token expired 10 s ago passes with 30 s, not with 0', async () => {
  const token = await issuer.mint({}, { expiresIn: -10 });
  assert.is(await reasonOf(createJwtVerifier({ issuer: issuer.issuer, audience: AUD }).verify(token)), 'accepted');
  assert.is(await reasonOf(createJwtVerifier({ issuer: issuer.issuer, audience: AUD, clockToleranceSec: 0 }).verify(token)), 'expired');
});

test('several audiences: a token for any of them passes', async () => {
  const verifier = createJwtVerifier({ issuer: issuer.issuer, audience: ['http://127.0.0.1/other', AUD] });
  assert.is(await reasonOf(verifier.verify(await issuer.mint({}))), 'accepted');
});

test('metadata naming another issuer: the keys are not used (MCP_ERR_AUTH_UNAVAILABLE)', async () => {
  const lying: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.includes('/.well-known/')) return Response.json({ issuer: 'http://127.0.0.1:1/impostor', jwks_uri: issuer.jwksUrl });
    return fetch(input, init);
  };
  const verifier = createJwtVerifier({ issuer: issuer.issuer, audience: AUD, fetch: lying });
  assert.is(await reasonOf(verifier.verify(await issuer.mint({}))), 'MCP_ERR_AUTH_UNAVAILABLE');
});

test('an explicit jwksUrl needs no metadata', async () => {
  const noMetadata: typeof fetch = async (input, init) => (String(input).includes('/.well-known/') ? new Response('', { status: 404 }) : fetch(input, init));
  const verifier = createJwtVerifier({ issuer: issuer.issuer, audience: AUD, jwksUrl: issuer.jwksUrl, fetch: noMetadata });
  assert.is(await reasonOf(verifier.verify(await issuer.mint({}))), 'accepted');
});

test('an nbf ahead of this server\'s clock past the tolerance: not_yet_valid, saying by how much and that the clocks disagree', async () => {
  const verifier = createJwtVerifier({ issuer: issuer.issuer, audience: AUD });
  assert.is(await reasonOf(verifier.verify(await issuer.mint({ nbf: Math.floor(Date.now() / 1000) + 20 }))), 'accepted');
  const error = await verifier.verify(await issuer.mint({ nbf: Math.floor(Date.now() / 1000) + 90 })).then(() => undefined, (e: Error & { reason?: string }) => e);
  assert.is(error?.reason, 'not_yet_valid');
  // Before: "the access token's nbf claim is invalid", in the challenge and onRejected alike.
  assert.match(error!.message, /^the access token is not valid yet: its nbf is (89|90|91) s ahead of this server's clock \(30 s allowed\); the clocks of this server and its authorization server disagree$/);
});

test.run();
