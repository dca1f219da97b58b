// `mcpwire serve --tasks-legacy-owner-issuer URL` (faults12's leftover: `tasks.legacyOwnerIssuer`
// had no flag, so a CLI server's tasks stored under the earlier `subject:<sub>` owner stayed
// invisible to their owner until their TTL). The built CLI with a task log holding alice's
// earlier-form task: with the flag her token reads it, without it -32602. A bad value is a
// usage error naming the flag.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTaskStore, type TaskRecord } from '../transport/index.ts';
import { serveCommand } from '../bin/serve.ts';
import { startServe, stopped } from './serve-process.ts';
import { startJwtIssuer, type TestIssuer } from './support/jwt-issuer.ts';
import { usageError } from './support/usage-error.ts';

const AUDIENCE = 'https://mcp.example/mcp';
const test = suite('mcpwire serve --tasks-legacy-owner-issuer');
let issuer: TestIssuer;
let state: string;

test.before(async () => {
  issuer = await startJwtIssuer(AUDIENCE);
  state = await mkdtemp(join(tmpdir(), 'mcpwire-legacy-owner-cli-'));
  // As a version before issuer-and-subject owners stored it (server/tasks/principal.ts).
  const at = Date.now();
  const record: TaskRecord = {
    taskId: 'earlier-task', owner: 'subject:alice', status: 'completed', createdAt: at, lastUpdatedAt: at, ttl: 600_000, inputs: [],
    request: { method: 'tools/call', params: { name: 'greet', arguments: {} }, protocolVersion: '2025-11-25', clientCapabilities: {} },
    outcome: { result: { content: [{ type: 'text', text: 'from before' }] } },
  };
  const store = await createFileTaskStore({ dir: join(state, 'tasks') });
  await store.create(record);
  await store.close();
});
test.after(async () => {
  await issuer.close();
  await rm(state, { recursive: true, force: true });
});

/** tasks/get of the earlier task by alice's token on a CLI server started with `extra`. */
async function aliceGets(extra: string[]): Promise<Record<string, unknown>> {
  const serve = await startServe(['--fixtures', '--json-response', '--state', state, '--auth-issuer', issuer.issuer, '--auth-audience', AUDIENCE, ...extra]);
  try {
    const authorization = `Bearer ${await issuer.mint({ sub: 'alice' })}`;
    const post = (body: unknown, headers: Record<string, string> = {}) => fetch(serve.url, {
      method: 'POST', body: JSON.stringify(body), headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', authorization, ...headers },
    });
    const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    assert.is(init.status, 200, await init.clone().text());
    await init.text();
    const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { taskId: 'earlier-task' } }, headers);
    return await res.json() as Record<string, unknown>;
  } finally {
    await stopped(serve.child, 'SIGTERM');
  }
}

test('with the flag naming the --auth-issuer, alice reads her earlier task; without it, -32602', async () => {
  const withFlag = await aliceGets(['--tasks-legacy-owner-issuer', issuer.issuer]);
  assert.is((withFlag.result as { status?: string } | undefined)?.status, 'completed', JSON.stringify(withFlag));
  const without = await aliceGets([]);
  assert.is((without.error as { code?: number } | undefined)?.code, -32602, JSON.stringify(without));
});

test('a bad value, another issuer, or no tasks to own is a usage error naming the flag', async () => {
  const auth = ['--http', '--port', '0', '--auth-issuer', 'https://as.example', '--auth-audience', AUDIENCE];
  assert.is(await usageError(() => serveCommand([...auth, '--fixtures', '--tasks-legacy-owner-issuer', 'as.example'])),
    '--tasks-legacy-owner-issuer must be an http(s) URL, got "as.example"');
  assert.is(await usageError(() => serveCommand([...auth, '--fixtures', '--tasks-legacy-owner-issuer', 'https://other.example'])),
    '--tasks-legacy-owner-issuer https://other.example is not the --auth-issuer (https://as.example): this server accepts only that issuer\'s tokens, so no caller could own those tasks');
  assert.is(await usageError(() => serveCommand([...auth, '--tasks-legacy-owner-issuer', 'https://as.example'])),
    '--tasks-legacy-owner-issuer goes with --agents or --fixtures (the demo tools make no tasks)');
  assert.is(await usageError(() => serveCommand(['--http', '--port', '0', '--fixtures', '--tasks-legacy-owner-issuer', 'https://as.example'])),
    '--auth-scopes, --auth-jwks and --tasks-legacy-owner-issuer go with --auth-issuer and --auth-audience');
});

test.run();
