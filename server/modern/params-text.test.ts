/**
 * The canonical params text that a requestState's MAC covers (request-state.ts): equal params
 * give equal text whatever their key order, the envelope and the round's own fields are not
 * part of it, and the text is byte-stable (a state sealed by one instance is opened by
 * another, possibly of another build).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { paramsText } from './request-state.ts';

const test = suite('modern params text');

test('keys are sorted at every depth, so key order does not change the text', () => {
  const a = paramsText({ name: 'echo', arguments: { z: 1, a: { y: [1, { d: 2, c: 3 }], b: 'x' } } });
  const b = paramsText({ arguments: { a: { b: 'x', y: [1, { c: 3, d: 2 }] }, z: 1 }, name: 'echo' });
  assert.is(a, b);
  assert.is(a, '{"arguments":{"a":{"b":"x","y":[1,{"c":3,"d":2}]},"z":1},"name":"echo"}');
});

test('_meta, inputResponses and requestState are left out at the top level only', () => {
  const text = paramsText({
    name: 't', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }, inputResponses: { k: {} }, requestState: 'v2.x.y',
    arguments: { _meta: 1, requestState: 2 },
  });
  assert.is(text, '{"arguments":{"_meta":1,"requestState":2},"name":"t"}');
});

test('undefined members are dropped; strings, numbers, null and nested arrays are JSON', () => {
  const text = paramsText({ uri: 'file:///a "b"', gone: undefined, arguments: { n: null, list: [[], [0.5, 'é']], t: true } });
  assert.is(text, '{"arguments":{"list":[[],[0.5,"é"]],"n":null,"t":true},"uri":"file:///a \\"b\\""}');
});

test('keys sort by UTF-16 code unit, as before (states sealed by older instances still open)', () => {
  assert.is(paramsText({ b: 1, B: 2, é: 3, a: 4 }), '{"B":2,"a":4,"b":1,"é":3}');
});

test.run();
