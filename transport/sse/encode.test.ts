import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError } from '../../protocol/index.ts';
import { encodeSseComment, encodeSseEvent, encodeSseJson, encodeSseMessage, encodeSsePriming } from './encode.ts';

function throwsProtocol(fn: () => unknown, label: string): void {
  try {
    fn();
  } catch (error) {
    assert.instance(error, McpError, label);
    assert.is((error as McpError).code, 'MCP_ERR_PROTOCOL', label);
    return;
  }
  assert.unreachable(`${label}: did not throw`);
}

const fields = suite('encodeSseEvent writes each field and ends with a blank line');

fields('all fields, in a fixed order', () => {
  assert.is(encodeSseEvent({ id: 'a.1', event: 'note', data: 'x', retry: 500 }), 'event: note\nid: a.1\nretry: 500\ndata: x\n\n');
});

fields('multi-line data becomes one data line per line, whatever the line ending', () => {
  assert.is(encodeSseEvent({ data: 'a\nb\r\nc\rd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
  assert.is(encodeSseEvent({ data: 'a\n\nb\n' }), 'data: a\ndata:\ndata: b\ndata:\n\n');
});

fields('empty data is one empty data line; no data is no data line', () => {
  assert.is(encodeSseEvent({ data: '' }), 'data:\n\n');
  assert.is(encodeSseEvent({ id: 'x' }), 'id: x\n\n');
});

const invalid = suite('encodeSseEvent refuses values that would break framing');

invalid('ids with CR, LF or NUL', () => {
  for (const id of ['a\nb', 'a\rb', 'a\0b', '\n', '\rab', 'ab\0', `${'x'.repeat(40)}\n`]) {
    throwsProtocol(() => encodeSseEvent({ id, data: 'x' }), JSON.stringify(id));
    throwsProtocol(() => encodeSseMessage({ jsonrpc: '2.0', method: 'm' }, id), `message ${JSON.stringify(id)}`);
    throwsProtocol(() => encodeSsePriming(id), `priming ${JSON.stringify(id)}`);
  }
});

invalid('ids with other control characters, or code units that only end in 0x0a, 0x0d or 0x00, pass', () => {
  for (const id of ['a\tb', 'a\u000bb', 'a\u2028b', '\u010a', '\u0d0d', '\u0100', 'é日😀', '']) {
    assert.is(encodeSseMessage({ jsonrpc: '2.0', method: 'm' }, id), `id: ${id}\ndata: {"jsonrpc":"2.0","method":"m"}\n\n`, JSON.stringify(id));
    assert.is(encodeSsePriming(id), `id: ${id}\ndata:\n\n`, `priming ${JSON.stringify(id)}`);
  }
});

invalid('event types with line breaks, and bad retry values', () => {
  throwsProtocol(() => encodeSseEvent({ event: 'a\nb', data: 'x' }), 'event');
  for (const retry of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    throwsProtocol(() => encodeSseEvent({ data: 'x', retry }), `retry ${retry}`);
  }
  throwsProtocol(() => encodeSsePriming('a', -5), 'priming retry');
});

const message = suite('encodeSseMessage puts a JSON-RPC message on one data line');

message('newlines inside strings stay escaped', () => {
  const msg = { jsonrpc: '2.0' as const, method: 'notifications/message', params: { text: 'line1\nline2\r\n' } };
  const out = encodeSseMessage(msg, 'tok.7');
  assert.is(out, `id: tok.7\ndata: ${JSON.stringify(msg)}\n\n`);
  assert.is(out.split('\n').length, 4);
  assert.is(encodeSseMessage(msg), `data: ${JSON.stringify(msg)}\n\n`);
});

message('encodeSseJson frames text already serialized, checking the id', () => {
  assert.is(encodeSseJson('{"a":1}', 'tok.3'), 'id: tok.3\ndata: {"a":1}\n\n');
  assert.is(encodeSseJson('{"a":1}'), 'data: {"a":1}\n\n');
  throwsProtocol(() => encodeSseJson('{}', 'a\nb'), 'id with LF');
});

const comment = suite('encodeSseComment and encodeSsePriming');

comment('a keep-alive comment', () => {
  assert.is(encodeSseComment('keep-alive'), ': keep-alive\n\n');
  assert.is(encodeSseComment(), ':\n\n');
  assert.is(encodeSseComment('a\nb'), ': a\n: b\n\n');
});

comment('the priming event has an id and empty data, and an optional retry', () => {
  assert.is(encodeSsePriming('tok.0'), 'id: tok.0\ndata:\n\n');
  assert.is(encodeSsePriming('tok.0', 2000), 'id: tok.0\nretry: 2000\ndata:\n\n');
});

fields.run();
invalid.run();
message.run();
comment.run();
