// 2025-11-25 basic/utilities/tasks: the receiver MAY send `notifications/tasks/status` to the
// requestor. The delivery compared the task's owner with the connection's session principal
// (`session:<id>`), but an authenticated task's owner is its issuer and subject: an
// authenticated client never heard a status change, while an unauthenticated one did. The
// session that made the task (bound to that same principal, 2025-11-25 security best
// practices: session hijacking) now hears its tasks' changes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { createJwtVerifier } from '../server/auth/jwt-verifier.ts';
import { createProtectedResource } from '../server/auth/protected-resource.ts';
import { createMemoryTaskStore } from '../transport/index.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';
import { initialize, RESOURCE } from './support/protected-kit.ts';
import { within } from './tasks-fixture.ts';

const test = suite('tasks: status notifications reach an authenticated 2025 session');
let issuer: TestIssuer;
let handler: McpHttpHandler;

test.before(async () => {
  issuer = await startJwtIssuer(RESOURCE);
  const server = createServer({ name: 'status', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
  server.tool({ name: 'quick', description: 'quick', execution: { taskSupport: 'optional' } }, () => 'done');
  const guard = createProtectedResource({ resource: RESOURCE, authorizationServers: [issuer.issuer], verifier: createJwtVerifier({ issuer: issuer.issuer, audience: RESOURCE }) });
  handler = createMcpHttpHandler(server, { disableHostChecks: true, protectedResource: guard });
});
test.after(async () => {
  await handler.close();
  await issuer.close();
});

const send = (method: 'POST' | 'GET', headers: Record<string, string>, message?: unknown) => handler.handle(new Request(RESOURCE, {
  method, headers: { accept: 'application/json, text/event-stream', ...(message ? { 'content-type': 'application/json' } : {}), ...headers },
  ...(message ? { body: JSON.stringify(message) } : {}),
}));

/** Read `body` until a line contains `needle`; the text read. */
async function readUntil(body: ReadableStream<Uint8Array>, needle: string): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

test('an authenticated session hears notifications/tasks/status for its task', async () => {
  const alice = { authorization: `Bearer ${await issuer.mint({ sub: 'alice' })}` };
  const opened = await send('POST', alice, initialize());
  assert.is(opened.status, 200);
  await opened.text();
  const session = { ...alice, 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await send('POST', session, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
  const stream = await send('GET', session);
  assert.is(stream.status, 200);
  const created = await send('POST', session, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'quick', arguments: {}, task: {} } });
  const createdText = await created.text();
  const taskId = /"taskId":"([^"]+)"/.exec(createdText)?.[1];
  assert.ok(taskId, createdText);
  const heard = await within(readUntil(stream.body!, '"completed"'), 5000, 'the status change on the session stream').catch((e: Error) => e.message);
  assert.match(heard, /notifications\/tasks\/status/);
  assert.match(heard, new RegExp(`"taskId":"${taskId}"[^\\n]*"status":"completed"|"status":"completed"[^\\n]*"taskId":"${taskId}"`));
});

test.run();
