// Scopes per call (`scopesFor`): a tool that needs more than the resource's base scope is
// refused with one complete 403 insufficient_scope challenge naming every scope the call
// needs (2026-07-28 basic/authorization: scope challenge handling), in both eras; the body
// read to learn the call still reaches the server, so allowed calls are served.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstText, initialize, modernCall, parseChallenge, startProtected, type ProtectedKit } from './support/protected-kit.ts';

const test = suite('protected resource: scopes per call');
let kit: ProtectedKit;

test.before.each(async () => {
  kit = await startProtected({
    requiredScopes: ['mcp:read'],
    scopesFor: (call) => (call.method === 'tools/call' && call.name === 'admin' ? ['mcp:admin'] : []),
  });
});
test.after.each(() => kit.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const callTool = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

async function session(token: string): Promise<Record<string, string>> {
  const res = await kit.post(initialize(), bearer(token));
  assert.is(res.status, 200);
  const headers = { ...bearer(token), 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  await kit.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

test('2025: the scoped tool gets 403 naming base and tool scopes; other calls are served', async () => {
  const headers = await session(await kit.issuer.mint({ scope: 'mcp:read' }));
  const refused = await kit.post(callTool(2, 'admin'), headers);
  assert.is(refused.status, 403);
  const { params } = parseChallenge(refused.headers.get('www-authenticate'));
  assert.is(params.error, 'insufficient_scope');
  assert.is(params.scope, 'mcp:read mcp:admin');
  const served = await kit.post(callTool(3, 'whoami'), headers);
  assert.is(served.status, 200);
  assert.match(await firstText(served), /"subject":"alice"/);
});

test('2025: after a step-up to both scopes the same session calls the scoped tool', async () => {
  const headers = await session(await kit.issuer.mint({ scope: 'mcp:read' }));
  const stepped = { ...headers, ...bearer(await kit.issuer.mint({ scope: 'mcp:read mcp:admin' })) };
  const res = await kit.post(callTool(4, 'admin'), stepped);
  assert.is(res.status, 200);
  assert.is(await firstText(res), 'admin done');
});

test('2026: the same challenge on a stateless call', async () => {
  const token = await kit.issuer.mint({ scope: 'mcp:read' });
  const { message, headers } = modernCall('admin');
  const res = await kit.post(message, { ...headers, ...bearer(token) });
  assert.is(res.status, 403);
  assert.is(parseChallenge(res.headers.get('www-authenticate')).params.scope, 'mcp:read mcp:admin');
  const ok = modernCall('whoami', 'm2');
  assert.is((await kit.post(ok.message, { ...ok.headers, ...bearer(token) })).status, 200);
});

test('a batch is judged by all its calls', async () => {
  const res = await kit.post([callTool(5, 'whoami'), callTool(6, 'admin')], bearer(await kit.issuer.mint({ scope: 'mcp:read' })));
  assert.is(res.status, 403);
});

test.run();
