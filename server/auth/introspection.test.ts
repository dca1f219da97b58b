// Opaque tokens through RFC 7662 introspection (a loopback endpoint): active tokens for this
// resource pass with their scopes and binding; inactive, expired and foreign ones are
// refused; an endpoint that fails makes the token uncheckable (AuthUnavailableError).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIntrospectionVerifier } from './introspection.ts';
import type { TokenVerifier } from './types.ts';

const RESOURCE = 'http://127.0.0.1/mcp';
const answers: Record<string, Record<string, unknown>> = {
  good: { active: true, sub: 'alice', scope: 'mcp:read', aud: RESOURCE, client_id: 'c1', exp: 4_000_000_000, cnf: { jkt: 'thumb' } },
  off: { active: false },
  old: { active: true, sub: 'alice', exp: 1 },
  foreign: { active: true, sub: 'alice', aud: 'http://127.0.0.1/other', exp: 4_000_000_000 },
};

const test = suite('introspection verifier');
let server: Server;
let verifier: TokenVerifier;
let seenAuth: string | undefined;

test.before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seenAuth = req.headers.authorization;
      const token = new URLSearchParams(body).get('token') ?? '';
      if (token === 'boom') { res.writeHead(500).end(); return; }
      if (token === 'endless') {
        // A hostile endpoint: a JSON body that never ends (read whole, it held memory until the timeout).
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = `[${'1,'.repeat(32 * 1024)}`;
        const more = () => { while (!res.destroyed && res.write(chunk)); };
        res.on('drain', more);
        more();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers[token] ?? { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
  verifier = createIntrospectionVerifier({ endpoint, clientId: 'rs', clientSecret: 's3cret', audience: RESOURCE });
});
test.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

test('an active token for this resource: principal, scopes and binding', async () => {
  const verified = await verifier.verify('good');
  assert.is(verified.auth.subject, 'alice');
  assert.is(verified.auth.clientId, 'c1');
  assert.equal(verified.auth.scopes, ['mcp:read']);
  assert.is(verified.jkt, 'thumb');
  assert.is(seenAuth, `Basic ${btoa('rs:s3cret')}`);
});

for (const [token, reason] of [['off', 'inactive'], ['old', 'expired'], ['foreign', 'audience']] as const) {
  test(`${token}: refused (${reason})`, async () => {
    const error = await verifier.verify(token).then(() => undefined, (e: unknown) => e as { name: string; reason: string });
    assert.is(error?.name, 'TokenRejectedError');
    assert.is(error?.reason, reason);
  });
}

test('an endpoint that fails: AuthUnavailableError, not a rejection', async () => {
  const error = await verifier.verify('boom').then(() => undefined, (e: unknown) => e as { code: string });
  assert.is(error?.code, 'MCP_ERR_AUTH_UNAVAILABLE');
});

test('an endless answer is read to its bound, then the token is uncheckable (not held until the timeout)', async () => {
  const error = await verifier.verify('endless').then(() => undefined, (e: Error) => e);
  assert.ok(error, 'an endless answer was accepted');
  assert.match(error!.message, /not a JSON object of at most 262144 bytes \(maxReplyBytes\)/);
});

test('maxReplyBytes bounds the answer: a good answer over it is uncheckable, not taken', async () => {
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
  const small = createIntrospectionVerifier({ endpoint, clientId: 'rs', clientSecret: 's3cret', audience: RESOURCE, maxReplyBytes: 64 });
  const error = await small.verify('good').then(() => undefined, (e: Error & { code?: string }) => e);
  assert.is(error?.code, 'MCP_ERR_AUTH_UNAVAILABLE');
  assert.match(error!.message, /at most 64 bytes \(maxReplyBytes\)/);
  assert.is((await verifier.verify('good')).auth.clientId, 'c1');
});

test.run();
