// The authorization code flow's PKCE rule by era: a 2025-11-25 authorization server that does
// not advertise S256 is refused before the user is sent anywhere; a 2025-03-26 server (no
// protected resource metadata, discovery.ts) had no duty to advertise it, so only a list
// without S256 refuses it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type * as oauth from 'oauth4webapi';
import { authorizationCodeFlow } from './authorize.ts';
import { AuthError } from './errors.ts';
import type { TokenContext } from './token.ts';

const ISSUER = 'http://127.0.0.1:9';

/** A context whose authorization server says `methods`; the user's step is recorded, then refused. */
function attempt(methods: string[] | undefined, legacy: boolean): Promise<{ error: AuthError; sentTo: URL | undefined }> {
  const as: oauth.AuthorizationServer = {
    issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`,
    ...(methods ? { code_challenge_methods_supported: methods } : {}),
  };
  const ctx = { as, identity: { client: { client_id: 'c1' } }, resource: `${ISSUER}/mcp`, dpop: undefined, ...(legacy ? { legacy } : {}) } as unknown as TokenContext;
  let sentTo: URL | undefined;
  const options = { redirectUri: 'http://127.0.0.1:9/cb', authorize: async ({ url }: { url: URL }) => { sentTo = url; return 'not a url'; } };
  return authorizationCodeFlow(ctx, options, undefined, options.redirectUri).then(
    () => { throw new Error('the flow completed'); },
    (error: unknown) => ({ error: error as AuthError, sentTo }),
  );
}

const pkce = suite('authorization code flow: PKCE by era');

pkce('2025-11-25: no code_challenge_methods_supported is refused before the user is sent anywhere', async () => {
  const { error, sentTo } = await attempt(undefined, false);
  assert.is(error.code, 'MCP_ERR_AUTH_PKCE');
  assert.is(sentTo, undefined);
});

pkce('2025-03-26 server: no list, the flow goes on with S256', async () => {
  const { error, sentTo } = await attempt(undefined, true);
  assert.is(error.code, 'MCP_ERR_AUTH_RESPONSE', error.message); // the fake user's answer, after the step
  assert.is(sentTo?.searchParams.get('code_challenge_method'), 'S256');
  assert.is(sentTo?.origin + sentTo!.pathname, `${ISSUER}/authorize`);
});

pkce('a list without S256 is refused in either era', async () => {
  for (const legacy of [false, true]) {
    const { error, sentTo } = await attempt(['plain'], legacy);
    assert.is(error.code, 'MCP_ERR_AUTH_PKCE');
    assert.is(sentTo, undefined);
  }
});

pkce.run();

// 2026-07-28 basic/authorization/security-considerations, "Communication Security": authorization
// server endpoints MUST be HTTPS and redirect URIs localhost or HTTPS. The user's browser was
// sent to a plain-http authorization_endpoint on another host, and with a plain-http redirect.
const transport = suite('authorization code flow: https or loopback only');

function sendTo(authorizationEndpoint: string, redirectUri: string, allowInsecureHttp?: boolean) {
  const as: oauth.AuthorizationServer = {
    issuer: 'https://as.example', authorization_endpoint: authorizationEndpoint, token_endpoint: 'https://as.example/token',
    code_challenge_methods_supported: ['S256'],
  };
  const ctx = { as, identity: { client: { client_id: 'c1' } }, resource: 'https://mcp.example/mcp', dpop: undefined } as unknown as TokenContext;
  let sentTo: URL | undefined;
  const options = { redirectUri, ...(allowInsecureHttp ? { allowInsecureHttp } : {}), authorize: async ({ url }: { url: URL }) => { sentTo = url; return 'not a url'; } };
  return authorizationCodeFlow(ctx, options, undefined, options.redirectUri).then(
    () => { throw new Error('the flow completed'); },
    (error: unknown) => ({ error: error as AuthError, sentTo }),
  );
}

transport('a plain-http authorization_endpoint on another host is refused before the user is sent', async () => {
  const { error, sentTo } = await sendTo('http://as.example/authorize', 'http://127.0.0.1:9/cb');
  assert.is(error.code, 'MCP_ERR_AUTH_METADATA');
  assert.is(sentTo, undefined);
});

transport('a plain-http redirect URI on another host is refused before the user is sent', async () => {
  const { error, sentTo } = await sendTo('https://as.example/authorize', 'http://app.example/cb');
  assert.is(error.code, 'MCP_ERR_AUTH_INTERACTION');
  assert.is(sentTo, undefined);
});

transport('https, loopback http and a private-use scheme go on; allowInsecureHttp lets plain http through', async () => {
  for (const [endpoint, redirect, insecure] of [
    ['https://as.example/authorize', 'https://app.example/cb', undefined],
    ['http://127.0.0.1:9/authorize', 'http://localhost:9/cb', undefined],
    ['https://as.example/authorize', 'com.example.app:/cb', undefined],
    ['http://as.example/authorize', 'http://app.example/cb', true],
  ] as const) {
    const { error, sentTo } = await sendTo(endpoint, redirect, insecure);
    assert.is(error.code, 'MCP_ERR_AUTH_RESPONSE', `${endpoint} ${redirect}: ${error.message}`); // the fake user's answer
    assert.ok(sentTo);
  }
});

transport.run();
