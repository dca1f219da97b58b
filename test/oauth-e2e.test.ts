// OAuth end to end on loopback (issue #16 item 3): the test authorization server, mcpwire's
// protected-resource server (createProtectedResource + createJwtVerifier fetching the AS's
// JWKS) and mcpwire's OAuth client, in both eras. The client starts with nothing: a 401 sends
// it through discovery, registration, PKCE and the code flow; the tool sees who called it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, createMemoryAuthStore, createOAuthClient } from 'mcpwire/client';
import { createJwtVerifier, createMcpHttpHandler, createProtectedResource, createServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';
import { followRedirect, startOAuthAs } from './support/oauth-as.ts';

async function protectedServer(issuer: string) {
  const ref: ExchangeServable = { exchange: () => Promise.reject(new Error('not ready')) };
  const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${listening.port}/mcp`;
  const mcp = createServer({ name: 'protected', version: '1' });
  mcp.tool({ name: 'whoami', description: 'Who calls.' }, (_args, ctx) => `${ctx.auth.subject} via ${ctx.auth.clientId}`);
  const handler = createMcpHttpHandler(mcp, {
    allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port), keepAliveMs: 0,
    protectedResource: createProtectedResource({ resource: url, authorizationServers: [issuer], verifier: createJwtVerifier({ issuer, audience: url }) }),
  });
  ref.exchange = handler.exchange;
  return { url, close: async () => { await handler.close(); await listening.close(); } };
}

const e2e = suite('OAuth end to end: test AS, protected mcpwire server, mcpwire OAuth client');

for (const era of ['legacy', 'modern'] as const) {
  e2e(`${era} era: a client with no credentials signs in (DCR, PKCE, code) and the tool sees its subject`, async () => {
    const as = await startOAuthAs();
    const server = await protectedServer(as.issuer);
    try {
      const unauthenticated = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
      assert.is(unauthenticated.status, 401);
      assert.match(unauthenticated.headers.get('www-authenticate') ?? '', /resource_metadata=/);
      const auth = createOAuthClient({ authorize: followRedirect, redirectUri: 'http://127.0.0.1:1/callback', store: createMemoryAuthStore() });
      const client = createClient({ name: 'e2e', version: '1' }, { era });
      await client.connect(createHttpClientTransport({ url: server.url, auth, openStandaloneStream: false }));
      try {
        const result = await client.callTool('whoami', {});
        assert.match((result.content[0] as { text: string }).text, /^alice via \S+/);
        assert.ok(as.events.some((e) => e.kind === 'register'), 'dynamic client registration');
        const authorize = as.events.find((e) => e.kind === 'authorize')!;
        assert.is(authorize.params.code_challenge_method, 'S256');
        assert.is(authorize.params.resource, server.url, 'RFC 8707 resource as the server publishes it');
      } finally {
        await client.close();
      }
    } finally {
      await server.close();
      await as.close();
    }
  });
}

e2e.run();
