// A key the host adds to a call (call-resend.ts) is never shown where the call is named:
// before, the calls left in flight, history and remembered tasks showed `"idempotencyKey":"host-…"`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argsText, describeEntry, shownArgs } from './call-args.ts';

const args = suite('a call\'s arguments as shown');

args('the idempotency key is left out, the rest kept in order; none at all is empty', () => {
  assert.is(argsText({ destination: 'Tokyo', idempotencyKey: 'host-1', travellers: 2 }), ' {"destination":"Tokyo","travellers":2}');
  assert.is(argsText({ idempotencyKey: 'host-1' }), '');
  assert.is(argsText({}), '');
  assert.equal(shownArgs({ a: 1, idempotencyKey: 'k' }), { a: 1 });
});

args('a call left in flight is described without it', () => {
  const entry = { requestId: 3, method: 'tools/call', params: { name: 'travel_agent', arguments: { destination: 'Tokyo', idempotencyKey: 'host-e3e5' } }, startedAt: 0 };
  assert.is(describeEntry(entry as Parameters<typeof describeEntry>[0]), 'travel_agent {"destination":"Tokyo"}');
});

args.run();
