import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classify, classifyPayload, parseJson, UnparsablePayload, makeErrorResponse } from './jsonrpc.ts';
import { ErrorCode } from './errors.ts';

const codec = suite('jsonrpc codec classifies one payload');

codec('a request, a notification and both response kinds are recognised', () => {
  assert.is(classify({ jsonrpc: '2.0', id: 1, method: 'ping' }).kind, 'request');
  assert.is(classify({ jsonrpc: '2.0', id: 'a', method: 'x', params: {} }).kind, 'request');
  assert.is(classify({ jsonrpc: '2.0', method: 'notifications/initialized' }).kind, 'notification');
  assert.is(classify({ jsonrpc: '2.0', id: 1, result: {} }).kind, 'response');
  assert.is(classify({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } }).kind, 'response');
});

codec('invalid JSON becomes -32700 with no id', () => {
  const p = classifyPayload(parseJson('{"jsonrpc":'));
  assert.ok(!p.batch);
  if (p.batch || p.item.kind !== 'invalid') throw new Error('expected invalid');
  assert.is(p.item.error.code, ErrorCode.ParseError);
  assert.is(p.item.id, null);
  assert.ok(parseJson('nope') instanceof UnparsablePayload);
});

for (const [label, value, id] of [
  ['a string', '"hello"', null],
  ['a number', '42', null],
  ['wrong jsonrpc', '{"jsonrpc":"1.0","id":7,"method":"ping"}', 7],
  ['missing jsonrpc', '{"id":7,"method":"ping"}', 7],
  ['a null id', '{"jsonrpc":"2.0","id":null,"method":"ping"}', null],
  ['a fractional id', '{"jsonrpc":"2.0","id":1.5,"method":"ping"}', null],
  ['a boolean id', '{"jsonrpc":"2.0","id":true,"method":"ping"}', null],
  ['a numeric method', '{"jsonrpc":"2.0","id":3,"method":5}', 3],
  ['array params', '{"jsonrpc":"2.0","id":3,"method":"x","params":[1]}', 3],
  ['no method, result or error', '{"jsonrpc":"2.0","id":3}', 3],
] as const) {
  codec(`${label} is -32600 with the id when readable`, () => {
    const p = classifyPayload(parseJson(value));
    if (p.batch || p.item.kind !== 'invalid') throw new Error(`expected invalid for ${value}`);
    assert.is(p.item.error.code, ErrorCode.InvalidRequest);
    assert.is(p.item.id, id);
  });
}

codec('arrays are batches; an empty array is invalid', () => {
  const p = classifyPayload([{ jsonrpc: '2.0', id: 1, method: 'a' }, 5]);
  assert.ok(p.batch);
  if (!p.batch) return;
  assert.equal(p.items.map((i) => i.kind), ['request', 'invalid']);
  const e = classifyPayload([]);
  assert.ok(!e.batch && e.item.kind === 'invalid');
});

codec('an unreadable id is omitted from the error response, not sent as null', () => {
  assert.equal(makeErrorResponse(null, { code: -32600, message: 'x' }), { jsonrpc: '2.0', error: { code: -32600, message: 'x' } });
  assert.equal(makeErrorResponse(4, { code: -32600, message: 'x' }).id, 4);
});

codec('an unreadable request id is refused saying what is wrong with it', () => {
  const messageFor = (id: unknown) => {
    const inbound = classify({ jsonrpc: '2.0', id, method: 'ping' });
    assert.is(inbound.kind, 'invalid');
    return inbound.kind === 'invalid' ? inbound.error.message : '';
  };
  assert.match(messageFor(null), /never null/);
  assert.match(messageFor(1e308), /at most 2\^53 - 1 in size, got 1e\+308/);
  assert.match(messageFor(2 ** 53), /at most 2\^53 - 1 in size, got 9007199254740992/);
  assert.match(messageFor(1.5), /got 1\.5$/);
  assert.match(messageFor([1]), /got an array$/);
  assert.match(messageFor({}), /got object$/);
});

codec.run();
