// Issue #13 acceptance: every 2026-07-28 example type a server sends
// (../shared/spec/2026-07-28/examples/<Type>) is produced by our server and validates as
// $defs/<Type>. One scripted session over the in-process HTTP handler (MRTR, listen, errors,
// every content kind) collects everything the server sends; each server-sent example type must
// match some value in it. Types only a client sends, and the gaps we do not produce, are
// listed; a listed gap that becomes covered fails the test, so the lists stay exact.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageValidator } from '../conformance/index.ts';
import { resolveSchemaDir } from '../conformance/schema.ts';
import { validateAs } from '../conformance/validate.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/index.ts';
import { envelope, testServer } from './modern-kit.ts';

const VERSION = '2026-07-28';
/** Example types only a client sends (requests, their params, client results and capabilities). */
const CLIENT_ONLY = new Set([
  'CallToolRequest', 'CallToolRequestParams', 'CancelledNotification', 'CancelledNotificationParams', 'ClientCapabilities',
  'CompleteRequest', 'CompleteRequestParams', 'CreateMessageResult', 'DiscoverRequest', 'ElicitResult', 'GetPromptRequest',
  'GetPromptRequestParams', 'InputResponses', 'ListPromptsRequest', 'ListResourceTemplatesRequest', 'ListResourcesRequest',
  'ListRootsResult', 'ListToolsRequest', 'PaginatedRequestParams', 'ReadResourceRequest', 'Root', 'SubscriptionsListenRequest',
]);
/** Server-sent types this session does not produce, and why. */
const GAPS: Record<string, string> = {
  ToolUseContent: 'sampling messages with tool use: our fixtures ask plain text questions',
  ToolResultContent: 'sampling messages with tool results: as ToolUseContent',
};

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
let ids = 0;

/** Everything the server sent: JSON bodies and SSE events, each checked by the schema tap as it came. */
const sent: unknown[] = [];
const tap = createMessageValidator(VERSION);
function received(message: unknown): void {
  assert.equal(tap.validate(message, 'server-to-client'), [], JSON.stringify(message));
  sent.push(message);
}

async function post(h: McpHttpHandler, method: string, params: Record<string, unknown>, caps: Record<string, unknown> = {}, opts: { raw?: string; meta?: Record<string, unknown>; name?: string; version?: string } = {}) {
  const body = opts.raw ?? JSON.stringify({ jsonrpc: '2.0', id: `e-${++ids}`, method, params: { ...params, _meta: envelope(caps, opts.meta) } });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': opts.version ?? VERSION, 'mcp-method': method };
  if (opts.name !== undefined) headers['mcp-name'] = opts.name;
  try { tap.validate(JSON.parse(body), 'client-to-server'); } catch { /* the unparsable body on purpose */ }
  const res = await h.handle(new Request('http://127.0.0.1/mcp', { method: 'POST', headers, body }));
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await res.text();
    const value = text ? JSON.parse(text) : undefined;
    if (value !== undefined) received(value);
    return value;
  }
  const reader = res.body!.getReader();
  let buffer = '';
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, at).split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      buffer = buffer.slice(at + 2);
      if (data) received(JSON.parse(data));
    }
  }
  return undefined;
}

function session() {
  const server = testServer();
  server.tool({ name: 'media', description: 'Every content kind.' }, () => ({ content: [
    { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
    { type: 'resource', resource: { uri: 'test://doc', mimeType: 'text/plain', text: 'the doc' } },
    { type: 'resource_link', uri: 'test://doc', name: 'doc', mimeType: 'text/plain' },
  ] }));
  server.tool({ name: 'asks', description: 'Asks through every input kind.' }, async (_a, ctx) => {
    await Promise.all([
      ctx.elicit({ message: 'Details?', requestedSchema: { type: 'object', properties: {
        ok: { type: 'boolean', title: 'OK', default: true }, n: { type: 'number', title: 'N', minimum: 0, maximum: 10 },
        s: { type: 'string', title: 'S', minLength: 1, maxLength: 20 },
        one: { type: 'string', title: 'One', oneOf: [{ const: '#f00', title: 'Red' }, { const: '#0f0', title: 'Green' }] },
        many: { type: 'array', title: 'Many', items: { anyOf: [{ const: 'a', title: 'A' }, { const: 'b', title: 'B' }] } },
        plain: { type: 'array', title: 'Plain', items: { type: 'string', enum: ['x', 'y'] } },
        single: { type: 'string', title: 'Single', enum: ['p', 'q'] },
      } } }, { key: 'form' }),
      ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://example.com/login', elicitationId: 'e1' } as never, { key: 'url' }),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5, modelPreferences: { hints: [{ name: 'small' }], costPriority: 0.5, speedPriority: 0.5, intelligencePriority: 0.5 } }, { key: 'sample' }),
      ctx.listRoots({ key: 'roots' }),
    ]);
    return 'asked';
  });
  server.resource({ uri: 'test://bytes', name: 'bytes', mimeType: 'application/octet-stream' }, () => new Uint8Array([1, 2, 3]));
  server.resource({ uri: 'test://broken', name: 'broken' }, () => { throw new Error('disk on fire'); });
  server.resourceTemplate({ uriTemplate: 'test://items/{id}', name: 'item' }, (uri) => `item ${uri}`);
  server.prompt({ name: 'rich', description: 'Embeds a resource.' }, () => ({ messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'test://doc', text: 'the doc', mimeType: 'text/plain' } } }] }));
  return { server, h: createMcpHttpHandler(server, { disableHostChecks: true }) };
}

async function script(): Promise<void> {
  const { server, h } = session();
  await tick();
  const all = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };
  await post(h, 'server/discover', {});
  for (const m of ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']) await post(h, m, {});
  await post(h, 'tools/call', { name: 'media' }, {}, { name: 'media' });
  await post(h, 'tools/call', { name: 'noisy' }, {}, { name: 'noisy', meta: { progressToken: 'p', 'io.modelcontextprotocol/logLevel': 'info' } });
  await post(h, 'tools/call', { name: 'asks' }, all, { name: 'asks' });
  await post(h, 'tools/call', { name: 'needs_sampling' }, {}, { name: 'needs_sampling' }); // -32021
  await post(h, 'tools/call', { name: 'echo' }, {}, { name: 'wrong' }); // -32020
  await post(h, 'resources/read', { uri: 'test://doc' }, {}, { name: 'test://doc' });
  await post(h, 'resources/read', { uri: 'test://bytes' }, {}, { name: 'test://bytes' });
  await post(h, 'resources/read', { uri: 'test://missing' }, {}, { name: 'test://missing' }); // -32602
  await post(h, 'resources/read', { uri: 'test://broken' }, {}, { name: 'test://broken' }); // -32603
  await post(h, 'prompts/get', { name: 'rich' }, {}, { name: 'rich' });
  await post(h, 'completion/complete', { ref: { type: 'ref/prompt', name: 'trip' }, argument: { name: 'city', value: 'pa' } });
  await post(h, 'ping', {}); // -32601
  await post(h, 'tools/list', {}, {}, { raw: '{"jsonrpc":"2.0","id":1,"method":' }); // -32700
  await post(h, 'tools/list', {}, {}, { raw: JSON.stringify({ jsonrpc: '2.0', id: 'v', method: 'tools/list', params: { _meta: { ...envelope(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } }), version: '2099-01-01' }); // -32022
  // listen: every list and a resource, then the server closes (SubscriptionsListenResult)
  const listen = post(h, 'subscriptions/listen', { notifications: { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['test://doc'] } });
  await tick(); await tick();
  await post(h, 'tools/call', { name: 'echo', arguments: { text: 'x' } }, {}, { name: 'echo' });
  server.tool({ name: 'late' }, () => 'x');
  server.prompt({ name: 'late' }, () => 'x');
  server.resource({ uri: 'test://late', name: 'late' }, () => 'x');
  await server.resourceUpdated('test://doc');
  for (let i = 0; i < 5; i++) await tick();
  await h.close();
  await listen;
}

const Coverage = suite('2026-07-28 examples the server sends are produced and validate');

Coverage('every server-sent example type matches something our server sent', async () => {
  await script();
  const types = readdirSync(join(resolveSchemaDir(), VERSION, 'examples')).sort();
  const values: unknown[] = [];
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    values.push(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child);
  };
  for (const m of sent) walk(m);
  const missing: string[] = [];
  const covered: string[] = [];
  for (const type of types) {
    if (CLIENT_ONLY.has(type)) continue;
    const found = values.some((v) => validateAs(VERSION, type, v).length === 0);
    if (found) covered.push(type); else missing.push(type);
  }
  assert.equal(missing.sort(), Object.keys(GAPS).sort(), `produced: ${covered.join(', ')}`);
});

Coverage.run();
