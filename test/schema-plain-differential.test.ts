// The plain validator (server/schema-plain.ts, schema-plain-meta.ts) against the ajv engine it
// stands in for (server/schema-ajv.ts, the server's options): for generated plain schemas,
// valid and not, and generated values, both must refuse a schema with the same message, and
// answer every value with the same error lines. Seeded and bounded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAjvCompiler } from '../server/schema-ajv.ts';
import type { Dialect } from '../server/schema-dialect-names.ts';
import { loadFormats } from '../server/schema-formats.ts';
import { isPlainSchema } from '../server/schema-plain-meta.ts';
import { createSchemaValidator, DIALECT_DRAFT_07 } from '../server/validation.ts';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261205;
const SCHEMAS = 500;
const VALUES_PER_SCHEMA = 12;

const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const chance = (p: number) => rnd() < p;

// Property names: ordinary ones, pointer escapes, integer-like ones, and Object.prototype's members.
const KEYS = ['a', 'b', 'text', 'a/b', 'x~y', '0', '10', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
// const / enum objects avoid the members ajv's deep equality reads through (see the suite below).
const VALUE_KEYS = ['a', 'b', '0', '__proto__'];
const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];
const STRINGS = ['', 'a', 'ab', 'abc', '😀', '😀😀', 'a😀', '\ud800', '\ud800a', 'e\u0301', 'économie', 'x'.repeat(5), 'a@example.com', '2020-01-01', '2020-01-01T00:00:00Z', 'https://example.com/a', '1.2.3.4'];
const FORMATS = ['email', 'date', 'date-time', 'uri', 'ipv4', 'uuid', 'int32', 'float', 'password', 'no-such-format'];
const NUMBERS = [0, -0, 1, -1, 1.5, 2, 3, 5, 10, 1e21, -2.5, 0.1, 2 ** 53, 2 ** 31];

const object = (entries: Array<[string, unknown]>) => Object.fromEntries(entries); // own __proto__ keys, as JSON.parse makes them

function value(depth: number, keys = KEYS): unknown {
  switch (Math.floor(rnd() * (depth > 0 ? 7 : 5))) {
    case 0: return null;
    case 1: return chance(0.5);
    case 2: return pick(NUMBERS);
    case 3: return pick(STRINGS);
    case 4: return pick(['a', 'b', 1, 2, true]);
    case 5: return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth - 1, keys));
    default: return object(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(keys), value(depth - 1, keys)]));
  }
}

const bad = () => chance(0.03);

function schema(depth: number): unknown {
  if (chance(0.08)) return chance(0.7);
  if (bad()) return pick([5, 'x', null, []]);
  const node: Array<[string, unknown]> = [];
  if (chance(0.8)) {
    const type = chance(0.75) ? pick(TYPES) : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(TYPES));
    node.push(['type', bad() ? pick(['strin', [], ['string', 'strin'], 5]) : type]);
  }
  if (depth > 0 && chance(0.5)) {
    node.push(['properties', bad() ? pick([5, []]) : object(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(KEYS), schema(depth - 1)]))]);
  }
  if (chance(0.35)) node.push(['required', bad() ? pick(['a', [1], ['a', 'a'], ['__proto__', '__proto__']]) : Array.from({ length: Math.floor(rnd() * 3) }, () => pick(KEYS))]);
  if (depth > 0 && chance(0.25)) node.push(['additionalProperties', chance(0.5) ? false : schema(depth - 1)]);
  if (depth > 0 && chance(0.3)) node.push(['items', schema(depth - 1)]);
  if (chance(0.15)) node.push(['enum', bad() ? pick(['a', []]) : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => value(1, VALUE_KEYS))]);
  if (chance(0.1)) node.push(['const', value(2, VALUE_KEYS)]);
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) if (chance(0.12)) node.push([key, bad() ? 'x' : pick(NUMBERS)]);
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems']) if (chance(0.12)) node.push([key, bad() ? pick([-1, 1.5, 'x', -1.5]) : pick([0, 1, 2, 3])]);
  if (chance(0.15)) node.push(['format', bad() ? 5 : pick(FORMATS)]);
  if (chance(0.2)) node.push(['description', bad() ? 5 : 'd']);
  if (chance(0.1)) node.push(['title', 't']);
  if (chance(0.1)) node.push(['default', value(1)]);
  if (chance(0.05)) node.push(['examples', bad() ? 'x' : [value(1)]]);
  // Shuffled: the lines follow ajv's keyword order, never the schema's.
  for (let i = node.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [node[i], node[j]] = [node[j]!, node[i]!];
  }
  return object(node);
}

type Outcome = { refused: string } | { results: unknown[] } | { crashed: string };

function withAjv(root: Record<string, unknown>, dialect: Dialect, values: unknown[]): Outcome {
  let check;
  try {
    check = createAjvCompiler(20).build(structuredClone(root), dialect, true);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  try {
    return { results: values.map((v) => check(v)) };
  } catch (error) {
    return { crashed: (error as Error).message };
  }
}

function withPlain(root: Record<string, unknown>, values: unknown[]): Outcome {
  let check;
  try {
    check = createSchemaValidator().compile(root);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  assert.is(check.ready, undefined, `a plain schema compiled without ajv: ${JSON.stringify(root)}`);
  return { results: values.map((v) => check(v)) };
}

const differential = suite('plain schemas: our validator answers as ajv');

differential.before(async () => {
  await loadFormats(); // both engines check formats with ajv-formats' code, loaded with import()
});

differential(`${SCHEMAS} generated schemas x ${VALUES_PER_SCHEMA} values (seed ${SEED})`, () => {
  const tally = { refused: 0, compiled: 0, passes: 0, failures: 0, ajvCrashed: 0 };
  for (let n = 0; n < SCHEMAS; n++) {
    let root = schema(3);
    if (typeof root !== 'object' || root === null || Array.isArray(root)) root = { type: 'object' };
    const draft07 = chance(0.3);
    const full = (draft07 ? object([['$schema', DIALECT_DRAFT_07], ...Object.entries(root as object)]) : root) as Record<string, unknown>;
    const dialect: Dialect = draft07 ? 'draft-07' : '2020-12';
    if (!isPlainSchema(structuredClone(full), dialect)) continue; // draft-07 tuple items
    const values = Array.from({ length: VALUES_PER_SCHEMA }, () => value(3));
    const expected = withAjv(full, dialect, values);
    if ('crashed' in expected) {
      tally.ajvCrashed++;
      continue;
    }
    const actual = withPlain(full, values);
    assert.equal(actual, expected, `schema ${JSON.stringify(full)}\nvalues ${JSON.stringify(values)}`);
    if ('results' in actual) {
      tally.compiled++;
      for (const r of actual.results as Array<{ ok: boolean }>) tally[r.ok ? 'passes' : 'failures']++;
    } else tally.refused++;
  }
  if (process.env.SHOW_TALLY) console.log(tally);
  // The generator reaches every kind of outcome, often.
  assert.ok(tally.refused > 20 && tally.compiled > 200 && tally.passes > 200 && tally.failures > 1000, JSON.stringify(tally));
});

differential.run();

const tricky = suite('plain schemas: the cases the brief names, against ajv');

tricky.before(async () => {
  await loadFormats();
});

const CASES: Array<[string, Record<string, unknown>, unknown[]]> = [
  ['integer against 1.0, 1.5, -0, 2^53 and a string', { type: 'integer' }, [1.0, 1.5, -0, 2 ** 53, '1']],
  ['-0 against const 0 and minimum 0', { const: 0, minimum: 0 }, [-0, 0, -1]],
  ['lengths in code points (astral, lone surrogate, combining)', { type: 'string', minLength: 2, maxLength: 2 }, ['😀', '😀😀', 'a😀', '\ud800', '\ud800\ud800', 'e\u0301']],
  ['required __proto__ and constructor', { type: 'object', required: ['__proto__', 'constructor'] }, [{}, JSON.parse('{"__proto__":1,"constructor":2}'), JSON.parse('{"__proto__":1}')]],
  ['properties named like Object.prototype members', JSON.parse('{"type":"object","properties":{"constructor":{"type":"string"},"toString":{"type":"string"},"__proto__":{"type":"string"}},"additionalProperties":false}'),
    [{}, { constructor: 'x' }, { toString: 5 }, JSON.parse('{"__proto__":5}'), { hasOwnProperty: 1 }]],
  ['arrays against objects, null', { type: 'object', properties: { a: { type: 'array', items: { type: 'object' } } } }, [[], null, { a: {} }, { a: [[], null, {}] }]],
  ['an enum of objects and arrays', { enum: [{ a: 1 }, [1, 2], null] }, [{ a: 1 }, { a: 1, b: 2 }, [1, 2], [2, 1], null, 'null']],
  ['a type list with a deferred single type', { type: 'string', minLength: 2, enum: ['a', 'abc'] }, [5, 'a', 'abc', 'zz']],
  ['formats on their own type only, after the limits', { type: ['string', 'number'], format: 'email', minLength: 3, maximum: 2 }, ['a', 'a@example.com', 'nope', 3, 1]],
  ['a number format with a deferred type error', { type: 'number', format: 'int32' }, [2 ** 31, 5, 'x']],
  ['pointer escapes in paths', JSON.parse('{"type":"object","properties":{"a/b":{"type":"string"},"x~y":{"type":"string"}},"additionalProperties":{"type":"number"}}'), [{ 'a/b': 1, 'x~y': 2, 'p/q': 'no' }]],
];

for (const [name, root, values] of CASES) {
  tricky(name, () => {
    assert.equal(withPlain(root, values), withAjv(root, '2020-12', values));
  });
}

tricky('a value with its own valueOf against an object const: ajv throws, the plain validator answers', () => {
  const root = { type: 'object', const: { a: 1 } };
  assert.ok('crashed' in withAjv(root, '2020-12', [{ valueOf: 1 }]), 'ajv reads valueOf through the value');
  assert.equal(withPlain(root, [{ valueOf: 1 }, { a: 1 }]), { results: [{ ok: false, errors: ['(root): must be equal to constant: {"a":1}'] }, { ok: true }] });
});

tricky.run();
