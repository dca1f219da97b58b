// x-mcp-header declarations (2026-07-28 streamable-http, SEP-2243): which are refused at
// registration, and how an Mcp-Param-* header is decoded and compared with the arguments.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../protocol/index.ts';
import { createServer } from '../server.ts';
import { headerParams } from './param-headers.ts';
import { decodeHeaderValue as decodeParamValue, encodeHeaderValue } from '../../protocol/header-value.ts';
import { checkParamHeaders } from './param-header-check.ts';

const Declarations = suite('x-mcp-header declarations');

Declarations('a string, integer or boolean property reached through properties is a header, nested ones included', () => {
  const params = headerParams('t', {
    type: 'object',
    properties: {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      page: { type: 'integer', 'x-mcp-header': 'Page' },
      opts: { type: 'object', properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' } } },
      plain: { type: 'string', default: { 'x-mcp-header': 'data, not a schema' } },
    },
  });
  assert.equal(params, [
    { header: 'Region', path: ['region'], type: 'string' },
    { header: 'Page', path: ['page'], type: 'integer' },
    { header: 'Dry-Run', path: ['opts', 'dry'], type: 'boolean' },
  ]);
});

const refused: Array<[string, Record<string, unknown>, RegExp]> = [
  ['an empty name', { properties: { a: { type: 'string', 'x-mcp-header': '' } } }, /not a non-empty header token/],
  ['a name with a space', { properties: { a: { type: 'string', 'x-mcp-header': 'My Header' } } }, /header token/],
  ['a non-string name', { properties: { a: { type: 'string', 'x-mcp-header': 7 } } }, /header token/],
  ['a number property', { properties: { a: { type: 'number', 'x-mcp-header': 'A' } } }, /string, integer or boolean/],
  ['an object property', { properties: { a: { type: 'object', 'x-mcp-header': 'A' } } }, /string, integer or boolean/],
  ['a duplicate, case-insensitively', { properties: { a: { type: 'string', 'x-mcp-header': 'Key' }, b: { type: 'string', 'x-mcp-header': 'KEY' } } }, /also declared as "Key"/],
  ['a property under items', { properties: { a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } } }, /chain of "properties"/],
  ['a property under anyOf', { properties: { a: { anyOf: [{ type: 'string', 'x-mcp-header': 'A' }] } } }, /chain of "properties"/],
  ['a property in $defs', { $defs: { x: { type: 'string', 'x-mcp-header': 'A' } }, properties: {} }, /chain of "properties"/],
  ['properties under anyOf', { anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }, /chain of "properties"/],
  ['the schema root', { 'x-mcp-header': 'A', properties: {} }, /chain of "properties"/],
];
for (const [what, schema, message] of refused) {
  Declarations(`registering a tool with ${what} fails with a clear MCP_ERR_VALIDATION`, () => {
    const server = createServer({ name: 's', version: '1' });
    try {
      server.tool({ name: 'bad_tool', inputSchema: { type: 'object', ...schema } as never }, () => 'x');
      assert.unreachable('registered');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
      assert.match((error as Error).message, /tool bad_tool: invalid x-mcp-header/);
      assert.match((error as Error).message, message);
    }
    assert.is(server.getTool('bad_tool'), undefined);
  });
}

const Values = suite('Mcp-Param-* values');

Values('=?base64?...?= is decoded as UTF-8; anything else is literal text, trimmed', () => {
  assert.is(decodeParamValue('=?base64?SGVsbG8=?='), 'Hello');
  assert.is(decodeParamValue('=?base64?' + btoa(String.fromCharCode(...new TextEncoder().encode('Zürich'))) + '?='), 'Zürich');
  assert.is(decodeParamValue('  plain  '), 'plain');
  assert.is(decodeParamValue('SGVsbG8='), 'SGVsbG8=', 'no sentinel: literal');
  assert.is(decodeParamValue('=?base64?SGVsbG8='), '=?base64?SGVsbG8=', 'no closing ?=: literal');
});

Values('bad padding, foreign characters and non-UTF-8 bytes are undecodable', () => {
  assert.is(decodeParamValue('=?base64?SGVsbG8?='), undefined);
  assert.is(decodeParamValue('=?base64?SGVs!!!bG8=?='), undefined);
  assert.is(decodeParamValue('=?base64?SGVsbG8===?='), undefined);
  assert.is(decodeParamValue('=?base64?/w==?='), undefined, '0xff is not UTF-8');
});

Values('a character outside visible ASCII, space and tab is undecodable; upper-case markers are literal', () => {
  assert.is(decodeParamValue('Z\xfcrich'), undefined);
  assert.is(decodeParamValue('a\x01b'), undefined);
  assert.is(decodeParamValue('a\rb'), undefined);
  assert.is(decodeParamValue('eu\twest'), 'eu\twest');
  assert.is(decodeParamValue('=?BASE64?SGVsbG8=?='), '=?BASE64?SGVsbG8=?=');
});

Values('what the client encodes, the server decodes to the same text', () => {
  for (const text of ['us-west1', 'Hello, 世界', ' padded ', 'line1\nline2', '=?base64?literal?=', '=?BASE64?SGk=?=', 'a\tb', '']) {
    const sent = encodeHeaderValue(text);
    assert.ok(/^[\x20-\x7e]*$/.test(sent), `${JSON.stringify(sent)} is plain ASCII`);
    assert.is(decodeParamValue(sent), text);
  }
  // The spec's table (value encoding): the exact forms.
  assert.is(encodeHeaderValue('Hello, 世界'), '=?base64?SGVsbG8sIOS4lueVjA==?=');
  assert.is(encodeHeaderValue('=?base64?literal?='), '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
});

const params = headerParams('t', { type: 'object', properties: {
  region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer', 'x-mcp-header': 'N' }, on: { type: 'boolean', 'x-mcp-header': 'On' },
} });
const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

Values('matching headers pass; integers compare numerically; absent or null arguments need no header', () => {
  assert.is(checkParamHeaders(params, { region: 'eu', n: 42, on: false }, headers({ 'mcp-param-region': 'eu', 'mcp-param-n': '42.0', 'mcp-param-on': 'false' })), undefined);
  assert.is(checkParamHeaders(params, { region: null }, headers({})), undefined);
  assert.is(checkParamHeaders(params, undefined, headers({})), undefined);
});

Values('a missing, undecodable or different header is -32020 naming the header', () => {
  const missing = checkParamHeaders(params, { region: 'eu' }, headers({}));
  assert.is(missing?.code, ErrorCode.HeaderMismatch);
  assert.match(missing!.message, /Mcp-Param-Region header is required/);
  assert.is(checkParamHeaders(params, { region: 'eu' }, headers({ 'mcp-param-region': '=?base64?ZXU?=' }))?.code, ErrorCode.HeaderMismatch);
  const differs = checkParamHeaders(params, { n: 42 }, headers({ 'mcp-param-n': '43' }));
  assert.match(differs!.message, /Mcp-Param-N "43" differs from arguments.n 42/);
  assert.is(checkParamHeaders(params, { on: true }, headers({ 'mcp-param-on': 'TRUE' }))?.code, ErrorCode.HeaderMismatch);
});

Declarations.run();
Values.run();
