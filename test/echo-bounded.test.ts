// A peer's strings are cut in error messages (protocol/jsonrpc.ts quoteMethod: "so a peer
// cannot make us echo megabytes back"), but only unknown method names were. A 2026-07-28
// request with a 3 MB log level, protocol version, tool, prompt or completion name, or a
// body that disagrees with its headers by a 3 MB value, was answered with the whole value
// in the error message (measured over HTTP: 3 000 269 bytes back for a 3 000 000-byte log
// level). Every such echo is now cut at MAX_QUOTED_METHOD_CHARS and says how long it was.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_QUOTED_METHOD_CHARS } from '../protocol/jsonrpc.ts';
import { createModernDispatcher } from '../server/modern/dispatcher.ts';
import type { InboundRequest } from '../transport/http/exchange.ts';
import { checkModernHeaders } from '../transport/http/modern-headers.ts';
import { envelope, request, testServer, VERSION } from './modern-kit.ts';

const test = suite('a peer\'s long strings are cut in error messages');
const BIG = 'x'.repeat(1_000_000);
/** Room for the message's own words around a cut value. */
const MAX_MESSAGE = MAX_QUOTED_METHOD_CHARS + 300;

async function errorOf(message: Record<string, unknown>): Promise<{ code: number; message: string; data?: unknown }> {
  const dispatcher = createModernDispatcher(testServer());
  const answer = await dispatcher.handle(message, { notify: () => {} });
  const error = (answer?.message as { error?: { code: number; message: string; data?: unknown } } | undefined)?.error;
  assert.ok(error, `an error answer, got ${JSON.stringify(answer?.message).slice(0, 200)}`);
  return error;
}

function assertCut(error: { message: string; data?: unknown }, what: string): void {
  assert.ok(error.message.length < MAX_MESSAGE, `${what}: a message of ${error.message.length} characters`);
  assert.match(error.message, /\.\.\. \(\d+ characters\)/, `${what}: says the value was cut: ${error.message}`);
  const data = JSON.stringify(error.data ?? null);
  assert.ok(data.length < MAX_MESSAGE, `${what}: data of ${data.length} characters`);
}

const cases: Array<[string, Record<string, unknown>]> = [
  ['a log level', request('tools/list', {}, {}, { 'io.modelcontextprotocol/logLevel': BIG })],
  ['a protocol version', { jsonrpc: '2.0', id: 'v', method: 'tools/list', params: { _meta: { ...envelope(), 'io.modelcontextprotocol/protocolVersion': `${VERSION}${BIG}` } } }],
  ['a tool name', request('tools/call', { name: BIG, arguments: {} })],
  ['a prompt name', request('prompts/get', { name: BIG })],
  ['a completion\'s prompt name', request('completion/complete', { ref: { type: 'ref/prompt', name: BIG }, argument: { name: 'a', value: '' } })],
  ['a completion\'s resource uri', request('completion/complete', { ref: { type: 'ref/resource', uri: BIG }, argument: { name: 'a', value: '' } })],
  ['a method', request(`x/${BIG}`)],
];
for (const [what, message] of cases) {
  test(`${what} of 1 MB`, async () => assertCut(await errorOf(message), what));
}

function inbound(headers: Record<string, string>): InboundRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', path: '/mcp', header: (name: string) => lower[name] ?? null, headerRecord: () => lower } as unknown as InboundRequest;
}

test('headers that disagree with a 1 MB body value: version, method, name', () => {
  const headers = { 'MCP-Protocol-Version': VERSION, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'echo' };
  const version = checkModernHeaders(inbound(headers), 'tools/call', { name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': BIG } });
  const method = checkModernHeaders(inbound(headers), BIG, { name: 'echo', _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION } });
  const name = checkModernHeaders(inbound(headers), 'tools/call', { name: BIG, _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION } });
  for (const [what, error] of [['version', version], ['method', method], ['name', name]] as const) {
    assert.is(error?.code, -32020, what);
    assertCut(error!, what);
  }
});

test('short values are quoted whole, as before', async () => {
  const error = await errorOf(request('tools/call', { name: 'nope', arguments: {} }));
  assert.is(error.message, 'Unknown tool: nope');
});

test.run();
