// Two authorization servers in front of one resource (a verifier that accepts both): a
// subject is unique only within its issuer (OpenID Connect Core §2: `sub` is "locally unique
// ... within the Issuer"), so `alice` of one is not `alice` of the other. The 2025 session
// binding compared issuer and subject already; the 2026-07-28 tasks (owner), their listen
// topic and the sealed `requestState` (principal) used the subject alone, so `alice` of the
// second issuer read, answered and cancelled the first one's tasks and used its states.
// 2025-11-25 basic/utilities/tasks: "receivers MUST bind tasks to said context"; 2026-07-28
// basic/patterns/mrtr: bind `requestState` to the principal (shared/notes/modern-era.md).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeJwt } from 'jose';
import { createServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { createJwtVerifier } from '../server/auth/jwt-verifier.ts';
import { createProtectedResource } from '../server/auth/protected-resource.ts';
import { TokenRejectedError, TokenRejection } from '../server/auth/errors.ts';
import { createMemoryTaskStore } from '../transport/index.ts';
import { bearerPost } from './modern-kit.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';

const RESOURCE = 'http://127.0.0.1/mcp';
const TASKS = 'io.modelcontextprotocol/tasks';
const CAPS = { elicitation: {}, extensions: { [TASKS]: {} } };
const form = { type: 'object' as const, properties: { v: { type: 'string' as const } } };

const test = suite('two issuers: the same subject name is two principals');
let one: TestIssuer;
let two: TestIssuer;
let handler: McpHttpHandler;
let release: () => void;

test.before(async () => {
  one = await startJwtIssuer(RESOURCE);
  two = await startJwtIssuer(RESOURCE);
  const verifiers = new Map([one, two].map((i) => [i.issuer, createJwtVerifier({ issuer: i.issuer, audience: RESOURCE, jwksCooldownMs: 0 })]));
  const guard = createProtectedResource({
    resource: RESOURCE, authorizationServers: [one.issuer, two.issuer],
    verifier: {
      verify(token) {
        const verifier = verifiers.get(String(decodeJwt(token).iss)); // routed by issuer; each verifies its own
        if (!verifier) throw new TokenRejectedError(TokenRejection.Issuer, 'unknown issuer');
        return verifier.verify(token);
      },
    },
  });
  const server = createServer({ name: 'issuers', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
  const gate = new Promise<void>((resolve) => { release = resolve; });
  server.tool({ name: 'ask', description: 'asks once' }, async (_a, ctx) => `hello ${String((await ctx.elicit({ message: 'name?', requestedSchema: form })).content?.v)}`);
  server.tool({ name: 'slow', description: 'a task that asks', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    await ctx.elicit({ message: 'go?', requestedSchema: form });
    await gate;
    return 'done';
  });
  handler = createMcpHttpHandler(server, { disableHostChecks: true, protectedResource: guard });
});
test.after(async () => {
  release();
  await handler.close();
  await one.close();
  await two.close();
});

/** A 2026-07-28 request as `token`; the JSON-RPC answer. */
const post = (token: string, method: string, params: Record<string, unknown>, name: string) => bearerPost(handler, RESOURCE, CAPS, token, method, params, name);

test('alice of the second issuer cannot get, answer or cancel the task of alice of the first', async () => {
  const mine = await one.mint({ sub: 'alice' });
  const theirs = await two.mint({ sub: 'alice' });
  const created = (await post(mine, 'tools/call', { name: 'slow', arguments: {} }, 'slow')).result;
  const taskId = created.taskId as string;
  assert.ok(taskId, JSON.stringify(created));
  for (const [method, extra] of [['tasks/get', {}], ['tasks/update', { inputResponses: { 'input-0': { action: 'accept', content: { v: 'x' } } } }], ['tasks/cancel', {}]] as const) {
    const answer = await post(theirs, method, { taskId, ...extra }, taskId);
    assert.is(answer.error?.code, -32602, `${method} by the other issuer's alice: ${JSON.stringify(answer.result)}`);
  }
  const own = (await post(mine, 'tasks/get', { taskId }, taskId)).result;
  assert.is(own.status, 'input_required', 'the owner still sees its task waiting');
});

test('a requestState of alice of the first issuer is refused to alice of the second, and stays usable', async () => {
  const mine = await one.mint({ sub: 'alice' });
  const theirs = await two.mint({ sub: 'alice' });
  const asked = (await post(mine, 'tools/call', { name: 'ask', arguments: {} }, 'ask')).result;
  const key = Object.keys(asked.inputRequests)[0]!;
  const retry = { name: 'ask', arguments: {}, requestState: asked.requestState, inputResponses: { [key]: { action: 'accept', content: { v: 'Ada' } } } };
  const stolen = await post(theirs, 'tools/call', retry, 'ask');
  assert.is(stolen.error?.data?.reason, 'other-request', JSON.stringify(stolen));
  const done = (await post(mine, 'tools/call', retry, 'ask')).result;
  assert.equal(done.content, [{ type: 'text', text: 'hello Ada' }]);
});

test.run();
