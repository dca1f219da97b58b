// A hostile authorization server cannot make the OAuth client hold an endless reply: the token
// endpoint's reply goes through oauth4webapi, which read it whole (`response.json()`), so an
// endless one grew the client's memory until the request timed out. Every document and reply
// is now cut at `maxReplyBytes` (default 256 KiB), an option like the other limits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AuthError, AuthErrorCode, createOAuthClient, type OAuthClientOptions } from 'mcpwire/client';
import { startOAuthAs, type OAuthAsOptions } from './support/oauth-as.ts';
import { protectedFixtureClient } from './support/oauth-resource.ts';

const ORIGIN = 'http://127.0.0.1:3000';

/** The first AuthError in `error`'s causes. */
function authErrorIn(error: unknown): AuthError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof AuthError) return e;
  }
  return undefined;
}

/** Connect with client credentials to a protected server whose AS is `asOptions`; the error it fails with. */
async function failure(asOptions: OAuthAsOptions, authOptions: OAuthClientOptions) {
  const as = await startOAuthAs({ clients: { 'svc-1': 's3cret' }, ...asOptions });
  const { client, transport } = protectedFixtureClient(as, ORIGIN, {
    grant: { type: 'client_credentials' }, credentials: { clientId: 'svc-1', clientSecret: 's3cret' },
    // Far above what the bound needs: a failure by timeout would not name the bound.
    timeoutMs: 60_000,
    ...authOptions,
  });
  try {
    await client.connect(transport);
    await client.listTools();
    return { error: undefined, as };
  } catch (error) {
    return { error, as };
  } finally {
    await client.close();
    await as.close();
  }
}

const bound = suite('OAuth client: replies cut at maxReplyBytes');

bound('an endless token reply fails the grant at 256 KiB, naming the bound, and the connection is dropped', async () => {
  const { error, as } = await failure({ endlessTokenReply: true }, {});
  const auth = authErrorIn(error);
  assert.ok(auth, `no AuthError: ${String(error)}`);
  assert.is(auth!.code, AuthErrorCode.Token);
  assert.match(auth!.message, /over 262144 bytes \(maxReplyBytes\)/);
  // What the server got written before the client went: the bound plus socket buffers.
  assert.ok(as.endlessBytes < 16 * 1024 * 1024, `the server wrote ${as.endlessBytes} bytes of the endless reply`);
});

bound('a smaller maxReplyBytes refuses a metadata document over it', async () => {
  const { error } = await failure({}, { maxReplyBytes: 40 });
  const auth = authErrorIn(error);
  assert.ok(auth, `no AuthError: ${String(error)}`);
  assert.match(auth!.message, /is over 40 bytes \(maxReplyBytes\): refused/);
});

bound('maxReplyBytes that is not a positive integer is refused by name', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, '1' as unknown as number]) {
    assert.throws(() => createOAuthClient({ maxReplyBytes: bad }), /maxReplyBytes must be a positive integer/);
  }
});

bound.run();
