// Discovery as 2025-11-25 basic/authorization orders it: protected resource metadata from the
// challenge, else path-inserted then root; authorization server metadata RFC 8414
// path-inserted, OIDC path-inserted, OIDC appended; exact issuer; a foreign resource refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { discoverAuthorizationServer, discoverResource, type AuthFetch } from './discovery.ts';
import { AuthError } from './errors.ts';
import { oauthChallenge, parseChallenges } from './challenge.ts';

/** A fetch answering `docs` by URL (404 otherwise), recording every URL asked. */
function fakeFetch(docs: Record<string, unknown>): { fetch: AuthFetch; asked: string[] } {
  const asked: string[] = [];
  const fetch: AuthFetch = async (url) => {
    asked.push(url);
    const doc = docs[url];
    return doc === undefined ? new Response('no', { status: 404 }) : new Response(JSON.stringify(doc), { status: 200 });
  };
  return { fetch, asked };
}

const prm = suite('protected resource metadata');

prm('an endless metadata document is read no further than the 256 KiB bound', async () => {
  let pulled = 0;
  const endless = (): Response => new Response(new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= 64 * 1024 * 1024) { controller.close(); return; } // bounded even on a reader that reads all
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
    },
  }), { status: 200 });
  try {
    await discoverResource(async () => endless(), 'http://127.0.0.1:9/mcp', 'http://127.0.0.1:9/meta', 1000);
    assert.unreachable('an oversize document was taken');
  } catch (error) {
    assert.instance(error, AuthError);
  }
  assert.ok(pulled <= 512 * 1024, `read ${pulled} bytes of an endless document`);
});

prm('without resource_metadata: path-inserted first, then root', async () => {
  const { fetch, asked } = fakeFetch({
    'http://127.0.0.1:9/.well-known/oauth-protected-resource': { resource: 'http://127.0.0.1:9', authorization_servers: ['http://as.test'] },
  });
  const found = await discoverResource(fetch, 'http://127.0.0.1:9/api/mcp', undefined, 1000);
  assert.equal(asked, ['http://127.0.0.1:9/.well-known/oauth-protected-resource/api/mcp', 'http://127.0.0.1:9/.well-known/oauth-protected-resource']);
  // RFC 8707: kept as published, no trailing slash added.
  assert.is(found.resource, 'http://127.0.0.1:9');
});

prm('the challenge\'s resource_metadata is the only URL tried', async () => {
  const { fetch, asked } = fakeFetch({ 'http://127.0.0.1:9/meta': { resource: 'http://127.0.0.1:9/mcp', authorization_servers: ['http://as.test'] } });
  await discoverResource(fetch, 'http://127.0.0.1:9/mcp', 'http://127.0.0.1:9/meta', 1000);
  assert.equal(asked, ['http://127.0.0.1:9/meta']);
});

prm('a resource of another origin, or another path, is refused', async () => {
  for (const resource of ['https://evil.example.com/mcp', 'http://127.0.0.1:9/other']) {
    const { fetch } = fakeFetch({ 'http://127.0.0.1:9/meta': { resource, authorization_servers: ['http://as.test'] } });
    const error = await discoverResource(fetch, 'http://127.0.0.1:9/mcp', 'http://127.0.0.1:9/meta', 1000).catch((e: unknown) => e);
    assert.instance(error, AuthError);
    assert.is((error as AuthError).code, 'MCP_ERR_AUTH_RESOURCE');
  }
});

prm('no metadata at either well-known URL (404): a 2025-03-26 server, its origin stands in as authorization server', async () => {
  const { fetch, asked } = fakeFetch({});
  const found = await discoverResource(fetch, 'http://127.0.0.1:9/api/mcp#x', undefined, 1000);
  assert.equal(asked, ['http://127.0.0.1:9/.well-known/oauth-protected-resource/api/mcp', 'http://127.0.0.1:9/.well-known/oauth-protected-resource']);
  // 2025-03-26 basic/authorization 2.3.2: the authorization base URL is the server's URL without its path.
  assert.equal(found, { resource: 'http://127.0.0.1:9/api/mcp', authorization_servers: ['http://127.0.0.1:9'], legacy: true });
});

prm('a well-known URL that fails (not a 404): MCP_ERR_AUTH_DISCOVERY naming what was tried, no 2025-03-26 stand-in', async () => {
  const fetch: AuthFetch = async (url) => new Response('down', { status: url.endsWith('/mcp') ? 404 : 503 });
  const error = await discoverResource(fetch, 'http://127.0.0.1:9/mcp', undefined, 1000).catch((e: unknown) => e) as AuthError;
  assert.is(error.code, 'MCP_ERR_AUTH_DISCOVERY');
  assert.match(error.message, 'oauth-protected-resource/mcp (404)');
  assert.match(error.message, 'oauth-protected-resource (503)');
});

prm('the challenge names resource_metadata on another host that cannot be reached: said as that, not as the MCP server down', async () => {
  const fetch: AuthFetch = async (url) => {
    if (url.startsWith('http://127.0.0.1:9/')) return new Response('no', { status: 404 });
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND other.example'), { code: 'ENOTFOUND' }) });
  };
  const error = await discoverResource(fetch, 'http://127.0.0.1:9/mcp', 'http://other.example/.well-known/oauth-protected-resource/mcp', 1000).catch((e: unknown) => e);
  // Before: the transport's TypeError "fetch failed", which the host said as "cannot reach demo (unknown host)".
  assert.instance(error, AuthError);
  assert.is((error as AuthError).code, 'MCP_ERR_AUTH_DISCOVERY');
  assert.is((error as AuthError).message, 'cannot fetch the protected resource metadata at http://other.example/.well-known/oauth-protected-resource/mcp, which the challenge of http://127.0.0.1:9/mcp names (ENOTFOUND): that server names another host than its own (its resource or audience may be set wrong)');
});

prm('the challenge names resource_metadata that is not there: an error, not a 2025-03-26 server', async () => {
  const { fetch } = fakeFetch({});
  const error = await discoverResource(fetch, 'http://127.0.0.1:9/mcp', 'http://127.0.0.1:9/meta', 1000).catch((e: unknown) => e) as AuthError;
  assert.is(error.code, 'MCP_ERR_AUTH_DISCOVERY');
  assert.match(error.message, 'http://127.0.0.1:9/meta (404)');
});

prm.run();

const asMeta = suite('authorization server metadata');

asMeta('an issuer with a path: RFC 8414 inserted, OIDC inserted, OIDC appended, in that order', async () => {
  const issuer = 'http://127.0.0.1:9/tenant1';
  const { fetch, asked } = fakeFetch({ 'http://127.0.0.1:9/tenant1/.well-known/openid-configuration': { issuer } });
  const found = await discoverAuthorizationServer(fetch, issuer, 1000);
  assert.is(found.issuer, issuer);
  assert.equal(asked, [
    'http://127.0.0.1:9/.well-known/oauth-authorization-server/tenant1',
    'http://127.0.0.1:9/.well-known/openid-configuration/tenant1',
    'http://127.0.0.1:9/tenant1/.well-known/openid-configuration',
  ]);
});

asMeta('an issuer that differs by as little as a trailing slash is refused', async () => {
  for (const printed of ['https://attacker.example.com', 'http://127.0.0.1:9/']) {
    const { fetch } = fakeFetch({ 'http://127.0.0.1:9/.well-known/oauth-authorization-server': { issuer: printed } });
    const error = await discoverAuthorizationServer(fetch, 'http://127.0.0.1:9', 1000).catch((e: unknown) => e) as AuthError;
    assert.is(error.code, 'MCP_ERR_AUTH_METADATA', printed);
  }
});

asMeta('a 2025-03-26 server without metadata: the default endpoints under its origin', async () => {
  const { fetch, asked } = fakeFetch({});
  const as = await discoverAuthorizationServer(fetch, 'http://127.0.0.1:9', 1000, true);
  assert.equal(asked, ['http://127.0.0.1:9/.well-known/oauth-authorization-server', 'http://127.0.0.1:9/.well-known/openid-configuration']);
  // 2025-03-26 basic/authorization 2.3.3: /authorize, /token, /register.
  assert.equal(as, {
    issuer: 'http://127.0.0.1:9', authorization_endpoint: 'http://127.0.0.1:9/authorize',
    token_endpoint: 'http://127.0.0.1:9/token', registration_endpoint: 'http://127.0.0.1:9/register',
  });
});

asMeta('a 2025-03-26 server with metadata at its origin uses it; one whose metadata fails is an error', async () => {
  const doc = { issuer: 'http://127.0.0.1:9', authorization_endpoint: 'http://127.0.0.1:9/oauth/authorize', token_endpoint: 'http://127.0.0.1:9/oauth/token' };
  const { fetch } = fakeFetch({ 'http://127.0.0.1:9/.well-known/oauth-authorization-server': doc });
  assert.equal(await discoverAuthorizationServer(fetch, 'http://127.0.0.1:9', 1000, true), doc);
  // Its issuer may sit under a path of the same origin (suite 0.1.16's mock); another origin is refused.
  const prefixed = { ...doc, issuer: 'http://127.0.0.1:9/oauth' };
  const under = fakeFetch({ 'http://127.0.0.1:9/.well-known/oauth-authorization-server': prefixed });
  assert.equal(await discoverAuthorizationServer(under.fetch, 'http://127.0.0.1:9', 1000, true), prefixed);
  const strict = await discoverAuthorizationServer(under.fetch, 'http://127.0.0.1:9', 1000).catch((e: unknown) => e) as AuthError;
  assert.is(strict.code, 'MCP_ERR_AUTH_METADATA', 'not a 2025-03-26 server: the issuer must match exactly');
  const foreign = fakeFetch({ 'http://127.0.0.1:9/.well-known/oauth-authorization-server': { ...doc, issuer: 'http://127.0.0.2:9' } });
  const refused = await discoverAuthorizationServer(foreign.fetch, 'http://127.0.0.1:9', 1000, true).catch((e: unknown) => e) as AuthError;
  assert.is(refused.code, 'MCP_ERR_AUTH_METADATA');
  const failing: AuthFetch = async () => new Response('down', { status: 500 });
  const error = await discoverAuthorizationServer(failing, 'http://127.0.0.1:9', 1000, true).catch((e: unknown) => e) as AuthError;
  assert.is(error.code, 'MCP_ERR_AUTH_METADATA');
});

asMeta('without metadata and not a 2025-03-26 server: MCP_ERR_AUTH_METADATA, no default endpoints', async () => {
  const { fetch } = fakeFetch({});
  const error = await discoverAuthorizationServer(fetch, 'http://127.0.0.1:9', 1000).catch((e: unknown) => e) as AuthError;
  assert.is(error.code, 'MCP_ERR_AUTH_METADATA');
});

asMeta.run();

const challenges = suite('WWW-Authenticate');

challenges('several challenges, quoted values with escapes and commas', () => {
  const parsed = parseChallenges('Basic realm="x", Bearer error="insufficient_scope", scope="a b", resource_metadata="http://h/m?x=1,2", DPoP algs="ES256"');
  assert.equal(parsed.map((c) => c.scheme), ['basic', 'bearer', 'dpop']);
  assert.equal(parsed[1]!.params, { error: 'insufficient_scope', scope: 'a b', resource_metadata: 'http://h/m?x=1,2' });
  assert.is(oauthChallenge('Basic realm="x", Bearer scope="s"')?.params.scope, 's');
  assert.equal(parseChallenges('Bearer realm="a\\"b"')[0]!.params.realm, 'a"b');
  assert.equal(parseChallenges(undefined), []);
});

challenges.run();
