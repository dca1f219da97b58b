// Every progress notification echoes its request's progress token, and no bound was set on
// its length: one 3 MB request whose tool reported 200 steps made 600 MB of notifications
// and 8.5 s of the server's CPU (a 200-fold amplification, in-process). A string token longer
// than `maxProgressTokenLength` (default 1 024 characters) is now refused with -32602 before
// the handler runs, in both eras. 2025-11-25 basic/utilities/progress sets no size; the
// bound is ours.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from '../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/http.ts';
import { envelope } from './modern-kit.ts';

const URL_ = 'http://127.0.0.1/mcp';
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function serve(options: { limits?: { maxProgressTokenLength: number }; modern?: { maxProgressTokenLength: number } } = {}): { handler: McpHttpHandler; runs: { n: number } } {
  const runs = { n: 0 };
  const server: McpServer = createServer({ name: 'p', version: '1' }, options.limits ? { limits: options.limits } : {});
  server.tool({ name: 'steps', description: 'three steps' }, async (_a, ctx) => {
    runs.n++;
    for (let i = 1; i <= 3; i++) await ctx.progress(i, 3);
    return 'done';
  });
  return { handler: createMcpHttpHandler(server, { disableHostChecks: true, ...options.modern ? { modern: options.modern } : {} }), runs };
}

async function post(handler: McpHttpHandler, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; messages: any[] }> {
  const res = await handler.handle(new Request(URL_, { method: 'POST', headers: { ...H, ...headers }, body: JSON.stringify(body) }));
  const text = await res.text();
  const messages = text.startsWith('{') ? [JSON.parse(text)] : text.split('\n').filter((l) => l.startsWith('data:') && l.length > 5).map((l) => JSON.parse(l.slice(5)));
  return { status: res.status, messages };
}

/** A 2025-11-25 session; the headers of its requests. */
async function session(handler: McpHttpHandler): Promise<Record<string, string>> {
  const res = await handler.handle(new Request(URL_, { method: 'POST', headers: H, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) }));
  await res.text();
  const headers = { 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  await post(handler, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

const call = (id: string, token: string, meta: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'steps', arguments: {}, _meta: { ...meta, progressToken: token } } });

const test = suite('a progress token is bounded in length');

test('2025: 1 025 characters is -32602 naming the option, the tool not run; 1 024 gets its progress', async () => {
  const { handler, runs } = serve();
  const headers = await session(handler);
  const refused = await post(handler, call('long', 'x'.repeat(1025)), headers);
  assert.is(refused.messages.at(-1).error?.code, -32602, JSON.stringify(refused.messages.at(-1)).slice(0, 200));
  assert.match(refused.messages.at(-1).error.message, /progressToken is 1025 characters long; at most 1024 .*maxProgressTokenLength/);
  assert.is(runs.n, 0, 'the tool ran');
  const served = await post(handler, call('ok', 'y'.repeat(1024)), headers);
  assert.equal(served.messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress), [1, 2, 3]);
  assert.equal(served.messages.at(-1).result?.content, [{ type: 'text', text: 'done' }]);
  await handler.close();
});

test('2025: the limit is the server\'s limits.maxProgressTokenLength', async () => {
  const { handler } = serve({ limits: { maxProgressTokenLength: 4096 } });
  const headers = await session(handler);
  const served = await post(handler, call('ok', 'z'.repeat(4096)), headers);
  assert.equal(served.messages.at(-1).result?.content, [{ type: 'text', text: 'done' }]);
  await handler.close();
});

test('2026-07-28: 1 025 characters is -32602, the tool not run; modern.maxProgressTokenLength raises it', async () => {
  const modern = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'steps' };
  const a = serve();
  const refused = await post(a.handler, call('m1', 'x'.repeat(1025), envelope({})), modern);
  assert.is(refused.messages.at(-1).error?.code, -32602);
  assert.match(refused.messages.at(-1).error.message, /maxProgressTokenLength/);
  assert.is(a.runs.n, 0, 'the tool ran');
  await a.handler.close();
  const b = serve({ modern: { maxProgressTokenLength: 2048 } });
  const served = await post(b.handler, call('m2', 'x'.repeat(2048), envelope({})), modern);
  assert.equal(served.messages.at(-1).result?.content, [{ type: 'text', text: 'done' }]);
  await b.handler.close();
});

test.run();
