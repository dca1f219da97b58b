import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestRoutes } from './request-routes.ts';

test('RequestRoutes: one route in fields, several in a Map, as a Map would hold them', () => {
  const r = new RequestRoutes<string>();
  assert.is(r.size, 0);
  assert.is(r.get(1), undefined);
  r.set(1, 'a');
  r.set(1, 'b');
  assert.is(r.size, 1);
  assert.is(r.get(1), 'b');
  assert.not.ok(r.has('1'), 'ids compare strictly: 1 is not "1"');
  assert.not.ok(r.delete(2));
  assert.ok(r.delete(1));
  assert.is(r.size, 0);
  assert.equal(r.values(), []);
  r.set('x', 'a');
  r.set(2, 'b');
  r.set(3, 'c');
  assert.equal(r.values(), ['a', 'b', 'c']);
  assert.ok(r.has('x'));
  assert.ok(r.delete(2));
  assert.is(r.get(2), undefined);
  assert.equal(r.values(), ['a', 'c']);
  assert.is(r.size, 2);
});

test.run();
