// jsonEqual: the same JSON text once written, member order aside (json-equal.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonEqual } from './json-equal.ts';

const test = suite('json-equal');

/** What JSON.stringify would say of the pair once members are written in one order. */
function sorted(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v));
}

test('member order does not matter; values, types and lengths do', () => {
  assert.ok(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }));
  assert.not.ok(jsonEqual({ a: 1 }, { a: '1' }));
  assert.not.ok(jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.not.ok(jsonEqual({ a: 1, b: 2 }, { a: 1 }));
  assert.not.ok(jsonEqual([1, 2], [2, 1]));
  assert.not.ok(jsonEqual([1], [1, 1]));
  assert.not.ok(jsonEqual([], {}));
  assert.not.ok(jsonEqual({}, []));
  assert.not.ok(jsonEqual(null, {}));
  assert.not.ok(jsonEqual({ a: null }, { a: {} }));
});

test('what JSON leaves out is left out on both sides', () => {
  assert.ok(jsonEqual({ a: 1, skip: undefined }, { a: 1 }));
  assert.ok(jsonEqual({ a: 1 }, { a: 1, skip: undefined, f: () => 1 }));
  assert.ok(jsonEqual([undefined, () => 1], [null, null]));
  assert.not.ok(jsonEqual({ a: undefined }, { a: null }));
  // Inherited members are not written either.
  const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
  child.own = 2;
  assert.ok(jsonEqual(child, { own: 2 }));
});

test('agrees with comparing the written text, members sorted, over generated values', () => {
  // A fixed sequence (no randomness): small nested values of every JSON kind.
  let seed = 7;
  const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const make = (depth: number): unknown => {
    switch (next(depth > 2 ? 4 : 7)) {
      case 0: return next(3);
      case 1: return ['a', 'b', ''][next(3)];
      case 2: return [null, true, false][next(3)];
      case 3: return next(2) ? undefined : 0;
      case 4: return Array.from({ length: next(3) }, () => make(depth + 1));
      default: {
        const out: Record<string, unknown> = {};
        for (const key of ['z', 'a', 'm'].slice(next(3))) out[key] = make(depth + 1);
        return out;
      }
    }
  };
  let equal = 0;
  for (let i = 0; i < 3000; i++) {
    const a = make(0);
    const b = next(2) ? JSON.parse(JSON.stringify({ v: a })).v : make(0);
    const expected = sorted({ v: a }) === sorted({ v: b });
    if (expected) equal++;
    assert.is(jsonEqual(a, b), expected, `${sorted(a)} vs ${sorted(b)}`);
  }
  assert.ok(equal > 1000 && equal < 3000, `both outcomes drawn (${equal} equal)`);
});

test.run();
