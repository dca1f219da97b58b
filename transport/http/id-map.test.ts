import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IdMap } from './id-map.ts';

test('IdMap: one entry in fields, several in a Map, as a Map would hold them', () => {
  const m = new IdMap<string>();
  assert.is(m.size, 0);
  assert.is(m.get(1), undefined);
  assert.not.ok(m.delete(1));
  m.set(1, 'a');
  m.set(1, 'b');
  assert.is(m.size, 1);
  assert.is(m.get(1), 'b');
  assert.not.ok(m.has('1'), 'ids compare strictly: 1 is not "1"');
  assert.not.ok(m.delete('1'));
  assert.ok(m.delete(1));
  assert.is(m.size, 0);
  assert.equal(m.values(), []);
  assert.equal(m.keys(), []);
  m.set('x', 'a');
  m.set(2, 'b');
  m.set('x', 'a2');
  m.set(3, 'c');
  assert.equal(m.keys(), ['x', 2, 3]);
  assert.equal(m.values(), ['a2', 'b', 'c']);
  assert.ok(m.has('x'));
  assert.ok(m.delete(2));
  assert.not.ok(m.delete(2));
  assert.is(m.get(2), undefined);
  assert.equal(m.values(), ['a2', 'c']);
  assert.is(m.size, 2);
});

test.run();
