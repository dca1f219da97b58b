// A re-run's questions matched with what a previous process recorded (server-inflight-inputs.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonRpcRequest } from '../../protocol/index.ts';
import { matchQuestion, type InputBook } from './server-inflight-inputs.ts';
import type { InflightRecord, RecordedInput } from './server-session-record.ts';

const test = suite('server-inflight-inputs');

/** A record as a restarted process reads it: one call that asked one question, answered. */
function recovered(params: unknown): { book: InputBook; record: InflightRecord } {
  const input: RecordedInput = {
    call: 'c1', id: 7, method: 'elicitation/create', params,
    answer: { result: { action: 'accept', content: { size: 'L' } } },
  };
  // Read back from disk: JSON's own copy, as the store gives it.
  const record = JSON.parse(JSON.stringify({ streamId: 's', token: 't', requests: [], inputs: [input] })) as InflightRecord;
  return { book: { inherited: new Set(record.inputs), asked: new Map(), aliases: new Map() }, record };
}

const ask = (params: Record<string, unknown>): JsonRpcRequest => ({ jsonrpc: '2.0', id: 1, method: 'elicitation/create', params });

test('the same question built with its members in another order reuses the recorded answer', () => {
  const { book, record } = recovered({ message: 'Size?', requestedSchema: { type: 'object', properties: {} } });
  // The re-run's handler builds the same params, members in another order and one left undefined
  // (what JSON would not have written): the client was already asked this.
  const outcome = matchQuestion(book, record, 'c1', ask({ requestedSchema: { properties: {}, type: 'object' }, message: 'Size?', note: undefined }));
  assert.equal(outcome, { kind: 'answered', answer: { result: { action: 'accept', content: { size: 'L' } } } });
  assert.is(record.inputs?.length, 1, 'nothing new recorded');
});

test('a different question drops what was recorded after that point and is recorded new', () => {
  const { book, record } = recovered({ message: 'Size?' });
  assert.is(matchQuestion(book, record, 'c1', ask({ message: 'Colour?' })), undefined);
  assert.equal(record.inputs?.map((i) => i.params), [{ message: 'Colour?' }]);
  assert.is(book.inherited?.size, 0);
});

test.run();
