// DPoP-bound access tokens at the protected resource (RFC 9449 §4.3, §7), both eras: a bound token is
// served only with a fresh proof by its key for this very request; every failed check gets
// a DPoP challenge (invalid_dpop_proof, or invalid_token for a token sent without its proof).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dpopKey, type DpopKey } from './support/jwt-issuer.ts';
import { initialize, modernCall, parseChallenge, parseChallenges, RESOURCE, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const test = suite('protected resource: DPoP-bound tokens');
let kit: ProtectedKit;
let key: DpopKey;
let token: string;

test.before.each(async () => {
  kit = await startProtected();
  key = await dpopKey();
  token = await kit.issuer.mint({}, { jkt: key.jkt });
});
test.after.each(() => kit.close());

const dpop = (proof: string) => ({ authorization: `DPoP ${token}`, dpop: proof });

async function refusedWith(res: Response, error: string, reason: string): Promise<void> {
  assert.is(res.status, 401);
  const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
  assert.is(scheme, 'DPoP');
  assert.is(params.error, error);
  assert.ok(params.algs?.includes('ES256'));
  assert.is(kit.rejected.at(-1)?.reason, reason);
  assert.is(kit.handler.sessionCount, 0);
}

test('a bound token with a good proof is served, in both eras', async () => {
  const res = await kit.post(initialize(), dpop(await key.proof('POST', RESOURCE, token)));
  assert.is(res.status, 200);
  const { message, headers } = modernCall('whoami');
  assert.is((await kit.post(message, { ...headers, ...dpop(await key.proof('POST', RESOURCE, token)) })).status, 200);
});

test('a proof used twice is refused the second time (jti replay)', async () => {
  const proof = await key.proof('POST', RESOURCE, token);
  assert.is((await kit.post(initialize(), dpop(proof))).status, 200);
  const again = await kit.post(initialize(2), dpop(proof));
  assert.is(again.status, 401);
  assert.is(parseChallenge(again.headers.get('www-authenticate')).params.error, 'invalid_dpop_proof');
  assert.is(kit.rejected.at(-1)?.reason, 'dpop_replay');
  assert.is(kit.handler.sessionCount, 1);
});

test('2026: a stateless call\'s proof replayed on the next call is refused', async () => {
  const proof = await key.proof('POST', RESOURCE, token);
  const first = modernCall('whoami', 'm1');
  assert.is((await kit.post(first.message, { ...first.headers, ...dpop(proof) })).status, 200);
  const second = modernCall('whoami', 'm2');
  const res = await kit.post(second.message, { ...second.headers, ...dpop(proof) });
  assert.is(res.status, 401);
  assert.is(parseChallenge(res.headers.get('www-authenticate')).params.error, 'invalid_dpop_proof');
  assert.is(kit.rejected.at(-1)?.reason, 'dpop_replay');
});

test('a proof for another URL (htu) is refused', async () => {
  await refusedWith(await kit.post(initialize(), dpop(await key.proof('POST', 'http://127.0.0.1/elsewhere', token))), 'invalid_dpop_proof', 'dpop_invalid');
});

test('a proof for another method (htm) is refused', async () => {
  await refusedWith(await kit.post(initialize(), dpop(await key.proof('GET', RESOURCE, token))), 'invalid_dpop_proof', 'dpop_invalid');
});

test('a proof for another token (ath) is refused', async () => {
  await refusedWith(await kit.post(initialize(), dpop(await key.proof('POST', RESOURCE, token, { token: 'some-other-token' }))), 'invalid_dpop_proof', 'dpop_invalid');
});

test('a proof older or newer than 5 minutes (iat) is refused', async () => {
  // 30 s past the window: a test that crosses a second boundary (or several, on a loaded
  // machine) between reading the clock here and the server's check still tests the window.
  const now = Math.floor(Date.now() / 1000);
  await refusedWith(await kit.post(initialize(), dpop(await key.proof('POST', RESOURCE, token, { iat: now - 330 }))), 'invalid_dpop_proof', 'dpop_invalid');
  await refusedWith(await kit.post(initialize(), dpop(await key.proof('POST', RESOURCE, token, { iat: now + 330 }))), 'invalid_dpop_proof', 'dpop_invalid');
});

test('a proof signed by another key than cnf.jkt is refused', async () => {
  const other = await dpopKey();
  await refusedWith(await kit.post(initialize(), dpop(await other.proof('POST', RESOURCE, token))), 'invalid_token', 'dpop_binding');
});

test('a bound token without a proof, or sent as Bearer, is refused with a DPoP challenge', async () => {
  await refusedWith(await kit.post(initialize(), { authorization: `DPoP ${token}` }), 'invalid_token', 'dpop_missing');
  await refusedWith(await kit.post(initialize(), { authorization: `Bearer ${token}`, dpop: await key.proof('POST', RESOURCE, token) }), 'invalid_token', 'dpop_missing');
});

test('the DPoP scheme with a token that is not bound is refused', async () => {
  const plain = await kit.issuer.mint({});
  const res = await kit.post(initialize(), { authorization: `DPoP ${plain}`, dpop: await key.proof('POST', RESOURCE, plain) });
  assert.is(res.status, 401);
  assert.is(kit.rejected.at(-1)?.reason, 'dpop_binding');
});

// Session 32: the 401 of a resource that accepts DPoP named only Bearer, so a client able to
// bind its tokens never learned it could, nor with which algorithms (RFC 9449 §7.1). Now a 401
// offers both schemes, the DPoP one with `algs`; a 403 stays one challenge for the scheme used.
test('a 401 offers Bearer and DPoP (with algs), without credentials and for a bad bearer token, in both eras', async () => {
  const { message, headers } = modernCall('whoami');
  for (const [what, res] of [
    ['no credentials', await kit.post(initialize())],
    ['no credentials (2026)', await kit.post(message, headers)],
    ['a bearer token that is not a JWT', await kit.post(initialize(), { authorization: 'Bearer not-a-jwt' })],
  ] as const) {
    assert.is(res.status, 401, what);
    const challenges = parseChallenges(res.headers.get('www-authenticate'));
    assert.equal(challenges.map((c) => c.scheme), ['Bearer', 'DPoP'], what);
    const [bearer, bound] = challenges as [typeof challenges[0], typeof challenges[0]];
    assert.is(bound.params.algs, 'ES256 ES384 EdDSA PS256 RS256', what);
    assert.is(bound.params.resource_metadata, bearer.params.resource_metadata, what);
    assert.is(bound.params.error, undefined, what);
    assert.is(bearer.params.error, what.startsWith('no') ? undefined : 'invalid_token', what);
  }
});

test('a 403 (insufficient scope) names only the scheme used', async () => {
  await kit.close();
  kit = await startProtected({ requiredScopes: ['mcp:admin'] });
  const res = await kit.post(initialize(), { authorization: `Bearer ${await kit.issuer.mint({ scope: 'mcp:read' })}` });
  assert.is(res.status, 403);
  assert.equal(parseChallenges(res.headers.get('www-authenticate')).map((c) => c.scheme), ['Bearer']);
});

test('a server that requires DPoP never offers Bearer, not even to a bearer token', async () => {
  await kit.close();
  kit = await startProtected({ dpop: { required: true } });
  const plain = await kit.issuer.mint({});
  for (const res of [await kit.post(initialize()), await kit.post(initialize(), { authorization: `Bearer ${plain}` }), await kit.post(initialize(), { authorization: 'Bearer not-a-jwt' })]) {
    assert.is(res.status, 401);
    assert.equal(parseChallenges(res.headers.get('www-authenticate')).map((c) => c.scheme), ['DPoP']);
  }
});

test('a server that requires DPoP refuses plain bearer tokens and says so in its metadata', async () => {
  await kit.close();
  kit = await startProtected({ dpop: { required: true } });
  const doc = await (await kit.get('/.well-known/oauth-protected-resource/mcp')).json() as Record<string, unknown>;
  assert.is(doc.dpop_bound_access_tokens_required, true);
  const none = await kit.post(initialize());
  assert.is(parseChallenge(none.headers.get('www-authenticate')).scheme, 'DPoP');
  const plain = await kit.issuer.mint({});
  const res = await kit.post(initialize(), { authorization: `Bearer ${plain}` });
  assert.is(res.status, 401);
  assert.is(kit.rejected.at(-1)?.reason, 'dpop_binding');
});

test.run();
