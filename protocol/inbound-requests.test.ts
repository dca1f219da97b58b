import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createInboundRequests } from './inbound-requests.ts';

const table = suite('inbound requests: one in flight in fields, several in a map');

table('a duplicate id is refused whether one or several are in flight', () => {
  const t = createInboundRequests();
  assert.ok(t.begin(1, 'tools/call'));
  assert.is(t.begin(1, 'tools/call'), undefined);
  assert.ok(t.begin('2', 'tools/call'));
  assert.is(t.begin(1, 'tools/call'), undefined);
  assert.is(t.begin('2', 'tools/call'), undefined);
  assert.is(t.size, 2);
});

table('ending requests in any order leaves the others tracked, then none', () => {
  const t = createInboundRequests();
  t.begin(1, 'a');
  t.begin(2, 'b');
  t.begin(3, 'c');
  assert.is(t.end(2), false);
  assert.is(t.end(2), false, 'an ended id is unknown');
  assert.is(t.size, 2);
  assert.is(t.cancel(3, 'stop'), true);
  assert.is(t.end(3), true, 'a cancelled request has its response withheld');
  assert.is(t.end(1), false);
  assert.is(t.size, 0);
  assert.ok(t.begin(1, 'a'), 'an id may be reused once it ended');
  assert.is(t.size, 1);
});

table('cancel reaches the one request in flight; initialize is never cancelled', () => {
  const t = createInboundRequests();
  const init = t.begin(0, 'initialize')!;
  assert.is(t.cancel(0, 'no'), false);
  assert.is(init.aborted, false);
  assert.is(t.end(0), false);
  const call = t.begin(7, 'tools/call')!;
  assert.is(t.cancel(8, 'other id'), false);
  assert.is(t.cancel(7, 'user'), true);
  assert.is(call.aborted, true);
  assert.is(call.signal.aborted, true);
});

table('abortAll aborts every handler, one or several, and empties the table', () => {
  for (const count of [1, 3]) {
    const t = createInboundRequests();
    const entries = Array.from({ length: count }, (_, i) => t.begin(i, 'tools/call')!);
    t.abortAll(new Error('closed'));
    assert.is(t.size, 0);
    for (const e of entries) {
      assert.is(e.cancelled, true);
      assert.is((e.signal.reason as Error).message, 'closed');
    }
  }
});

table.run();
