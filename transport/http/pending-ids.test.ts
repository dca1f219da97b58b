import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PendingIds } from './pending-ids.ts';

test('PendingIds: one id, then a batch of several, as a Set would hold them', () => {
  const p = new PendingIds();
  assert.is(p.size, 0);
  assert.not.ok(p.delete(1));
  p.add(1);
  p.add(1);
  assert.is(p.size, 1);
  assert.not.ok(p.delete('1'), 'ids compare strictly: 1 is not "1"');
  assert.ok(p.delete(1));
  assert.is(p.size, 0);
  assert.equal(p.ids(), []);
  p.add('a');
  p.add(2);
  p.add('a');
  p.add(3);
  assert.equal(p.ids(), ['a', 2, 3]);
  assert.ok(p.delete(2));
  assert.not.ok(p.delete(2));
  assert.equal(p.ids(), ['a', 3]);
  assert.is(p.size, 2);
});

test.run();
