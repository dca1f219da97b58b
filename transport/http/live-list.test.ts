// The list of running exchanges (live-list.ts) keeps what was added and not yet removed, in
// order, whatever the order of removals; removing twice is harmless; `values` is a copy that
// a caller may walk while it removes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LiveList } from './live-list.ts';

const list = suite('live list: holds what was added and not removed, in order');

list('removals from the front, the middle and the end leave the rest in order', () => {
  const live = new LiveList<string>();
  const entries = ['a', 'b', 'c', 'd', 'e'].map((v) => live.add(v));
  live.remove(entries[2]!);
  assert.equal(live.values(), ['a', 'b', 'd', 'e']);
  live.remove(entries[0]!);
  live.remove(entries[4]!);
  assert.equal(live.values(), ['b', 'd']);
  assert.is(live.size, 2);
  live.add('f');
  assert.equal(live.values(), ['b', 'd', 'f']);
});

list('removing an entry twice changes nothing; an emptied list takes new values', () => {
  const live = new LiveList<number>();
  const one = live.add(1);
  const two = live.add(2);
  live.remove(one);
  live.remove(one);
  assert.equal(live.values(), [2]);
  live.remove(two);
  assert.is(live.size, 0);
  assert.equal(live.values(), []);
  live.add(3);
  assert.equal(live.values(), [3]);
});

list('values is a copy: removing while walking it reaches every value', () => {
  const live = new LiveList<number>();
  const entries = [1, 2, 3].map((v) => live.add(v));
  const seen: number[] = [];
  for (const value of live.values()) {
    seen.push(value);
    for (const entry of entries) live.remove(entry);
  }
  assert.equal(seen, [1, 2, 3]);
  assert.is(live.size, 0);
});

list.run();
