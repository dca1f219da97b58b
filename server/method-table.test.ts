// The era-neutral method table: handlers registered once per server, served to every
// connection with `req` built from that connection; capability gating before the lookup.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPeer, ErrorCode, RpcError, type ClientSide, type ListTasksResult, type Peer } from '../protocol/index.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { MethodTable, notDeclared, type ServerFeature } from './method-table.ts';
import type { ServerRequest } from './request.ts';
import { createServer, type McpServer } from './server.ts';

async function client(server: McpServer, protocolVersion: string, name = `c-${protocolVersion}`): Promise<Peer<ClientSide>> {
  const [clientEnd, serverEnd] = createMemoryPair();
  const peer = createPeer<ClientSide>();
  await server.connect(serverEnd);
  await peer.connect(clientEnd);
  await peer.request('initialize', { protocolVersion, capabilities: {}, clientInfo: { name, version: '1' } });
  await peer.notify('notifications/initialized', undefined);
  return peer;
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

/** A feature serving `tasks/list` that records each req it is given. */
function taskFeature(declare: boolean) {
  const seen: ServerRequest[] = [];
  let registrations = 0;
  const feature: ServerFeature = {
    capabilities: () => (declare ? { tasks: { list: {} } } : {}),
    register(methods) {
      registrations++;
      methods.on('tasks/list', (_params, req): ListTasksResult => {
        seen.push(req);
        return { tasks: [] };
      });
    },
  };
  return { feature, seen, registrations: () => registrations };
}

const once = suite('method table: one registration serves every connection');

once('a handler registered once serves 2025-11-25, 2025-06-18 and 2025-03-26 clients, each req with its own version', async () => {
  const tasks = taskFeature(true);
  const server = createServer({ name: 's', version: '1' }, { features: [tasks.feature] });
  const versions: string[] = [];
  server.tool({ name: 'version' }, (_args, ctx) => {
    versions.push(ctx.protocolVersion);
    return ctx.protocolVersion;
  });
  const peers = [await client(server, '2025-11-25'), await client(server, '2025-06-18'), await client(server, '2025-03-26')];
  // tasks/list exists from 2025-11-25 on: two such clients, one handler, a req for each.
  const second = await client(server, '2025-11-25', 'second');
  await peers[0]!.request('tasks/list', {});
  await second.request('tasks/list', {});
  assert.is(tasks.registrations(), 1, 'registered once, not per connection');
  assert.equal(tasks.seen.map((r) => r.clientInfo?.name), ['c-2025-11-25', 'second']);
  assert.is.not(tasks.seen[0]!.connection, tasks.seen[1]!.connection);
  assert.equal(tasks.seen.map((r) => r.auth), [{}, {}], 'no authentication yet');
  // tools/call: the table's one handler runs the one tool handler at each connection's version.
  const texts: unknown[] = [];
  for (const peer of peers) {
    const r = await peer.request('tools/call', { name: 'version', arguments: {} });
    texts.push('content' in r ? r.content[0] : r);
  }
  assert.equal(versions, ['2025-11-25', '2025-06-18', '2025-03-26']);
  assert.equal(texts, ['2025-11-25', '2025-06-18', '2025-03-26'].map((text) => ({ type: 'text', text })));
  await server.close();
});

once('a feature added with use() after connections exist joins the one table', async () => {
  const server = createServer({ name: 's', version: '1' }, { capabilities: { tasks: { list: {} } } });
  const peer = await client(server, '2025-11-25');
  const before = await errorOf(peer.request('tasks/list', {}));
  assert.equal([before.code, before.message], [ErrorCode.MethodNotFound, 'Method not found: tasks/list']);
  const tasks = taskFeature(true);
  server.use(tasks.feature);
  assert.equal(await peer.request('tasks/list', {}), { tasks: [] });
  assert.is(tasks.seen.length, 1);
  await server.close();
});

const gate = suite('method table: capability gating runs before the handler lookup');

gate('a method whose capability this connection was not declared is answered by notDeclared, its handler never runs', async () => {
  const tasks = taskFeature(false);
  const server = createServer({ name: 's', version: '1' }, { features: [tasks.feature] });
  const peer = await client(server, '2025-11-25');
  const error = await errorOf(peer.request('tasks/list', {}));
  assert.is(error.code, ErrorCode.MethodNotFound);
  assert.is(error.message, 'Method not found: tasks/list (the server does not offer tasks.list)');
  assert.is(tasks.seen.length, 0);
  await server.close();
});

gate('an undeclared capability with no handler at all is refused by the gate, not by the lookup', async () => {
  const server = createServer({ name: 's', version: '1' });
  const peer = await client(server, '2025-11-25');
  const error = await errorOf(peer.request('tasks/list', {}));
  assert.is(error.message, 'Method not found: tasks/list (the server does not offer tasks.list)');
  const unknown = await errorOf(peer.request('no/such/method' as 'tasks/list', {}));
  assert.equal([unknown.code, unknown.message], [ErrorCode.MethodNotFound, 'Method not found: no/such/method']);
  await server.close();
});

gate('route() gives notDeclared before looking the handler up, and undefined for a declared method with no handler', () => {
  const table = new MethodTable();
  const handler = () => ({ tasks: [] });
  table.on('tasks/list', handler);
  assert.is(table.route('tasks/list', {}), notDeclared);
  assert.is(table.route('tasks/list', { tasks: { list: {} } }), handler);
  assert.is(table.route('prompts/list', { prompts: {} }), undefined);
  assert.throws(() => table.on('tasks/list', handler), /already has a handler/);
  assert.throws(() => notDeclared(undefined, { method: 'prompts/get' }), (e: unknown) => e instanceof RpcError && e.code === ErrorCode.MethodNotFound && /does not offer prompts/.test(e.message));
});

once.run();
gate.run();
