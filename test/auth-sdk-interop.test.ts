// Interop with the official SDK (1.x) client: it reads our 401 challenge and finds our
// protected resource metadata with its own discovery functions, and with a bearer token it
// connects and calls a tool that sees the principal (loopback, both on 127.0.0.1:0).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { listen, type ExchangeServable, type ListeningServer } from '../transport/index.ts';
import { createServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { createJwtVerifier } from '../server/auth/jwt-verifier.ts';
import { createProtectedResource } from '../server/auth/protected-resource.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';

const test = suite('protected resource: the official SDK client');
let issuer: TestIssuer;
let listening: ListeningServer;
let handler: McpHttpHandler;
let url: string;

test.before(async () => {
  const ref: ExchangeServable = { exchange: async () => ({ status: 503, headers: {} }) };
  listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${listening.port}/mcp`;
  issuer = await startJwtIssuer(url);
  const server = createServer({ name: 'protected', version: '1.0.0' });
  server.tool({ name: 'whoami', description: 'Who calls.' }, (_a, ctx) => `${ctx.auth.subject} with ${ctx.auth.scopes?.join(' ')}`);
  const guard = createProtectedResource({
    resource: url, authorizationServers: [issuer.issuer], requiredScopes: ['mcp:read'],
    verifier: createJwtVerifier({ issuer: issuer.issuer, audience: url }),
  });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${listening.port}`], protectedResource: guard });
  ref.exchange = handler.exchange;
});
test.after(async () => {
  await handler.close();
  await listening.close();
  await issuer.close();
});

test('the SDK reads our challenge and our metadata document', async () => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  assert.is(res.status, 401);
  const params = extractWWWAuthenticateParams(res);
  assert.is(params.resourceMetadataUrl?.href, `http://127.0.0.1:${listening.port}/.well-known/oauth-protected-resource/mcp`);
  assert.is(params.scope, 'mcp:read');
  const metadata = await discoverOAuthProtectedResourceMetadata(url, { resourceMetadataUrl: params.resourceMetadataUrl! });
  assert.is(metadata.resource, url);
  assert.equal(metadata.authorization_servers, [issuer.issuer]);
  const byPath = await discoverOAuthProtectedResourceMetadata(url);
  assert.is(byPath.resource, url);
});

test('with a bearer token the SDK client connects and the tool sees the principal', async () => {
  const token = await issuer.mint({ sub: 'sdk-user', scope: 'mcp:read' });
  const client = new SdkClient({ name: 'sdk', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try {
    const result = await client.callTool({ name: 'whoami', arguments: {} }, CallToolResultSchema);
    assert.equal(result.content, [{ type: 'text', text: 'sdk-user with mcp:read' }]);
  } finally {
    await client.close();
  }
});

test.run();
