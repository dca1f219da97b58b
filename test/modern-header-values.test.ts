// The value rules of the 2026-07-28 request headers on the server (basic/transports/
// streamable-http: value encoding, server validation): a value may hold only visible ASCII,
// space and tab, so any other character is -32020 even when it equals the body's value; the
// `=?base64?` and `?=` markers are lowercase, so an upper-case look-alike is a literal value;
// Mcp-Name and Mcp-Param-* are decoded by the same rules (canonical base64 of UTF-8).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, type McpHttpHandler } from '../server/index.ts';
import { envelope } from './modern-kit.ts';

const ran: string[] = [];
/** A prompt name a client sends as is: plain ASCII that is not the lowercase sentinel. */
const LOOKALIKE = '=?BASE64?SGVsbG8=?=';

function handler(): McpHttpHandler {
  const server = createServer({ name: 'header-values', version: '1' });
  server.tool({
    name: 'route', description: 'Echoes its region.',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } },
  }, (args: { region?: string }) => { ran.push(String(args.region)); return `region ${args.region}`; });
  server.prompt({ name: LOOKALIKE, description: 'A name that looks like the sentinel in upper case.' }, () => 'looked alike');
  return createMcpHttpHandler(server, { disableHostChecks: true });
}

let ids = 0;
async function post(h: McpHttpHandler, method: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const message = { jsonrpc: '2.0', id: ++ids, method, params: { ...params, _meta: envelope() } };
  const res = await h.handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...headers },
  }));
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const Chars = suite('a header value with a character outside visible ASCII, space and tab is -32020');

// What a Node server reads from raw bytes 0xFC and 0x01: the same text as the body's value.
for (const [what, value] of [['a Latin-1 byte (0xFC)', 'Z\xfcrich'], ['a control character (0x01)', 'a\x01b']] as const) {
  Chars(`Mcp-Param-Region with ${what}, equal to the argument`, async () => {
    const h = handler();
    ran.length = 0;
    const sent = await post(h, 'tools/call', { name: 'route', arguments: { region: value } }, { 'mcp-name': 'route', 'mcp-param-region': value });
    assert.is(sent.status, 400, JSON.stringify(sent.body));
    assert.is(sent.body.error.code, -32020);
    assert.match(sent.body.error.message, /Mcp-Param-Region/);
    assert.equal(ran, [], 'the tool never ran');
    await h.close();
  });
}

Chars('Mcp-Name with a Latin-1 byte, equal to the tool name', async () => {
  const h = handler();
  const sent = await post(h, 'tools/call', { name: 'Z\xfcrich' }, { 'mcp-name': 'Z\xfcrich' });
  assert.is(sent.status, 400, JSON.stringify(sent.body));
  assert.is(sent.body.error.code, -32020);
  assert.match(sent.body.error.message, /Mcp-Name/);
  await h.close();
});

Chars('a tab inside a plain value is allowed', async () => {
  const h = handler();
  const sent = await post(h, 'tools/call', { name: 'route', arguments: { region: 'eu\twest' } }, { 'mcp-name': 'route', 'mcp-param-region': 'eu\twest' });
  assert.is(sent.status, 200, JSON.stringify(sent.body));
  await h.close();
});

const Markers = suite('the sentinel markers are lowercase; Mcp-Name is decoded as strictly as Mcp-Param-*');

Markers('an upper-case look-alike of the sentinel is a literal Mcp-Name', async () => {
  const h = handler();
  const sent = await post(h, 'prompts/get', { name: LOOKALIKE }, { 'mcp-name': LOOKALIKE });
  assert.is(sent.status, 200, JSON.stringify(sent.body));
  assert.is(sent.body.result.messages[0].content.text, 'looked alike');
  await h.close();
});

Markers('an upper-case look-alike of the sentinel is a literal Mcp-Param-* value', async () => {
  const h = handler();
  const sent = await post(h, 'tools/call', { name: 'route', arguments: { region: LOOKALIKE } }, { 'mcp-name': 'route', 'mcp-param-region': LOOKALIKE });
  assert.is(sent.status, 200, JSON.stringify(sent.body));
  await h.close();
});

Markers('Mcp-Name with base64 that lacks its padding is -32020, as for Mcp-Param-*', async () => {
  const h = handler();
  const unpadded = `=?base64?${btoa('route').replace(/=+$/, '')}?=`;
  const name = await post(h, 'tools/call', { name: 'route', arguments: { region: 'eu' } }, { 'mcp-name': unpadded, 'mcp-param-region': 'eu' });
  assert.is(name.status, 400, JSON.stringify(name.body));
  assert.is(name.body.error.code, -32020);
  const param = await post(h, 'tools/call', { name: 'route', arguments: { region: 'route' } }, { 'mcp-name': 'route', 'mcp-param-region': unpadded });
  assert.is(param.body.error.code, -32020);
  const padded = await post(h, 'tools/call', { name: 'route', arguments: { region: 'eu' } }, { 'mcp-name': `=?base64?${btoa('route')}?=`, 'mcp-param-region': 'eu' });
  assert.is(padded.status, 200, JSON.stringify(padded.body));
  await h.close();
});

Chars.run();
Markers.run();
