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
  return authorizationCodeFlow(ctx, options, undefined).then(
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
