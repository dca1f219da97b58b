import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RpcError, type RequestContext, type ServerSide } from '../protocol/index.ts';
import type { ServerConnection } from './connection-types.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS, type ToolContext } from './context.ts';
import { legacyRequest } from './legacy-request.ts';
import { createToolRegistry } from './tools.ts';
import { createSchemaValidator } from './validation.ts';

function registry() {
  const tools = createToolRegistry(createSchemaValidator(), () => {});
  const schema = { type: 'object' as const, properties: { text: { type: 'string' } }, required: ['text'] };
  tools.add({ name: 'echo', inputSchema: schema }, (args: { text: string }) => args.text);
  tools.add({ name: 'later', inputSchema: schema }, async (args: { text: string }) => `later ${args.text}`);
  tools.add({ name: 'throws' }, () => { throw new Error('boom'); });
  tools.add({ name: 'rejects' }, async () => { throw new Error('async boom'); });
  tools.add({ name: 'rpc' }, () => { throw new RpcError(-32602, 'bad'); });
  tools.add({ name: 'malformed' }, () => 42 as never);
  return tools;
}

const ctx = { signal: new AbortController().signal } as ToolContext;

const call = suite('tools: calls');

call('a tool that answers synchronously is answered without a promise', () => {
  const result = registry().call('echo', { text: 'hi' }, ctx);
  assert.not.instance(result, Promise);
  assert.equal(result, { content: [{ type: 'text', text: 'hi' }] });
});

call('an async tool is awaited', async () => {
  const result = registry().call('later', { text: 'hi' }, ctx);
  assert.instance(result, Promise);
  assert.equal(await result, { content: [{ type: 'text', text: 'later hi' }] });
});

call('a throw, a rejection and a malformed return are tool errors; an RpcError stays a protocol error', async () => {
  const tools = registry();
  assert.equal(await tools.call('throws', {}, ctx), { content: [{ type: 'text', text: 'boom' }], isError: true });
  assert.equal(await tools.call('rejects', {}, ctx), { content: [{ type: 'text', text: 'async boom' }], isError: true });
  const malformed = await tools.call('malformed', {}, ctx);
  assert.ok(malformed.isError);
  assert.throws(() => tools.call('rpc', {}, ctx), (e: unknown) => e instanceof RpcError && e.code === -32602);
  assert.throws(() => tools.call('nope', {}, ctx), (e: unknown) => e instanceof RpcError && e.code === -32602);
});

call('invalid arguments are a tool error, checked every call', async () => {
  const tools = registry();
  for (let i = 0; i < 3; i++) {
    const result = await tools.call('echo', { text: 1 }, ctx);
    assert.ok(result.isError);
    assert.match((result.content[0] as { text: string }).text, /Invalid arguments for tool echo: \/text: must be string/);
  }
});

const context = suite('tools: the context a tool receives');

function fakeRequest(): { rc: RequestContext<ServerSide>; signalReads: () => number; sent: unknown[] } {
  let reads = 0;
  const controller = new AbortController();
  const sent: unknown[] = [];
  const rc = {
    requestId: 7, method: 'tools/call', meta: undefined, progressToken: 't', extra: undefined,
    get signal() { reads += 1; return controller.signal; },
    progress: async (value: number) => { sent.push(['progress', value]); },
    notify: async (method: string, params: unknown) => { sent.push([method, params]); },
    request: async () => ({}),
  } as unknown as RequestContext<ServerSide>;
  return { rc, signalReads: () => reads, sent };
}

const conn = {
  sessionId: 's1', protocolVersion: '2025-11-25', clientInfo: { name: 'c', version: '1' }, clientCapabilities: {}, logLevel: 'debug',
} as unknown as ServerConnection;

context('the signal is read only when the tool asks for it; methods can be destructured', async () => {
  const { rc, signalReads, sent } = fakeRequest();
  const tool = createToolContext(legacyRequest(rc, conn), DEFAULT_ASK_TIMEOUTS, createSchemaValidator());
  assert.is(signalReads(), 0);
  const { progress, log, resourceLink, requestId, sessionId, protocolVersion } = tool;
  await progress(1, 2);
  await log('info', 'hello');
  assert.equal(resourceLink('file:///a', 'a'), { type: 'resource_link', uri: 'file:///a', name: 'a' });
  // Made once, on first read: a later read hands out the same function.
  assert.is(tool.progress, progress);
  assert.is(tool.log, log);
  assert.equal([requestId, sessionId, protocolVersion], [7, 's1', '2025-11-25']);
  assert.equal(sent, [['progress', 1], ['notifications/message', { level: 'info', data: 'hello' }]]);
  assert.is(signalReads(), 0);
  assert.not.ok(tool.signal.aborted);
  assert.is(signalReads(), 1);
  assert.is(tool.clientInfo?.name, 'c');
});

call.run();
context.run();
