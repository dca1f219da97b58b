// Scope hierarchies at the protected resource (2026-07-28 basic/authorization, "Step-Up
// Authorization Flow": servers MUST account for scope hierarchies, where a broader scope
// implies narrower ones). The server compared scope names only: a token with the broader
// `mcp` got 403 for a call that needs `mcp:admin`, which `mcp` implies. `impliedScopes`
// configures the hierarchy; implication is transitive and never runs upwards. Also here:
// offline_access is never published by the resource (second suite).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProtectedResource } from '../server/index.ts';
import { modernCall, parseChallenge, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const test = suite('protected resource: scope hierarchies');
let kit: ProtectedKit;

test.before.each(async () => {
  kit = await startProtected({
    requiredScopes: ['mcp:read'],
    scopesFor: (call) => (call.method === 'tools/call' && call.name === 'admin' ? ['mcp:write'] : []),
    impliedScopes: { mcp: ['mcp:read', 'mcp:admin'], 'mcp:admin': ['mcp:write'] },
  });
});
test.after.each(() => kit.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function status(scope: string, tool: string): Promise<Response> {
  const { message, headers } = modernCall(tool);
  return kit.post(message, { ...headers, ...bearer(await kit.issuer.mint({ scope })) });
}

test('a broader scope satisfies the narrower scopes it implies, transitively', async () => {
  assert.is((await status('mcp', 'whoami')).status, 200, 'mcp implies mcp:read');
  assert.is((await status('mcp', 'admin')).status, 200, 'mcp implies mcp:admin, which implies mcp:write');
  assert.is((await status('mcp:read mcp:admin', 'admin')).status, 200, 'mcp:admin implies mcp:write');
});

test('a narrower scope never implies a broader or a sibling one', async () => {
  assert.is((await status('mcp:read mcp:write', 'whoami')).status, 200, 'exact scopes still count');
  const sibling = await status('mcp:admin', 'whoami');
  assert.is(sibling.status, 403, 'mcp:admin does not imply mcp:read');
  assert.is(parseChallenge(sibling.headers.get('www-authenticate')).params.error, 'insufficient_scope');
  assert.is((await status('mcp:read', 'admin')).status, 403, 'mcp:read implies nothing');
});

test('a hierarchy that is not an object of scope lists is refused at creation', () => {
  const base = { resource: 'http://127.0.0.1:9/mcp', authorizationServers: ['http://127.0.0.1:9'], verifier: { verify: async () => { throw new Error('unused'); } } };
  for (const bad of [['mcp'], { mcp: 'mcp:read' }, { mcp: [1] }]) {
    assert.throws(() => createProtectedResource({ ...base, impliedScopes: bad as never }), (e: Error & { code?: string }) => e.code === 'MCP_ERR_VALIDATION');
  }
});

test.run();

// 2026-07-28 basic/authorization, "Token Requirements": a protected resource SHOULD NOT
// include offline_access in a challenge's scope or in scopes_supported. An operator's
// scopesSupported (or requiredScopes) holding it was published as given.
const offline = suite('protected resource: offline_access is never published');
let offlineKit: ProtectedKit;
offline.before.each(async () => {
  offlineKit = await startProtected({ requiredScopes: ['mcp:read', 'offline_access'], scopesSupported: ['mcp:read', 'offline_access', 'mcp:admin'] });
});
offline.after.each(() => offlineKit.close());

offline('not in the metadata, not in a 401 challenge, and not required of a token', async () => {
  assert.equal(offlineKit.guard.metadata.scopes_supported, ['mcp:read', 'mcp:admin']);
  const served = await offlineKit.get('/.well-known/oauth-protected-resource/mcp');
  assert.equal(((await served.json()) as { scopes_supported?: string[] }).scopes_supported, ['mcp:read', 'mcp:admin']);
  const { message, headers } = modernCall('whoami');
  const challenged = await offlineKit.post(message, headers);
  assert.is(challenged.status, 401);
  assert.is(parseChallenge(challenged.headers.get('www-authenticate')).params.scope, 'mcp:read');
  const again = modernCall('whoami', 'o2');
  const token = await offlineKit.issuer.mint({ scope: 'mcp:read' });
  assert.is((await offlineKit.post(again.message, { ...again.headers, ...bearer(token) })).status, 200, 'a token without offline_access is enough');
});

offline.run();
