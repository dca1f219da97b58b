// The HTTP entry's authenticate hook (issue #12 item 4): it runs before any session is looked
// up or created, in both eras, and a reply it returns is the answer. Nothing else sees a
// refused request: no session, no handler, no 404 that would tell a stranger which ids exist.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, type McpHttpHandler } from '../server/index.ts';
import { jsonReply } from '../transport/http/exchange.ts';
import { envelope, testServer } from './modern-kit.ts';

const URL_ = 'http://127.0.0.1/mcp';
const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const GOOD = { authorization: 'Bearer good' };

const test = suite('HTTP entry: authenticate before any session lookup');
let h: McpHttpHandler;
const seen: string[] = [];

test.before.each(() => {
  seen.length = 0;
  const server = testServer();
  server.tool({ name: 'hello', description: 'Says hello.' }, () => 'hello');
  h = createMcpHttpHandler(server, {
    disableHostChecks: true,
    async authenticate(request) {
      seen.push(`${request.method} ${request.header('mcp-session-id') ?? '-'}`);
      if (request.header('authorization') === GOOD.authorization) return undefined;
      return jsonReply(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="mcp"' });
    },
  });
});
test.after.each(() => h.close());

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const post = (message: unknown, headers: Record<string, string> = {}) =>
  h.handle(new Request(URL_, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body: JSON.stringify(message) }));

test('a 2025 initialize without credentials gets the hook\'s 401 and opens no session', async () => {
  const res = await post(initialize);
  assert.is(res.status, 401);
  assert.is(res.headers.get('www-authenticate'), 'Bearer realm="mcp"');
  assert.is(res.headers.get('mcp-session-id'), null);
  assert.is(h.sessionCount, 0);
});

test('with credentials the same initialize opens a session', async () => {
  const res = await post(initialize, GOOD);
  assert.is(res.status, 200);
  assert.ok(res.headers.get('mcp-session-id'));
  assert.is(h.sessionCount, 1);
});

test('an unknown session id without credentials gets 401, not 404 (ids are not probed)', async () => {
  const res = await h.handle(new Request(URL_, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': 'no-such-session' } }));
  assert.is(res.status, 401);
  assert.equal(seen, ['GET no-such-session']);
});

test('a 2026-07-28 stateless request is refused the same way, and served with credentials', async () => {
  const call = { jsonrpc: '2.0', id: 'm1', method: 'tools/call', params: { name: 'hello', arguments: {}, _meta: envelope({}) } };
  const modern = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'hello' };
  assert.is((await post(call, modern)).status, 401);
  const ok = await post(call, { ...modern, ...GOOD });
  assert.is(ok.status, 200);
  const body = await ok.json() as { result?: { content?: Array<{ text?: string }> } };
  assert.is(body.result?.content?.[0]?.text, 'hello');
});

test.run();
