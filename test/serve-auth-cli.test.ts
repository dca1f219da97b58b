// `mcpwire serve --http --auth-issuer URL --auth-audience URL --auth-scopes LIST`: the CLI
// server is a protected resource (built dist/, a loopback issuer): 401 with its challenge,
// the metadata document, a good token served, a token without the scope refused; bad flag
// combinations are usage errors (exit 2).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServe, stopped, type ServeProcess } from './serve-process.ts';
import { dpopKey, startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';
import { parseChallenge, parseChallenges } from './support/protected-kit.ts';

// A public identifier behind a proxy: the audience need not be the loopback address served.
const AUDIENCE = 'https://mcp.example/mcp';
const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const test = suite('mcpwire serve --auth-*');
let issuer: TestIssuer;
let serve: ServeProcess;

test.before(async () => {
  issuer = await startJwtIssuer(AUDIENCE);
  serve = await startServe(['--json-response', '--auth-issuer', issuer.issuer, '--auth-audience', AUDIENCE, '--auth-scopes', 'mcp:read,mcp:tools']);
});
test.after(async () => {
  await stopped(serve.child, 'SIGTERM');
  await issuer.close();
});

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const post = (headers: Record<string, string> = {}) => fetch(serve.url, {
  method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize),
});

test('no token: 401 naming the metadata document and the scopes, offering Bearer and DPoP (with its algs)', async () => {
  const res = await post();
  assert.is(res.status, 401);
  const challenges = parseChallenges(res.headers.get('www-authenticate'));
  // Session 32: only Bearer was named, though DPoP-bound tokens are accepted (RFC 9449 §7.1).
  assert.equal(challenges.map((c) => c.scheme), ['Bearer', 'DPoP']);
  for (const { params } of challenges) {
    assert.is(params.resource_metadata, 'https://mcp.example/.well-known/oauth-protected-resource/mcp');
    assert.is(params.scope, 'mcp:read mcp:tools');
  }
  assert.match(challenges[1]!.params.algs ?? '', /\bES256\b/);
});

test('the metadata document names the audience and the issuer', async () => {
  const res = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', serve.url));
  assert.is(res.status, 200);
  const doc = await res.json() as Record<string, unknown>;
  assert.is(doc.resource, AUDIENCE);
  assert.equal(doc.authorization_servers, [issuer.issuer]);
});

test('a token with the scopes is served; one without them gets 403 insufficient_scope', async () => {
  const ok = await post({ authorization: `Bearer ${await issuer.mint({ scope: 'mcp:read mcp:tools' })}` });
  assert.is(ok.status, 200);
  assert.ok(ok.headers.get('mcp-session-id'));
  const short = await post({ authorization: `Bearer ${await issuer.mint({ scope: 'mcp:read' })}` });
  assert.is(short.status, 403);
  assert.is(parseChallenge(short.headers.get('www-authenticate')).params.error, 'insufficient_scope');
});

test('DPoP (on by default, as the README says): a bound token with a proof for the audience URL is served; as a bearer, or proved for another URL, it gets a DPoP challenge', async () => {
  const key = await dpopKey();
  const token = await issuer.mint({ scope: 'mcp:read mcp:tools' }, { jkt: key.jkt });
  // Behind the proxy the client addressed the audience URL: its proof names that (RFC 9449 §4.3).
  const ok = await post({ authorization: `DPoP ${token}`, dpop: await key.proof('POST', AUDIENCE, token) });
  assert.is(ok.status, 200);
  const asBearer = await post({ authorization: `Bearer ${token}` });
  assert.is(asBearer.status, 401);
  assert.is(parseChallenge(asBearer.headers.get('www-authenticate')).scheme, 'DPoP');
  const elsewhere = await post({ authorization: `DPoP ${token}`, dpop: await key.proof('POST', 'https://mcp.example/other', token) });
  assert.is(elsewhere.status, 401);
  assert.is(parseChallenge(elsewhere.headers.get('www-authenticate')).params.error, 'invalid_dpop_proof');
});

test('--auth-issuer without --auth-audience, or with --stdio, is a usage error', () => {
  for (const args of [['--http', '--auth-issuer', 'https://as.example'], ['--stdio', '--auth-issuer', 'https://as.example', '--auth-audience', AUDIENCE], ['--http', '--auth-issuer', 'not a url', '--auth-audience', AUDIENCE]]) {
    const run = spawnSync(process.execPath, [bin, 'serve', ...args], { encoding: 'utf8', timeout: 15_000 });
    assert.is(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /--auth-|authorization/);
  }
});

test.run();
