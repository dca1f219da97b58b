// The 2026-07-28 dispatcher and POST path load with import() on an endpoint's first modern
// request (issue #20 item 3, server/modern-lazy.ts, transport/http/modern-entry.ts). test/run.js
// runs each file in a process of its own: the first test here is the process's first modern
// request, so it is the one that waits for the load.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createModernDispatcher as lazyCreate } from '../server/index.ts';
import { lazyDispatcher, type DispatcherModule } from '../server/modern-lazy.ts';
import { createModernDispatcher as realCreate } from '../server/modern/dispatcher.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/versions.ts';
import { request, testServer, VERSION } from './modern-kit.ts';

const URL_ = 'http://127.0.0.1/mcp';

function post(handler: ReturnType<typeof createMcpHttpHandler>, message: { id: string; method: string; params: Record<string, unknown> }) {
  const headers: Record<string, string> = {
    'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': message.method,
  };
  if (typeof message.params.name === 'string') headers['mcp-name'] = message.params.name;
  return handler.handle(new Request(URL_, { method: 'POST', headers, body: JSON.stringify(message) }));
}

const first = suite('modern era: loaded on the first request');

first('two concurrent first modern requests on a fresh server are both answered, as usual', async () => {
  const errors: Error[] = [];
  const handler = createMcpHttpHandler(testServer(), { onError: (e) => errors.push(e) });
  const call = request('tools/call', { name: 'echo', arguments: { text: 'one' } });
  const discover = request('server/discover');
  const [a, b] = await Promise.all([post(handler, call), post(handler, discover)]);
  assert.is(a.status, 200);
  const answer = await a.json() as { id: string; result: { content: unknown; resultType: string } };
  assert.is(answer.id, call.id);
  assert.equal(answer.result.content, [{ type: 'text', text: 'echo: one' }]);
  assert.is(answer.result.resultType, 'complete');
  assert.is(b.status, 200);
  const found = await b.json() as { id: string; result: { supportedVersions: string[] } };
  assert.is(found.id, discover.id);
  assert.equal(found.result.supportedVersions, [VERSION, ...SUPPORTED_PROTOCOL_VERSIONS]);
  // Once loaded, the next request goes straight through.
  const again = await post(handler, request('tools/call', { name: 'echo', arguments: { text: 'two' } }));
  assert.equal(((await again.json()) as { result: { content: unknown } }).result.content, [{ type: 'text', text: 'echo: two' }]);
  assert.equal(errors, []);
  await handler.close();
});

first('a 2025 session on the same endpoint is served beside it, unchanged', async () => {
  const handler = createMcpHttpHandler(testServer());
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const res = await handler.handle(new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(init) }));
  assert.is(res.status, 200);
  assert.ok(res.headers.get('mcp-session-id'), 'a 2025 session');
  await handler.close();
});

const wiring = suite('modern era: what the lazy dispatcher keeps as before');

wiring('a requestState key under 32 bytes is refused when the endpoint is made, not on the first request', () => {
  assert.throws(() => createMcpHttpHandler(testServer(), { modern: { inputRounds: { key: new Uint8Array(8) } } }), (e: Error) => e instanceof RangeError && /32 bytes/.test(e.message));
});

wiring('supportedVersions before the load are those of the dispatcher itself', async () => {
  const server = testServer();
  for (const legacyVersions of [[], SUPPORTED_PROTOCOL_VERSIONS]) {
    const lazy = lazyCreate(server, { legacyVersions });
    assert.equal(lazy.supportedVersions, realCreate(server, { legacyVersions }).supportedVersions);
    await lazy.handle(request('server/discover'));
    assert.equal(lazy.supportedVersions, realCreate(server, { legacyVersions }).supportedVersions);
    lazy.close();
  }
});

wiring('a load that fails answers that request with -32603 (500), is reported, and the next request loads again', async () => {
  const errors: Error[] = [];
  let attempts = 0;
  const load = async (): Promise<DispatcherModule> => {
    if (++attempts === 1) throw new Error('chunk missing');
    return import('../server/modern/dispatcher.ts');
  };
  const dispatcher = lazyDispatcher(testServer(), {}, (e) => errors.push(e), load);
  const failed = await dispatcher.handle(request('tools/list'));
  assert.is(failed?.status, 500);
  assert.equal((failed?.message as { error: unknown }).error, { code: -32603, message: 'Internal error: the 2026-07-28 dispatcher did not load: chunk missing' });
  assert.match(String((failed?.message as { id?: unknown }).id), /^r-/);
  assert.equal(errors.map((e) => e.message), ['chunk missing']);
  const listed = await dispatcher.handle(request('tools/list'));
  assert.is(listed?.status, 200);
  assert.ok(((listed?.message as unknown as { result: { tools: unknown[] } }).result.tools).length > 0);
  assert.is(attempts, 2);
  dispatcher.close();
});

first.run();
wiring.run();
