// The OAuth client's grants without a user, against the test authorization server on
// loopback: client credentials with client_secret_basic, and DPoP-bound tokens where both the
// authorization server and the resource require a nonce (RFC 9449 §8, §9).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { OAuthClientOptions } from 'mcpwire/client';
import { startOAuthAs, type OAuthAsOptions } from './support/oauth-as.ts';
import { protectedFixtureClient } from './support/oauth-resource.ts';

const ORIGIN = 'http://127.0.0.1:3000';

async function run(asOptions: OAuthAsOptions, authOptions: OAuthClientOptions, dpopNonce?: string) {
  const as = await startOAuthAs(asOptions);
  const { client, transport, auth, resource } = protectedFixtureClient(as, ORIGIN, authOptions, dpopNonce);
  try {
    await client.connect(transport);
    await client.listTools();
    await client.close();
    return { events: as.events, log: resource.log, signedIn: auth.signedIn };
  } finally {
    await client.close();
    await as.close();
  }
}

const grants = suite('grants without a user');

grants('client_credentials with client_secret_basic gets a token for the resource', async () => {
  const { events, log, signedIn } = await run(
    { clients: { 'svc-1': 's3cret' } },
    { grant: { type: 'client_credentials' }, credentials: { clientId: 'svc-1', clientSecret: 's3cret' } },
  );
  const token = events.find((e) => e.kind === 'token')!;
  assert.is(token.params.grant_type, 'client_credentials');
  assert.is(token.params.resource, `${ORIGIN}/mcp`);
  assert.is(token.authorization, `Basic ${Buffer.from('svc-1:s3cret').toString('base64')}`);
  assert.is(events.filter((e) => e.kind === 'authorize' || e.kind === 'register').length, 0);
  assert.ok(log.includes('ok tools/list svc-1'), log.join('\n'));
  assert.is(signedIn?.resource, `${ORIGIN}/mcp`);
});

grants('DPoP: a nonce demanded at the token endpoint and at the resource is taken and the request retried', async () => {
  const { events, log } = await run(
    { clients: { 'svc-1': 's3cret' }, dpopNonce: true },
    { grant: { type: 'client_credentials' }, credentials: { clientId: 'svc-1', clientSecret: 's3cret' }, dpop: true },
    'resource-nonce-1',
  );
  // One token request refused for the nonce, one accepted.
  assert.is(events.filter((e) => e.kind === 'token').length, 2);
  assert.ok(log.some((l) => l.startsWith('401') && l.includes('use_dpop_nonce')), log.join('\n'));
  assert.ok(log.includes('ok tools/list svc-1'), log.join('\n'));
});

grants.run();
