// The protected resource's refusals (2025-11-25 and 2026-07-28 basic/authorization, RFC 6750
// §3, RFC 9728): every kind of bad token gets its challenge, naming the metadata document and
// the scopes to ask for, before any session exists; the metadata document is published.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initialize, modernCall, parseChallenge, RESOURCE, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const PRM = 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp';
const test = suite('protected resource: challenges and the metadata document');
let kit: ProtectedKit;

test.before.each(async () => {
  kit = await startProtected({ requiredScopes: ['mcp:read'], scopesSupported: ['mcp:read', 'mcp:write'] });
});
test.after.each(() => kit.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A 401 whose challenge says `error` (or none), and that opened no session. */
async function refused(res: Response, error: string | undefined, status = 401): Promise<Record<string, string>> {
  assert.is(res.status, status);
  const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
  assert.is(scheme, 'Bearer');
  assert.is(params.resource_metadata, PRM);
  assert.is(params.error, error);
  assert.is(res.headers.get('mcp-session-id'), null);
  assert.is(kit.handler.sessionCount, 0);
  return params;
}

test('the metadata document is served path-inserted and at the root, naming resource, issuer and scopes', async () => {
  for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
    const res = await kit.get(path);
    assert.is(res.status, 200, path);
    const doc = await res.json() as Record<string, unknown>;
    assert.is(doc.resource, RESOURCE);
    assert.equal(doc.authorization_servers, [kit.issuer.issuer]);
    assert.equal(doc.scopes_supported, ['mcp:read', 'mcp:write']);
    assert.equal(doc.bearer_methods_supported, ['header']);
  }
  assert.is((await kit.get('/.well-known/oauth-protected-resource/other')).status, 404);
});

test('no token: 401 with resource_metadata and scope, no error code (RFC 6750 §3.1), in both eras', async () => {
  const params = await refused(await kit.post(initialize()), undefined);
  assert.is(params.scope, 'mcp:read');
  const { message, headers } = modernCall('whoami');
  await refused(await kit.post(message, headers), undefined);
  assert.is(kit.rejected.length, 0);
});

test('a malformed Authorization header: 400 invalid_request', async () => {
  await refused(await kit.post(initialize(), { authorization: 'Bearer two tokens' }), 'invalid_request', 400);
});

test('a token that is not a JWT (no opaque verifier): 401 invalid_token', async () => {
  await refused(await kit.post(initialize(), bearer('opaque-token-value')), 'invalid_token');
  assert.is(kit.rejected[0]?.reason, 'malformed');
});

const cases: Array<[string, () => Promise<string>, string]> = [
  ['an expired token', () => kit.issuer.mint({}, { expiresIn: -120 }), 'expired'],
  ['a token for another resource (aud)', () => kit.issuer.mint({ aud: 'http://127.0.0.1/other' }), 'audience'],
  ['a token from another issuer (iss)', () => kit.issuer.mint({ iss: 'http://127.0.0.1:1/evil' }), 'issuer'],
  ['a token whose signature does not verify', () => kit.issuer.mint({}, { forgeWithKid: 'k1' }), 'signature'],
  ['a token signed by an unpublished key (unknown kid)', () => kit.issuer.mint({}, { unpublished: true }), 'unknown_key'],
  ['a token without exp', () => kit.issuer.mint({ exp: undefined }), 'malformed'],
];
for (const [what, mint, reason] of cases) {
  test(`${what}: 401 invalid_token, reason ${reason}, in both eras`, async () => {
    const token = await mint();
    const params = await refused(await kit.post(initialize(), bearer(token)), 'invalid_token');
    assert.ok(params.error_description && params.error_description.length > 0);
    const { message, headers } = modernCall('whoami');
    await refused(await kit.post(message, { ...headers, ...bearer(token) }), 'invalid_token');
    assert.equal(kit.rejected.map((e) => e.reason), [reason, reason]);
    assert.is(kit.rejected[0]!.code, 'MCP_ERR_TOKEN_REJECTED');
  });
}

test('a token without the required scope: one complete 403 insufficient_scope challenge, in both eras', async () => {
  const token = await kit.issuer.mint({ scope: 'other' });
  const res = await kit.post(initialize(), bearer(token));
  const params = await refused(res, 'insufficient_scope', 403);
  assert.is(params.scope, 'mcp:read');
  assert.is(res.headers.get('www-authenticate')!.match(/Bearer/g)!.length, 1);
  const { message, headers } = modernCall('whoami');
  assert.is((await refused(await kit.post(message, { ...headers, ...bearer(token) }), 'insufficient_scope', 403)).scope, 'mcp:read');
});

test('a good token opens a session (2025) and is served (2026)', async () => {
  const token = await kit.issuer.mint({});
  const res = await kit.post(initialize(), bearer(token));
  assert.is(res.status, 200);
  assert.ok(res.headers.get('mcp-session-id'));
  const { message, headers } = modernCall('whoami');
  assert.is((await kit.post(message, { ...headers, ...bearer(token) })).status, 200);
});

test('a key rotated in after the JWKS was cached is fetched on first sight of its kid', async () => {
  assert.is((await kit.post(initialize(), bearer(await kit.issuer.mint({})))).status, 200);
  const before = kit.issuer.jwksFetches;
  await kit.issuer.rotate();
  assert.is((await kit.post(initialize(2), bearer(await kit.issuer.mint({})))).status, 200);
  assert.is(kit.issuer.jwksFetches, before + 1);
});

test('the issuer unreachable: 503, reported, not a challenge that would send the client to sign in', async () => {
  kit.issuer.setDown(true);
  const res = await kit.post(initialize(), bearer(await kit.issuer.mint({})));
  assert.is(res.status, 503);
  assert.is(res.headers.get('www-authenticate'), null);
  assert.is(kit.errors[0]?.name, 'AuthUnavailableError');
  kit.issuer.setDown(false);
  assert.is((await kit.post(initialize(), bearer(await kit.issuer.mint({})))).status, 200, 'discovery is tried again');
});

test.run();
