// The stdio ledger of open requests (inflight.ts): answers owed are counted the same whether
// one request is open (kept without a Map) or several are (kept in one), a reused id is owed
// once per use, and a cancelled request is owed nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createInflightLedger } from './inflight.ts';

const ledger = suite('stdio ledger of open requests');

const request = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'tools/call' });
const answer = (id: number | string) => ({ jsonrpc: '2.0' as const, id, result: {} });

ledger('one request at a time: owed, then settled by its answer, and by nothing else', () => {
  const l = createInflightLedger();
  for (let id = 1; id <= 3; id++) {
    l.received(request(id));
    assert.is(l.answering, 1);
    assert.is(l.sent(answer(id + 100)), false, 'an answer to another id settles nothing');
    assert.is(l.answering, 1);
    assert.is(l.sent(answer(id)), true);
    assert.is(l.answering, 0);
    assert.is(l.sent(answer(id)), false, 'a second answer to the same id settles nothing');
  }
});

ledger('several open, answered out of order, then one again', () => {
  const l = createInflightLedger();
  l.received(request(1));
  l.received(request('a'));
  l.received(request(3));
  assert.is(l.answering, 3);
  assert.is(l.sent(answer('a')), true);
  assert.is(l.sent(answer(1)), true);
  assert.is(l.answering, 1);
  assert.is(l.sent(answer(1)), false);
  assert.is(l.sent(answer(3)), true);
  assert.is(l.answering, 0);
  l.received(request(4));
  assert.is(l.sent([answer(4)]), true, 'an answer in a batch settles too');
  assert.is(l.answering, 0);
});

ledger('a reused id is owed once per use, with one or several open', () => {
  const l = createInflightLedger();
  l.received(request(7));
  l.received(request(7));
  assert.is(l.answering, 2);
  assert.is(l.sent(answer(7)), true);
  assert.is(l.answering, 1);
  assert.is(l.sent(answer(7)), true);
  assert.is(l.answering, 0);
  assert.is(l.sent(answer(7)), false);
});

ledger('a cancelled request is owed nothing; an id the transport handed up is owed', () => {
  const l = createInflightLedger();
  l.received(request(1));
  l.received({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
  assert.is(l.answering, 0);
  l.expect(2);
  l.received(request(3));
  l.received({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } });
  assert.is(l.answering, 1);
  assert.is(l.sent(answer(3)), true);
  assert.is(l.answering, 0);
});

ledger('our own requests: asked until answered, then forgotten', () => {
  const l = createInflightLedger();
  assert.is(l.sent({ jsonrpc: '2.0', id: 9, method: 'roots/list' }), false);
  assert.is(l.sent({ jsonrpc: '2.0', id: 10, method: 'roots/list' }), false);
  l.received({ jsonrpc: '2.0', id: 9, result: {} });
  assert.equal(l.takeAsked(), [10]);
  assert.equal(l.takeAsked(), []);
});

ledger.run();
