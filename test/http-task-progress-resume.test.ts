// 2025-11-25 over Streamable HTTP: a running task's progress (its token valid until the task
// is terminal, basic/utilities/progress) goes out on the standalone GET stream after the
// CreateTaskResult answered the tools/call, and survives that stream dropping: a GET with the
// Last-Event-ID of the last event seen replays what was sent meanwhile (basic/transports:
// resumability), then goes on live.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryEventStore, createMemoryTaskStore } from 'mcpwire/transport';
import { ACCEPT_BOTH, messagesOf, readEvents, URL_BASE } from './http-fixture.ts';
import { gate, within } from './tasks-fixture.ts';

const test = suite('http: task progress on the standalone stream survives its resumption');

test('progress sent while the GET stream was down is replayed on resume, then the rest comes live', async () => {
  const steps = [gate(), gate()];
  const wrote = [gate(), gate()];
  const server = createServer({ name: 'task-progress', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore() } });
  server.tool({ name: 'steps', description: 'Three steps.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    await ctx.progress(1, 3, 'one');
    wrote[0]!.open();
    await steps[0]!.promise;
    await ctx.progress(2, 3, 'two');
    wrote[1]!.open();
    await steps[1]!.promise;
    await ctx.progress(3, 3, 'three');
    return 'done';
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], eventStore: createMemoryEventStore(), keepAliveMs: 0 });
  const send = (method: string, body: unknown, headers: Record<string, string>) =>
    handler.handle(new Request(URL_BASE, { method, headers: { host: '127.0.0.1:3000', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  const post = (body: unknown, sid?: string) => send('POST', body, {
    accept: ACCEPT_BOTH, 'content-type': 'application/json', ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' } : {}),
  });
  const get = (sid: string, lastEventId?: string) => send('GET', undefined, {
    accept: 'text/event-stream', 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25', ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
  });
  try {
    const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sid)).status, 202);
    const stream = await get(sid);
    assert.is(stream.status, 200);

    const call = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'steps', task: {}, _meta: { progressToken: 'tok' } } }, sid);
    const created = messagesOf(await readEvents(call));
    assert.ok(created.at(-1)?.result?.task?.taskId, 'CreateTaskResult');
    await within(wrote[0]!.promise, 5000, 'step 1');
    // The priming event, then step 1 on the GET stream; then the stream drops.
    const first = await within(readEvents(stream, 2), 5000, 'step 1 on the GET stream');
    assert.equal(messagesOf(first).map((m) => [m.method, m.params.progressToken, m.params.progress]), [['notifications/progress', 'tok', 1]]);
    steps[0]!.open();
    await within(wrote[1]!.promise, 5000, 'step 2');

    const resumed = await get(sid, first.at(-1)!.id);
    assert.is(resumed.status, 200);
    steps[1]!.open();
    const rest = messagesOf(await within(readEvents(resumed, 3), 5000, 'steps 2 and 3 on the resumed stream'))
      .filter((m) => m.method === 'notifications/progress');
    assert.equal(rest.map((m) => [m.params.progressToken, m.params.progress, m.params.message]), [['tok', 2, 'two'], ['tok', 3, 'three']]);
  } finally {
    await handler.close();
  }
});

test.run();
