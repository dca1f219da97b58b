// A 2026-07-28 result's JSON text (what the HTTP path writes) is the shaped message's
// serialisation byte for byte, whether spliced from the handler's own result and the
// pre-serialised tail or made from the shaped copy; the handler's result is never changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputRequired, ResultShape } from './result-answer.ts';

const INFO = { name: 'shape-test', version: '1.0.0', title: 'A "quoted" \u2028 title' };

const CASES: Array<[string, string, Record<string, unknown>]> = [
  ['a tool result', 'tools/call', { content: [{ type: 'text', text: 'hi' }], isError: false }],
  ['an empty result', 'prompts/get', {}],
  ['members left undefined', 'tools/call', { content: [], structuredContent: undefined }],
  ['a result with its own _meta', 'tools/call', { content: [], _meta: { 'x.example/trace': 1 } }],
  ['a result naming its type', 'tools/call', { resultType: 'input_required', inputRequests: {}, requestState: 's' }],
  ['a cacheable result', 'tools/list', { tools: [] }],
  ['a cacheable result with its hints', 'resources/read', { contents: [], ttlMs: 5, cacheScope: 'public' }],
  ['a result made by a class', 'tools/call', Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { content: [] })],
  ['numeric keys', 'tools/call', { b: 1, 2: 'two', a: 2, 1: 'one' }],
  ['the dispatcher\'s InputRequiredResult', 'tools/call', new InputRequired({ who: { method: 'elicitation/create', params: { message: 'Name "now"?', requestedSchema: { type: 'object' } } }, roots: { method: 'roots/list' } }, 'v2.eyJjb250In0-_x.AbC_-9')],
  ['an InputRequiredResult of a cacheable method', 'resources/read', new InputRequired({}, 'v2.e30.QQ')],
];

for (const [what, method, result] of CASES) {
  test(`${what}: json() is JSON.stringify(message), the result unchanged`, () => {
    const shape = new ResultShape(INFO, 60_000, 'private');
    const before = JSON.stringify(result);
    const text = shape.answer('id-1', method, result).json();
    assert.is(JSON.stringify(result), before, 'the handler\'s result is not changed');
    const read = shape.answer('id-1', method, result);
    assert.is(text, JSON.stringify(read.message));
    // Read after the message, it serialises that message.
    assert.is(read.json(), text);
    const parsed = JSON.parse(text) as { result: Record<string, any> };
    assert.equal(parsed.result._meta['io.modelcontextprotocol/serverInfo'], INFO);
    assert.ok(parsed.result.resultType === (result.resultType ?? 'complete'));
  });
}

test('numeric ids are written as numbers', () => {
  const shape = new ResultShape(INFO, 0, 'private');
  assert.ok(shape.answer(7, 'tools/call', { content: [] }).json().startsWith('{"jsonrpc":"2.0","id":7,"result":{"content":[],"resultType":"complete",'));
});

test.run();
