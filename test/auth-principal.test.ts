// The principal reaches handlers, and only its owner uses a 2025 session (2025-11-25
// basic/security_best_practices: session hijacking; token passthrough). `ctx.auth` carries
// subject, issuer, client and scopes to tools, resources and prompts in both eras, never the
// token. A session opened by one principal answers another's requests with 404, the answer
// to an unknown id: the id reveals nothing and that client starts a session of its own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope } from './modern-kit.ts';
import { firstText, initialize, modernCall, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const test = suite('protected resource: the principal on ctx.auth and bound sessions');
let kit: ProtectedKit;

test.before.each(async () => { kit = await startProtected(); });
test.after.each(() => kit.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Open a 2025 session as `token`'s principal; returns the headers of its later requests. */
async function openSession(token: string): Promise<Record<string, string>> {
  const res = await kit.post(initialize(), bearer(token));
  assert.is(res.status, 200);
  const session = { ...bearer(token), 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await kit.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status, 202);
  return session;
}

const call = (id: number, method: string, params: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method, params });
const LEGACY_CALLS: Array<[string, Record<string, unknown>]> = [['tools/call', { name: 'whoami', arguments: {} }], ['resources/read', { uri: 'test://me' }], ['prompts/get', { name: 'me' }]];

test('2025: tools, resources and prompts see the principal, without the token', async () => {
  const token = await kit.issuer.mint({ sub: 'alice', scope: 'mcp:read mcp:write' });
  const session = await openSession(token);
  for (const [i, [method, params]] of LEGACY_CALLS.entries()) {
    const text = await firstText(await kit.post(call(10 + i, method, params), session));
    const auth = JSON.parse(text) as Record<string, unknown>;
    assert.is(auth.subject, 'alice', method);
    assert.is(auth.issuer, kit.issuer.issuer);
    assert.is(auth.clientId, 'test-client');
    assert.equal(auth.scopes, ['mcp:read', 'mcp:write']);
    assert.not.ok(text.includes(token), `${method}: the token is not passed to handlers`);
  }
});

test('2026: tools, resources and prompts see the principal of each request', async () => {
  const token = await kit.issuer.mint({ sub: 'bob' });
  const requests: Array<[string, string, Record<string, unknown>]> = [['tools/call', 'whoami', { name: 'whoami', arguments: {} }], ['resources/read', 'test://me', { uri: 'test://me' }], ['prompts/get', 'me', { name: 'me' }]];
  for (const [method, name, params] of requests) {
    const headers = { ...bearer(token), 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, 'mcp-name': name };
    const res = await kit.post({ jsonrpc: '2.0', id: `m-${method}`, method, params: { ...params, _meta: envelope({}) } }, headers);
    assert.is(res.status, 200, method);
    const auth = JSON.parse(await firstText(res)) as Record<string, unknown>;
    assert.is(auth.subject, 'bob', method);
  }
  const { message, headers } = modernCall('whoami', 'm-again');
  const other = await kit.post(message, { ...headers, ...bearer(await kit.issuer.mint({ sub: 'carol' })) });
  assert.is((JSON.parse(await firstText(other)) as { subject: string }).subject, 'carol');
});

test('another principal\'s request on a session gets 404 (POST, GET and DELETE); the session lives on', async () => {
  const session = await openSession(await kit.issuer.mint({ sub: 'alice' }));
  const mallory = { ...session, ...bearer(await kit.issuer.mint({ sub: 'mallory' })) };
  const hijack = await kit.post(call(20, 'tools/call', { name: 'whoami', arguments: {} }), mallory);
  assert.is(hijack.status, 404);
  const listen = await kit.handler.handle(new Request('http://127.0.0.1/mcp', { method: 'GET', headers: { ...mallory, accept: 'text/event-stream' } }));
  assert.is(listen.status, 404);
  const end = await kit.handler.handle(new Request('http://127.0.0.1/mcp', { method: 'DELETE', headers: mallory }));
  assert.is(end.status, 404);
  assert.is(kit.handler.sessionCount, 1);
  const owner = await kit.post(call(21, 'tools/call', { name: 'whoami', arguments: {} }), session);
  assert.is((JSON.parse(await firstText(owner)) as { subject: string }).subject, 'alice');
});

test('the owner\'s new token (more scopes after a step-up) keeps the session; handlers see the new scopes', async () => {
  const session = await openSession(await kit.issuer.mint({ sub: 'alice', scope: 'mcp:read' }));
  const stepped = { ...session, ...bearer(await kit.issuer.mint({ sub: 'alice', scope: 'mcp:read mcp:admin' })) };
  const res = await kit.post(call(40, 'tools/call', { name: 'whoami', arguments: {} }), stepped);
  assert.is(res.status, 200);
  assert.equal((JSON.parse(await firstText(res)) as { scopes: string[] }).scopes, ['mcp:read', 'mcp:admin']);
});

test.run();
