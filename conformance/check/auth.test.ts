// The authorization surface: a server that answers 401 is checked for its Bearer challenge
// and its protected resource metadata (RFC 9728); without --token the run stops there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listen } from 'mcpwire/transport';
import { runCheck } from './runner.ts';

const auth = suite('check: authorization surface');

interface Shape { challenge: (origin: string) => string | undefined; prm: Record<string, unknown> | undefined }

async function outcomes(shape: Shape): Promise<Record<string, string>> {
  let origin = '';
  const http = await listen(async (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/.well-known/oauth-protected-resource')) {
      return shape.prm ? Response.json(shape.prm) : new Response(null, { status: 404 });
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

const goodPrm = { resource: 'http://127.0.0.1/mcp', authorization_servers: ['https://as.example'] };

auth('a Bearer challenge naming its metadata, and metadata with authorization servers: both pass, nothing else runs', async () => {
  const got = await outcomes({ challenge: (o) => `Bearer resource_metadata="${o}/.well-known/oauth-protected-resource/mcp"`, prm: goodPrm });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'pass' });
});

auth('a 401 without WWW-Authenticate fails auth.challenge (the well-known metadata still passes)', async () => {
  const got = await outcomes({ challenge: () => undefined, prm: goodPrm });
  assert.equal(got, { 'auth.challenge': 'fail', 'auth.prm': 'pass' });
});

auth('metadata without authorization_servers fails auth.prm', async () => {
  const got = await outcomes({ challenge: () => 'Bearer', prm: { resource: 'http://127.0.0.1/mcp' } });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'fail' });
});

auth('no metadata anywhere fails auth.prm', async () => {
  const got = await outcomes({ challenge: () => 'Bearer realm="mcp"', prm: undefined });
  assert.equal(got, { 'auth.challenge': 'pass', 'auth.prm': 'fail' });
});

auth.run();
