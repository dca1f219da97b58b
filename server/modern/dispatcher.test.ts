// The 2026-07-28 stateless dispatcher: the per-request envelope, server/discover, removed
// methods, missing client capabilities; every message checked against the 2026-07-28 schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { META } from './envelope.ts';
import { RpcError } from '../../protocol/index.ts';
import { Exchange, envelope, request, testServer, VERSION } from '../../test/modern-kit.ts';

const Envelope = suite('2026-07-28: the per-request envelope');

Envelope('a request without _meta, version or client capabilities is -32602 (400) echoing its id', async () => {
  const x = new Exchange();
  const noMeta = { jsonrpc: '2.0', id: 'no-meta', method: 'tools/list', params: {} };
  assert.is((await x.error(noMeta, 400, true)).code, -32602);
  const noVersion = { jsonrpc: '2.0', id: 'no-version', method: 'tools/list', params: { _meta: { [META.clientCapabilities]: {} } } };
  assert.is((await x.error(noVersion, 400, true)).code, -32602);
  const noCaps = { jsonrpc: '2.0', id: 'no-caps', method: 'tools/list', params: { _meta: { [META.protocolVersion]: VERSION } } };
  assert.is((await x.error(noCaps, 400, true)).code, -32602);
});

Envelope('a request without clientInfo is served', async () => {
  const x = new Exchange();
  const result = await x.result({ jsonrpc: '2.0', id: 'no-info', method: 'tools/list', params: { _meta: { [META.protocolVersion]: VERSION, [META.clientCapabilities]: {} } } });
  assert.ok(Array.isArray(result.tools));
});

Envelope('an unsupported version is -32022 with data { supported, requested }', async () => {
  const x = new Exchange();
  const message = { jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: { ...envelope(), [META.protocolVersion]: '2099-01-01' } } };
  const error = await x.error(message, 400);
  assert.is(error.code, -32022);
  assert.equal(error.data, { supported: [VERSION], requested: '2099-01-01' });
});

Envelope('a server that also speaks legacy versions lists them in -32022 as server/discover does', async () => {
  // 2026-07-28 basic/versioning: the error lists "the versions it does support" (its example:
  // ["2026-07-28", "2025-11-25"]); a dual-era client learns there that it may initialize.
  const x = new Exchange(undefined, { legacyVersions: ['2025-11-25', '2025-06-18'] });
  const message = { jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: { ...envelope(), [META.protocolVersion]: '2099-01-01' } } };
  const error = await x.error(message, 400);
  assert.equal(error.data, { supported: [VERSION, '2025-11-25', '2025-06-18'], requested: '2099-01-01' });
  assert.equal((await x.result(request('server/discover'))).supportedVersions, error.data.supported);
});

Envelope('every result carries resultType and the server info; lists and reads carry cache hints', async () => {
  const x = new Exchange(undefined, { caching: { ttlMs: 5000, scope: 'public' } });
  for (const [method, params] of [['tools/list', {}], ['prompts/list', {}], ['resources/list', {}], ['resources/templates/list', {}], ['resources/read', { uri: 'test://doc' }]] as const) {
    const result = await x.result(request(method, params));
    assert.is(result.resultType, 'complete', method);
    assert.equal(result._meta[META.serverInfo], { name: 'modern-test-server', version: '1.0.0' }, method);
    assert.is(result.ttlMs, 5000, method);
    assert.is(result.cacheScope, 'public', method);
  }
  const call = await x.result(request('tools/call', { name: 'echo', arguments: { text: 'hi' } }));
  assert.is(call.resultType, 'complete');
  assert.equal(call.content, [{ type: 'text', text: 'echo: hi' }]);
  const prompt = await x.result(request('prompts/get', { name: 'greet' }));
  assert.is(prompt.resultType, 'complete');
});

Envelope('completion/complete is served statelessly', async () => {
  const x = new Exchange();
  const result = await x.result(request('completion/complete', { ref: { type: 'ref/prompt', name: 'trip' }, argument: { name: 'city', value: 'pa' } }));
  assert.is(result.resultType, 'complete');
  assert.equal(result.completion.values, ['paris', 'park']);
});

Envelope('tools/call without arguments is served', async () => {
  const x = new Exchange();
  const call = await x.result(request('tools/call', { name: 'echo' }));
  assert.equal(call.content, [{ type: 'text', text: 'echo: ' }]);
});

Envelope('tools/list is the same, in the same order, for two different clients', async () => {
  const x = new Exchange();
  const a = await x.result(request('tools/list', {}, { sampling: {} }));
  const b = await x.result(request('tools/list', {}, { elicitation: {} }));
  assert.equal(a.tools.map((t: { name: string }) => t.name), b.tools.map((t: { name: string }) => t.name));
  assert.equal(a.tools, b.tools);
});

const Discover = suite('2026-07-28: server/discover');

Discover('lists the supported versions, capabilities, instructions and cache hints', async () => {
  const x = new Exchange();
  const result = await x.result(request('server/discover'));
  assert.equal(result.supportedVersions, [VERSION]);
  assert.ok(result.capabilities.tools, 'tools declared');
  assert.ok(result.capabilities.prompts, 'prompts declared');
  assert.ok(result.capabilities.resources, 'resources declared');
  // Honoured on subscriptions/listen streams (listen.test.ts).
  assert.is(result.capabilities.tools.listChanged, true);
  assert.is(result.capabilities.resources.subscribe, true);
  assert.is(result.instructions, 'Test server.');
  assert.is(result.ttlMs, 0);
  assert.is(result.cacheScope, 'private');
  assert.equal(result._meta[META.serverInfo], { name: 'modern-test-server', version: '1.0.0' });
});

const Removed = suite('2026-07-28: removed methods and missing capabilities');

for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'tasks/list', 'no/such/method']) {
  Removed(`${method} is -32601 (404) echoing the id`, async () => {
    const x = new Exchange();
    const error = await x.error(request(method, method.startsWith('resources/') ? { uri: 'test://doc' } : {}), 404, true);
    assert.is(error.code, -32601);
  });
}

Removed('a tool that samples for a client without sampling is -32021 with data.requiredCapabilities (400)', async () => {
  const x = new Exchange();
  const error = await x.error(request('tools/call', { name: 'needs_sampling' }, { elicitation: {} }), 400);
  assert.is(error.code, -32021);
  assert.equal(error.data, { requiredCapabilities: { sampling: {} } });
});

Removed('a missing resource is -32602 with data.uri', async () => {
  const x = new Exchange();
  const error = await x.error(request('resources/read', { uri: 'test://missing' }), 200);
  assert.is(error.code, -32602);
  assert.equal(error.data, { uri: 'test://missing' });
});

Removed('-32002 and -32042 are never sent, even when a handler written for 2025 throws them', async () => {
  // 2026-07-28 basic (error codes): both codes are retired; a URL elicitation is an input request.
  const server = testServer();
  server.tool({ name: 'old_not_found', description: 'Throws -32002.' }, () => {
    throw new RpcError(-32002, 'Resource not found', { uri: 'test://gone' });
  });
  server.tool({ name: 'old_url', description: 'Throws -32042.' }, () => {
    throw new RpcError(-32042, 'Sign in first', { elicitations: [{ mode: 'url', elicitationId: 'e1', url: 'https://example.com/in', message: 'Sign in' }] });
  });
  server.tool({ name: 'new_url', description: 'Asks for a URL elicitation.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://example.com/in' });
    return answer.action;
  });
  const x = new Exchange(server);
  const notFound = await x.error(request('tools/call', { name: 'old_not_found' }), 200);
  assert.is(notFound.code, -32602);
  assert.equal(notFound.data, { uri: 'test://gone' });
  const url = await x.error(request('tools/call', { name: 'old_url' }), 200);
  assert.is(url.code, -32603);
  assert.match(url.message, /ctx\.elicit/);
  const asked = await x.result(request('tools/call', { name: 'new_url' }, { elicitation: { url: {} } }));
  assert.is(asked.resultType, 'input_required');
  const [only] = Object.values(asked.inputRequests as Record<string, { method: string; params: { mode: string } }>);
  assert.equal([only?.method, only?.params.mode], ['elicitation/create', 'url']);
});

Removed('a code of -32020 to -32099 the specification does not define is never sent; defined ones and codes outside pass', async () => {
  // 2026-07-28 basic/index (error codes): that sub-range is reserved for the specification and
  // implementations "MUST NOT emit any code from this sub-range that is not defined by this
  // specification". Before, a handler's -32050 went out as is.
  const server = testServer();
  for (const code of [-32050, -32099, -32021, -32100, -32010]) {
    server.prompt({ name: `code${-code}`, description: `Throws ${code}.` }, () => { throw new RpcError(code, `thrown ${code}`); });
  }
  const x = new Exchange(server);
  const codeOf = async (code: number, status = 200) => (await x.error(request('prompts/get', { name: `code${-code}` }), status));
  for (const code of [-32050, -32099]) {
    const error = await codeOf(code);
    assert.is(error.code, -32603, `${code}`);
    assert.match(error.message, new RegExp(`threw ${code} \\(thrown ${code}\\), a code 2026-07-28 reserves`));
  }
  assert.is((await codeOf(-32021, 400)).code, -32021, 'a defined code passes');
  assert.is((await codeOf(-32100)).code, -32100, 'outside the reserved sub-range: the application\'s own');
  assert.is((await codeOf(-32010)).code, -32010, 'the legacy sub-range: receivers assume nothing of it');
});

Removed('a notification gets no answer; a response from the client is refused', async () => {
  const x = new Exchange();
  assert.is(await x.dispatcher.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }), undefined);
  const answer = await x.dispatcher.handle({ jsonrpc: '2.0', id: 3, result: {} });
  assert.is(answer?.status, 400);
  assert.is((answer?.message as { id?: unknown }).id, 3);
});

const Streams = suite('2026-07-28: notifications on the request\'s own stream');

Streams('no log message unless the request sets a level; progress only with a token', async () => {
  const x = new Exchange();
  await x.result(request('tools/call', { name: 'noisy' }));
  assert.equal(x.notifications, [], 'nothing without logLevel or progressToken');
  await x.result(request('tools/call', { name: 'noisy' }, {}, { [META.logLevel]: 'info', progressToken: 'p-1' }));
  assert.equal(x.notifications.map((n) => n.method), ['notifications/message', 'notifications/progress', 'notifications/progress']);
  assert.equal(x.notifications.slice(1).map((n) => (n.params as { progress: number }).progress), [1, 2]);
});

for (const s of [Envelope, Discover, Removed, Streams]) s.run();
