// The authorization surface: a server that answers 401 is checked for its Bearer challenge
// and its protected resource metadata (RFC 9728); without --token the run stops there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listen } from 'mcpwire/transport';
import { createJwtVerifier, createMcpHttpHandler, createProtectedResource, createServer, type McpHttpHandler } from 'mcpwire/server';
import { runCheck } from './runner.ts';
import { foreignResource } from './auth.ts';

const auth = suite('check: authorization surface');

interface Shape { challenge: (origin: string) => string | undefined; prm: ((origin: string) => Record<string, unknown>) | undefined }

async function outcomes(shape: Shape): Promise<Record<string, string>> {
  let origin = '';
  const http = await listen(async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/.well-known/oauth-protected-resource')) {
      return shape.prm ? Response.json(shape.prm(origin)) : new Response(null, { status: 404 });
    }
    const challenge = shape.challenge(origin);
    return new Response(null, { status: 401, headers: challenge ? { 'www-authenticate': challenge } : {} });
  }, { port: 0 });
  origin = `http://127.0.0.1:${http.port}`;
  try {
    const report = await runCheck({ target: { kind: 'http', url: `${origin}/mcp`, headers: {} }, timeoutMs: 3_000 });
    return Object.fromEntries(report.findings.map((f) => [f.id, f.outcome]));
  } finally {
    await http.close();
  }
}

const goodPrm = (origin: string) => ({ resource: `${origin}/mcp`, authorization_servers: ['https://as.example'] });

auth('a Bearer challenge naming its metadata, and metadata with authorization servers: both pass, nothing else runs', async () => {
  const got = await outcomes({ challenge: (o) => `Bearer resource_metadata="${o}/.well-known/oauth-protected-resource/mcp"`, prm: goodPrm });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'pass', 'auth.prm-resource': 'pass', 'auth.query-token': 'skip' });
});

auth('a 401 without WWW-Authenticate fails auth.challenge (the well-known metadata still passes)', async () => {
  const got = await outcomes({ challenge: () => undefined, prm: goodPrm });
  assert.equal(got, { 'auth.challenge': 'fail', 'auth.prm': 'pass', 'auth.prm-resource': 'pass', 'auth.query-token': 'skip' });
});

auth('metadata without authorization_servers fails auth.prm', async () => {
  const got = await outcomes({ challenge: () => 'Bearer', prm: (o) => ({ resource: `${o}/mcp` }) });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'fail', 'auth.prm-resource': 'pass', 'auth.query-token': 'skip' });
});

auth('no metadata anywhere fails auth.prm', async () => {
  const got = await outcomes({ challenge: () => 'Bearer realm="mcp"', prm: undefined });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'fail', 'auth.prm-resource': 'skip', 'auth.query-token': 'skip' });
});

auth('a gateway that passes on the upstream server\'s metadata (another origin as resource) fails auth.prm-resource alone', async () => {
  const got = await outcomes({ challenge: (o) => `Bearer resource_metadata="${o}/.well-known/oauth-protected-resource/mcp"`, prm: () => ({ resource: 'https://upstream.example/mcp', authorization_servers: ['https://as.example'] }) });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'pass', 'auth.prm-resource': 'fail', 'auth.query-token': 'skip' });
});

auth('mcpwire\'s own protected server passes the challenge and both metadata rules (no token: nothing else runs)', async () => {
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => handler!.handle(request), { port: 0 });
  const url = `http://127.0.0.1:${http.port}/mcp`;
  const guard = createProtectedResource({ resource: url, authorizationServers: ['https://as.example'], verifier: createJwtVerifier({ issuer: 'https://as.example', audience: url }) });
  handler = createMcpHttpHandler(createServer({ name: 'protected', version: '1.0.0' }), { allowedHosts: [`127.0.0.1:${http.port}`], protectedResource: guard });
  try {
    const report = await runCheck({ target: { kind: 'http', url, headers: {} }, timeoutMs: 3_000 });
    assert.equal(Object.fromEntries(report.findings.map((f) => [f.id, f.outcome])), { 'auth.challenge': 'pass', 'auth.prm': 'pass', 'auth.prm-resource': 'pass', 'auth.query-token': 'skip' });
  } finally {
    await handler.close();
    await http.close();
  }
});

auth('foreignResource: the endpoint, its origin or a parent path name the server; another origin, path or a non-URI do not', () => {
  const endpoint = 'http://127.0.0.1:8080/server/mcp';
  for (const ok of ['http://127.0.0.1:8080/server/mcp', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080/', 'HTTP://127.0.0.1:8080/server', 'http://127.0.0.1:8080/server/mcp/']) {
    assert.is(foreignResource(ok, endpoint), undefined, ok);
  }
  for (const bad of ['http://127.0.0.1:9090/server/mcp', 'https://127.0.0.1:8080/server/mcp', 'http://127.0.0.1:8080/serv', 'http://127.0.0.1:8080/other/mcp', 'mcp.example.com']) {
    assert.type(foreignResource(bad, endpoint), 'string', bad);
  }
});

auth.run();
