// Upgrading moved the owner of tasks made with an issuer-bearing token from `subject:alice`
// to issuer and subject (faults11: `alice` of a second trusted issuer read the first one's
// tasks): tasks still unfinished at the upgrade became invisible to their owner. A
// `subject:alice` record does not say which issuer's alice made it, so it is matched only
// when the operator names the one issuer the server trusted while it was made
// (`tasks.legacyOwnerIssuer`): then that issuer's alice owns it, and the other issuer's
// alice still gets -32602. Unset (the default), such records stay invisible until their TTL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeJwt } from 'jose';
import { createServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { createJwtVerifier } from '../server/auth/jwt-verifier.ts';
import { createProtectedResource } from '../server/auth/protected-resource.ts';
import { TokenRejectedError, TokenRejection } from '../server/auth/errors.ts';
import { createMemoryTaskStore, type TaskRecord } from '../transport/index.ts';
import { bearerPost } from './modern-kit.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';

const RESOURCE = 'http://127.0.0.1/mcp';
const CAPS = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };

const test = suite('tasks stored under the earlier subject-only owner, after the upgrade');
let one: TestIssuer;
let two: TestIssuer;
const handlers: McpHttpHandler[] = [];
let release: () => void;
const gate = new Promise<void>((resolve) => { release = resolve; });

/** A record as the earlier version stored it: owner `subject:<sub>`. */
function earlier(taskId: string, sub: string, done: boolean): TaskRecord {
  const at = Date.now();
  return {
    taskId, owner: `subject:${sub}`, status: done ? 'completed' : 'working', createdAt: at, lastUpdatedAt: at, ttl: 600_000, inputs: [],
    request: { method: 'tools/call', params: { name: 'slow', arguments: {} }, protocolVersion: '2026-07-28', clientCapabilities: CAPS },
    ...(done ? { outcome: { result: { content: [{ type: 'text', text: 'from before' }] } } } : {}),
  };
}

/** A server on a store holding earlier-form records of alice; `legacyOwnerIssuer` as given. */
async function serve(legacyOwnerIssuer?: string): Promise<McpHttpHandler> {
  const verifiers = new Map([one, two].map((i) => [i.issuer, createJwtVerifier({ issuer: i.issuer, audience: RESOURCE, jwksCooldownMs: 0 })]));
  const guard = createProtectedResource({
    resource: RESOURCE, authorizationServers: [one.issuer, two.issuer],
    verifier: {
      verify(token) {
        const verifier = verifiers.get(String(decodeJwt(token).iss));
        if (!verifier) throw new TokenRejectedError(TokenRejection.Issuer, 'unknown issuer');
        return verifier.verify(token);
      },
    },
  });
  const store = createMemoryTaskStore();
  for (const r of [earlier('old-done', 'alice', true), earlier('old-open', 'alice', false), earlier('bobs', 'bob', true)]) await store.create(r);
  const server = createServer({ name: 'legacy-owner', version: '1' }, { tasks: { store, ...(legacyOwnerIssuer ? { legacyOwnerIssuer } : {}) } });
  server.tool({ name: 'slow', description: 'waits', execution: { taskSupport: 'optional' } }, async () => { await gate; return 'done'; });
  const handler = createMcpHttpHandler(server, { disableHostChecks: true, protectedResource: guard });
  handlers.push(handler);
  return handler;
}

test.before(async () => {
  one = await startJwtIssuer(RESOURCE);
  two = await startJwtIssuer(RESOURCE);
});
test.after(async () => {
  release();
  for (const h of handlers) await h.close();
  await one.close();
  await two.close();
});

const post = (handler: McpHttpHandler, token: string, method: string, params: Record<string, unknown>, name: string) => bearerPost(handler, RESOURCE, CAPS, token, method, params, name);

test('legacyOwnerIssuer names the first issuer: its alice gets and cancels her earlier tasks; the second issuer\'s alice and bob get -32602', async () => {
  const handler = await serve(one.issuer);
  const alice = await one.mint({ sub: 'alice' });
  const otherAlice = await two.mint({ sub: 'alice' });
  const done = await post(handler, alice, 'tasks/get', { taskId: 'old-done' }, 'old-done');
  assert.is(done.result?.status, 'completed', JSON.stringify(done));
  assert.is((await post(handler, alice, 'tasks/get', { taskId: 'bobs' }, 'bobs')).error?.code, -32602, 'bob\'s earlier task is not alice\'s');
  for (const taskId of ['old-done', 'old-open']) {
    for (const method of ['tasks/get', 'tasks/cancel'] as const) {
      const answer = await post(handler, otherAlice, method, { taskId }, taskId);
      assert.is(answer.error?.code, -32602, `${method} ${taskId} by the second issuer's alice: ${JSON.stringify(answer.result)}`);
    }
  }
  const cancelled = await post(handler, alice, 'tasks/cancel', { taskId: 'old-open' }, 'old-open');
  assert.is(cancelled.error, undefined, JSON.stringify(cancelled));
  assert.is((await post(handler, alice, 'tasks/get', { taskId: 'old-open' }, 'old-open')).result?.status, 'cancelled');
});

test('without legacyOwnerIssuer (the default) an earlier-form task is nobody\'s: -32602 for both alices', async () => {
  const handler = await serve();
  for (const token of [await one.mint({ sub: 'alice' }), await two.mint({ sub: 'alice' })]) {
    assert.is((await post(handler, token, 'tasks/get', { taskId: 'old-done' }, 'old-done')).error?.code, -32602);
  }
});

test.run();
