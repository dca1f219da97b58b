import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_COMPLETION_VALUES, toCompletion } from './completion-handler.ts';

const cap = suite('completion: the 100-value cap');

const list = (n: number) => Array.from({ length: n }, (_, i) => String(i));

cap('up to 100 values pass with total = count and hasMore false', () => {
  assert.is(MAX_COMPLETION_VALUES, 100);
  assert.equal(toCompletion([]), { values: [], total: 0, hasMore: false });
  assert.equal(toCompletion(list(100)), { values: list(100), total: 100, hasMore: false });
});

cap('beyond 100 the first 100 are kept, total counts all and hasMore is true', () => {
  assert.equal(toCompletion(list(101)), { values: list(100), total: 101, hasMore: true });
});

cap('a completer may state a larger total or hasMore itself; a smaller total is corrected', () => {
  assert.equal(toCompletion({ values: ['a'], total: 40 }), { values: ['a'], total: 40, hasMore: true });
  assert.equal(toCompletion({ values: ['a'], hasMore: true }), { values: ['a'], total: 1, hasMore: true });
  assert.equal(toCompletion({ values: list(3), total: 1 }), { values: list(3), total: 3, hasMore: false });
});

cap('anything but strings is refused', () => {
  assert.throws(() => toCompletion([1] as never), /array of strings/);
  assert.throws(() => toCompletion({ values: 'a' } as never), /array of strings/);
  assert.throws(() => toCompletion(undefined as never), /array of strings/);
});

cap.run();
