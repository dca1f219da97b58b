// A session's binding to its principal survives a restart: the principal is saved in the
// session record, and the process that restores the session refuses another principal
// (404) and serves the owner (2025-11-25 basic/security_best_practices: session hijacking).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryEventStore } from '../transport/event-store/memory.ts';
import { createServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { createJwtVerifier } from '../server/auth/jwt-verifier.ts';
import { createProtectedResource } from '../server/auth/protected-resource.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';
import { initialize, RESOURCE } from './support/protected-kit.ts';

const test = suite('protected resource: the session binding across a restart');
let issuer: TestIssuer;

test.before(async () => { issuer = await startJwtIssuer(RESOURCE); });
test.after(() => issuer.close());

function handlerOn(store: ReturnType<typeof createMemoryEventStore>): McpHttpHandler {
  const server = createServer({ name: 'restartable', version: '1.0.0' });
  server.tool({ name: 'whoami', description: 'Who calls.' }, (_a, ctx) => ctx.auth.subject ?? 'nobody');
  const guard = createProtectedResource({ resource: RESOURCE, authorizationServers: [issuer.issuer], verifier: createJwtVerifier({ issuer: issuer.issuer, audience: RESOURCE }) });
  return createMcpHttpHandler(server, { disableHostChecks: true, eventStore: store, responseMode: 'json', protectedResource: guard });
}

const post = (h: McpHttpHandler, message: unknown, headers: Record<string, string>) => h.handle(new Request(RESOURCE, {
  method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(message),
}));

test('a restored session refuses another principal and serves its owner', async () => {
  const store = createMemoryEventStore();
  const first = handlerOn(store);
  const alice = { authorization: `Bearer ${await issuer.mint({ sub: 'alice' })}` };
  const opened = await post(first, initialize(), alice);
  assert.is(opened.status, 200);
  const id = opened.headers.get('mcp-session-id')!;
  const inSession = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await post(first, { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...alice, ...inSession })).status, 202);
  const saved = (await store.loadSessions()).find((s) => s.sessionId === id);
  assert.equal(saved?.meta.principal, { issuer: issuer.issuer, subject: 'alice' });

  const second = handlerOn(store);
  assert.is(await second.restore(), 1);
  const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } };
  const mallory = { authorization: `Bearer ${await issuer.mint({ sub: 'mallory' })}` };
  assert.is((await post(second, call, { ...mallory, ...inSession })).status, 404);
  const owner = await post(second, call, { ...alice, ...inSession });
  assert.is(owner.status, 200);
  const body = await owner.json() as { result: { content: Array<{ text: string }> } };
  assert.is(body.result.content[0]!.text, 'alice');
  await first.close();
  await second.close();
});

test.run();
