// Mcp-Param-* over HTTP (2026-07-28 streamable-http, SEP-2243): the header mirrored from an
// x-mcp-header argument is decoded and compared with the body before the tool runs; a
// missing, malformed or different header is HTTP 400 with -32020. The same cases as the
// official suite's http-custom-header-server-validation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, type McpHttpHandler } from '../server/index.ts';
import { envelope } from './modern-kit.ts';

const ran: string[] = [];

function handler(): McpHttpHandler {
  const server = createServer({ name: 'param-headers', version: '1' });
  server.tool({
    name: 'route', description: 'Echoes its region.',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, page: { type: 'integer', 'x-mcp-header': 'Page' } }, required: ['region'] },
  }, (args: { region: string }) => { ran.push(args.region); return `region ${args.region}`; });
  return createMcpHttpHandler(server, { disableHostChecks: true });
}

let ids = 0;
async function call(h: McpHttpHandler, args: Record<string, unknown>, extra: Record<string, string>): Promise<{ status: number; body: any }> {
  const message = { jsonrpc: '2.0', id: ++ids, method: 'tools/call', params: { name: 'route', arguments: args, _meta: envelope() } };
  const res = await h.handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'route', ...extra },
  }));
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const Accept = suite('Mcp-Param-* headers that match are accepted');

for (const [what, value, header] of [
  ['plain text', 'eu-west', 'eu-west'],
  ['valid =?base64?...?=', 'Hello', `=?base64?${btoa('Hello')}?=`],
  ['base64 text without the sentinel, taken literally', 'SGVsbG8=', 'SGVsbG8='],
  ['a sentinel without its closing ?=, taken literally', '=?base64?SGVsbG8=', '=?base64?SGVsbG8='],
] as const) {
  Accept(what, async () => {
    const h = handler();
    const sent = await call(h, { region: value }, { 'Mcp-Param-Region': header });
    assert.is(sent.status, 200, JSON.stringify(sent.body));
    assert.is(sent.body.result.content[0].text, `region ${value}`);
    await h.close();
  });
}

Accept('an integer argument compares numerically; an absent optional argument needs no header', async () => {
  const h = handler();
  const sent = await call(h, { region: 'eu', page: 3 }, { 'mcp-param-region': 'eu', 'MCP-PARAM-PAGE': '3' });
  assert.is(sent.status, 200, JSON.stringify(sent.body));
  await h.close();
});

const Reject = suite('Mcp-Param-* headers that do not match are -32020, and the tool never runs');

for (const [what, headers, message] of [
  ['a missing header while the body carries the value', {}, /Mcp-Param-Region header is required/],
  ['invalid base64 padding', { 'Mcp-Param-Region': '=?base64?SGVsbG8?=' }, /not valid =\?base64\?/],
  ['non-alphabet base64 characters', { 'Mcp-Param-Region': '=?base64?SGVs!!!bG8=?=' }, /not valid =\?base64\?/],
  ['a different value', { 'Mcp-Param-Region': 'us-east' }, /differs from arguments.region/],
] as const) {
  Reject(what, async () => {
    const h = handler();
    ran.length = 0;
    const sent = await call(h, { region: 'Hello' }, headers);
    assert.is(sent.status, 400);
    assert.is(sent.body.error.code, -32020);
    assert.is(sent.body.id, ids, 'the error echoes the request id');
    assert.match(sent.body.error.message, message);
    assert.equal(ran, []);
    await h.close();
  });
}

Reject('a wrong integer header', async () => {
  const h = handler();
  const sent = await call(h, { region: 'eu', page: 3 }, { 'mcp-param-region': 'eu', 'mcp-param-page': '4' });
  assert.is(sent.status, 400);
  assert.is(sent.body.error.code, -32020);
  await h.close();
});

// An integer compares numerically only from decimal text ("3", "3.0"); exponent text ("1e+06" for
// 1000000) is refused, as the TypeScript SDK 2.4 and Python SDK 2.3 servers refuse it: the client
// MUST send "decimal string representation" (streamable-http: value encoding), and a second
// spelling of one value is a second key for an intermediary that routes or limits on the header.
// The Go SDK's client wrote %g ("1e+06") only on its SEP-2243 branch; v1.7.0 sends decimal.
Reject('an integer header in exponent form, even when numerically equal', async () => {
  for (const [header, page] of [['1e+06', 1_000_000], ['1.234567e+06', 1_234_567], ['3e0', 3]] as const) {
    const h = handler();
    const sent = await call(h, { region: 'eu', page }, { 'mcp-param-region': 'eu', 'mcp-param-page': header });
    assert.is(sent.status, 400, header);
    assert.is(sent.body.error.code, -32020, header);
    await h.close();
  }
});

// streamable-http "Server Behavior for Custom Headers" and "Server Validation": a recognized
// header with invalid characters is refused, and so is a header whose argument the body does
// not carry (absent or null). Both were served: the check skipped a header without a value.
for (const [what, args, headers, message] of [
  ['invalid characters while the optional argument is absent', { region: 'eu' }, { 'mcp-param-region': 'eu', 'mcp-param-page': 'a\x01b' }, /may not hold/],
  ['a header for an absent optional argument', { region: 'eu' }, { 'mcp-param-region': 'eu', 'mcp-param-page': '7' }, /Mcp-Param-Page "7" is sent, but arguments.page is absent/],
  ['a header for a null argument', { region: 'eu', page: null }, { 'mcp-param-region': 'eu', 'mcp-param-page': '7' }, /arguments.page is null/],
] as const) {
  Reject(what, async () => {
    const h = handler();
    ran.length = 0;
    const sent = await call(h, args, headers);
    assert.is(sent.status, 400, JSON.stringify(sent.body));
    assert.is(sent.body.error.code, -32020);
    assert.match(sent.body.error.message, message);
    assert.equal(ran, []);
    await h.close();
  });
}

Accept.run();
Reject.run();
