// The other order of tasks-rerun-progress-kept.test.ts: after a restart the client resumes
// its standalone stream (Last-Event-ID) before the re-run task reports anything. The re-run
// repeats step 1, which the stream already holds, then reports step 2: the client gets step
// 2 only, once (2025-11-25 basic/utilities/progress: progress MUST increase). In process: two
// servers on one event store and one task folder stand for the process before and after.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createFileTaskStore, createMemoryEventStore } from 'mcpwire/transport';
import { ACCEPT_BOTH, messagesOf, readEvents, URL_BASE } from './http-fixture.ts';
import { within } from './tasks-fixture.ts';

/** A server whose `steps` tool reports step 1, then step 2 once `second` resolves. */
async function stepsHandler(dir: string, eventStore: ReturnType<typeof createMemoryEventStore>, second: Promise<void>) {
  const server = createServer({ name: 'steps', version: '1' }, { tasks: { store: await createFileTaskStore({ dir }) } });
  server.tool({ name: 'steps', description: 'two steps', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
    await ctx.progress(1, 2, 'one');
    await second;
    await ctx.progress(2, 2, 'two');
    return 'done';
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], eventStore, keepAliveMs: 0 });
  const send = (method: string, headers: Record<string, string>, body?: unknown) =>
    handler.handle(new Request(URL_BASE, { method, headers: { host: '127.0.0.1:3000', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  return { server, handler, send };
}

const progressOf = (messages: Array<Record<string, any>>) => messages
  .filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'tok')
  .map((m) => [m.params.progress, m.params.message]);

const test = suite('tasks: a client back before the re-run task reports gets each step once');

test('the re-run repeats step 1 (already on the stream, not sent again) and reports step 2 on the resumed stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-returned-'));
  const eventStore = createMemoryEventStore();
  const never = new Promise<void>(() => {});
  const first = await stepsHandler(join(dir, 'tasks'), eventStore, never);
  let second: Awaited<ReturnType<typeof stepsHandler>> | undefined;
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
    await first.handler.close();
    await first.server.close();

    second = await stepsHandler(join(dir, 'tasks'), eventStore, Promise.resolve());
    assert.is(await second.handler.restore(), 1);
    const resumed = await second.send('GET', { accept: 'text/event-stream', ...session, 'last-event-id': before.at(-1)!.id! });
    assert.is(resumed.status, 200);
    const reading = readEvents(resumed, 1);
    assert.is(await second.server.tasks!.resume(), 1);
    assert.equal(progressOf(messagesOf(await within(reading, 5000, 'step 2 on the resumed stream'))), [[2, 'two']], 'step 1 is not sent twice');
  } finally {
    await first.handler.close();
    await second?.handler.close();
    await second?.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
