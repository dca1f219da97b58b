// A 2025 task of three steps on an in-process HTTP handler, shared by the re-run tests that
// restart the handler on the same task and event stores: the server, and the first run (a
// session, its standalone stream, and the task that reported step 1 on it).
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createFileTaskStore, type createMemoryEventStore } from 'mcpwire/transport';
import { ACCEPT_BOTH, messagesOf, readEvents, URL_BASE } from './http-fixture.ts';
import { gate, within } from './tasks-fixture.ts';

type Message = Record<string, any>;
export type Store = ReturnType<typeof createMemoryEventStore>;

/** A server whose `steps` tool reports step 1, tells `paused`, waits for `go`, then reports 2 and 3. */
export async function stepsHandler(dir: string, eventStore: Store, go: Promise<void>, paused = gate()) {
  const server = createServer({ name: 'steps', version: '1' }, { tasks: { store: await createFileTaskStore({ dir }) } });
  server.tool({ name: 'steps', description: 'three steps', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    await ctx.progress(1, 3, 'one');
    paused.open();
    await go;
    await ctx.progress(2, 3, 'two');
    await ctx.progress(3, 3, 'three');
    return 'done';
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], eventStore, keepAliveMs: 0 });
  const send = (method: string, headers: Record<string, string>, body?: unknown) =>
    handler.handle(new Request(URL_BASE, { method, headers: { host: '127.0.0.1:3000', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  return { server, handler, send, paused: paused.promise };
}

/** Before the restart: a session, its standalone stream, and a task that reported step 1 on it. */
export async function firstRun(dir: string, eventStore: Store) {
  const first = await stepsHandler(dir, eventStore, new Promise<void>(() => {}));
  try {
    const init = await first.send('POST', { accept: ACCEPT_BOTH, 'content-type': 'application/json' }, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    const session = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const post = { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...session };
    assert.is((await first.send('POST', post, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
    const live = await first.send('GET', { accept: 'text/event-stream', ...session });
    const call = await first.send('POST', post, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'steps', task: {}, _meta: { progressToken: 'tok' } } });
    assert.ok(messagesOf(await readEvents(call)).at(-1)?.result?.task?.taskId, 'CreateTaskResult');
    const before = await within(readEvents(live, 2), 5000, 'the priming event and step 1');
    assert.equal(progressOf(messagesOf(before)), [[1, 'one']]);
    return { session, lastId: before.at(-1)!.id! };
  } finally {
    await first.handler.close();
    await first.server.close();
  }
}

export const progressOf = (messages: Message[]) => messages
  .filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'tok')
  .map((m) => [m.params.progress, m.params.message]);

