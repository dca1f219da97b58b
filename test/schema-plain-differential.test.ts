// The plain validator (server/schema-plain.ts, schema-plain-meta.ts) against the ajv engine it
// stands in for (server/schema-ajv.ts, the server's options): for generated plain schemas,
// valid and not, and generated values, both must refuse a schema with the same message, and
// answer every value with the same error lines. Seeded and bounded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAjvCompiler } from '../server/schema-ajv.ts';
import type { Dialect } from '../server/schema-dialect-names.ts';
import { loadFormats } from '../server/schema-formats.ts';
import { isPlainSchema } from '../server/schema-plain-subset.ts';
import { createSchemaValidator, DIALECT_DRAFT_07 } from '../server/validation.ts';
import * as z from 'zod';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.PLAIN_SEED ?? 20261205); // another seed: PLAIN_SEED=n
const SCHEMAS = 800;
/** Keywords each in at least 12 of the plain schemas compiled and compared on values (they came with sessions 19 and 20). */
const COVERED = ['pattern', 'patternProperties', 'propertyNames', 'prefixItems', 'multipleOf', 'anyOf', 'oneOf', 'allOf', 'not', '$ref', '$defs', 'definitions', 'deprecated', '$comment', 'discriminator',
  'uniqueItems', 'contains', 'minContains', 'maxContains', 'minProperties', 'maxProperties', 'if', 'then', 'else', 'contentSchema'];
const VALUES_PER_SCHEMA = 12;

const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const chance = (p: number) => rnd() < p;

// Property names: ordinary ones, pointer escapes, integer-like ones, and Object.prototype's members.
const KEYS = ['a', 'b', 'text', 'a/b', 'x~y', '0', '10', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
// const / enum objects avoid the members ajv's deep equality reads through (see the suite below),
// and so do the values checked against `uniqueItems`, which ajv compares with the same equality.
const VALUE_KEYS = ['a', 'b', '0', '__proto__'];
const UNIQUE_KEYS = KEYS.filter((key) => !['constructor', 'toString', 'valueOf'].includes(key));
const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];
const STRINGS = ['', 'a', 'ab', 'abc', 'ABC', 'b', '12345', 'a1', '😀', '😀😀', 'a😀', '\ud800', '\ud800a', 'e\u0301', 'économie', 'x'.repeat(5), 'a@example.com', '2020-01-01', '2020-01-01T00:00:00Z', 'https://example.com/a', '1.2.3.4'];
const FORMATS = ['email', 'date', 'date-time', 'uri', 'ipv4', 'uuid', 'int32', 'float', 'password', 'no-such-format'];
const NUMBERS = [0, -0, 1, -1, 1.5, 2, 3, 5, 10, 1e21, -2.5, 0.1, 0.3, 2 ** 53, 2 ** 31];
// Patterns ajv compiles with the `u` flag: some mean something else without it (`.` and an
// astral character, `\p{L}`, `\u{...}`), some compile only without it (`\a`, `a\Z`, `[\w-.]`:
// ajv refuses those as it compiles), some never (`(`, `[`).
const PATTERNS = ['^a', 'b$', '^[a-z]+$', '\\d', '^.$', '^\\p{L}+$', '[\\u{1F600}]', '^(?:ab)+$', '^$', 'a"b\\\\', '[A-Z]{3}'];
const BAD_PATTERNS = ['(', '[', '\\a', 'a\\Z', '[\\w-.]', '\\c', '(?<n>a)\\k<m>'];

const object = (entries: Array<[string, unknown]>) => Object.fromEntries(entries); // own __proto__ keys, as JSON.parse makes them

function value(depth: number, keys = KEYS): unknown {
  switch (Math.floor(rnd() * (depth > 0 ? 7 : 5))) {
    case 0: return null;
    case 1: return chance(0.5);
    case 2: return pick(NUMBERS);
    case 3: return pick(STRINGS);
    case 4: return pick(['a', 'b', 1, 2, true]);
    case 5: {
      const items = Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth - 1, keys));
      // A copy of one item, often: duplicates for `uniqueItems`, more items for `contains` to count.
      if (items.length > 0 && chance(0.4)) items.splice(Math.floor(rnd() * (items.length + 1)), 0, structuredClone(pick(items)));
      return items;
    }
    default: return object(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(keys), value(depth - 1, keys)]));
  }
}

const bad = () => chance(0.01);
const list = (depth: number, refs: readonly string[]) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => schema(depth - 1, refs));

/** A schema; `refs` are the references it may hold (to the root's definitions, or not, see `root`). */
function schema(depth: number, refs: readonly string[]): unknown {
  if (chance(0.08)) return chance(0.7);
  if (bad()) return pick([5, 'x', null, []]);
  const node: Array<[string, unknown]> = [];
  if (chance(0.75)) {
    const type = chance(0.75) ? pick(TYPES) : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(TYPES));
    node.push(['type', bad() ? pick(['strin', [], ['string', 'strin'], 5]) : type]);
  }
  if (depth > 0 && chance(0.45)) {
    node.push(['properties', bad() ? pick([5, []]) : object(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(KEYS), schema(depth - 1, refs)]))]);
  }
  if (depth > 0 && chance(0.1)) {
    const patterns = () => (chance(0.05) ? pick(BAD_PATTERNS) : pick(['^a', 'b$', '^t', '^[0-9]+$', '~', '/', '__proto__']));
    node.push(['patternProperties', bad() ? 5 : object(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => [patterns(), schema(depth - 1, refs)]))]);
  }
  if (chance(0.3)) node.push(['required', bad() ? pick(['a', [1], ['a', 'a'], ['__proto__', '__proto__']]) : Array.from({ length: Math.floor(rnd() * 3) }, () => pick(KEYS))]);
  if (depth > 0 && chance(0.2)) node.push(['additionalProperties', chance(0.5) ? false : schema(depth - 1, refs)]);
  if (depth > 0 && chance(0.06)) node.push(['propertyNames', schema(depth - 1, refs)]);
  if (depth > 0 && chance(0.08)) node.push(['prefixItems', bad() ? pick([5, []]) : list(depth, refs)]);
  if (depth > 0 && chance(0.25)) node.push(['items', chance(0.3) ? { type: pick(['string', 'number', 'integer', ['string', 'number'], ['boolean', 'null']]) } : schema(depth - 1, refs)]);
  if (chance(0.1)) node.push(['uniqueItems', bad() ? pick(['x', 1]) : chance(0.85)]);
  // minContains / maxContains mostly beside `contains` (draft-07 does not know them: not plain there).
  const contains = depth > 0 && chance(0.1);
  if (contains) node.push(['contains', schema(depth - 1, refs)]);
  for (const key of ['minContains', 'maxContains']) if (chance(contains ? 0.4 : 0.01)) node.push([key, bad() ? pick([-1, 1.5, 'x']) : pick([0, 1, 2, 3])]);
  for (const key of ['minProperties', 'maxProperties']) if (chance(0.07)) node.push([key, bad() ? pick([-1, 1.5, 'x']) : pick([0, 1, 2, 3])]);
  if (depth > 0 && chance(0.1)) {
    node.push(['if', schema(depth - 1, refs)]);
    if (chance(0.75)) node.push(['then', schema(depth - 1, refs)]);
    if (chance(0.5)) node.push(['else', schema(depth - 1, refs)]);
  } else if (depth > 0 && chance(0.02)) node.push([pick(['then', 'else']), schema(depth - 1, refs)]);
  if (chance(0.12)) node.push(['enum', bad() ? pick(['a', []]) : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => value(1, VALUE_KEYS))]);
  if (chance(0.08)) node.push(['const', value(2, VALUE_KEYS)]);
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) if (chance(0.1)) node.push([key, bad() ? 'x' : pick(NUMBERS)]);
  if (chance(0.08)) node.push(['multipleOf', bad() ? pick([0, -1, 'x']) : pick([0.1, 0.5, 1, 2, 3])]);
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems']) if (chance(0.1)) node.push([key, bad() ? pick([-1, 1.5, 'x', -1.5]) : pick([0, 1, 2, 3])]);
  if (chance(0.12)) node.push(['pattern', bad() ? 5 : chance(0.06) ? pick(BAD_PATTERNS) : pick(PATTERNS)]);
  if (chance(0.12)) node.push(['format', bad() ? 5 : pick(FORMATS)]);
  if (depth > 0) {
    for (const key of ['anyOf', 'oneOf', 'allOf']) if (chance(0.1)) node.push([key, bad() ? pick([5, [], [5]]) : list(depth, refs)]);
    if (chance(0.06)) node.push(['not', schema(depth - 1, refs)]);
  }
  if (refs.length > 0 && chance(0.15)) node.push(['$ref', bad() ? pick([5, '#', '#/$defs/nope', '#/definitions/nope']) : pick(refs)]);
  if (chance(0.15)) node.push(['description', bad() ? 5 : 'd']);
  if (chance(0.08)) node.push(['title', 't']);
  if (chance(0.08)) node.push(['default', value(1)]);
  if (chance(0.04)) node.push(['examples', bad() ? 'x' : [value(1)]]);
  for (const key of ['deprecated', 'readOnly', 'writeOnly']) if (chance(0.03)) node.push([key, bad() ? 5 : chance(0.5)]);
  for (const key of ['contentEncoding', 'contentMediaType', '$comment']) if (chance(0.03)) node.push([key, bad() ? 5 : 'c']);
  if (chance(0.04)) node.push([pick(['discriminator', 'x-extra']), value(1)]);
  if (depth > 0 && chance(0.04)) node.push(['contentSchema', schema(depth - 1, refs)]); // never compiled; 2020-12 checks it as a schema
  // Shuffled: the lines follow ajv's keyword order, never the schema's.
  for (let i = node.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [node[i], node[j]] = [node[j]!, node[i]!];
  }
  return object(node);
}

/** Definition names: ordinary ones, zod's, pydantic's, and Object.prototype's members. */
const DEFINITION_NAMES = ['A', 'B', '__schema0', 'Model-Input', 'a.b', '__proto__', 'constructor'];

/**
 * A root schema: a third of them with definitions (`$defs` or `definitions`) that it and they
 * may reference, themselves included (recursive models).
 */
function root(draft07: boolean): Record<string, unknown> {
  if (!chance(0.35)) {
    const plain = schema(3, []);
    return typeof plain === 'object' && plain !== null && !Array.isArray(plain) ? plain as Record<string, unknown> : { type: 'object' };
  }
  const where = draft07 ? 'definitions' : pick(['$defs', 'definitions']);
  const names = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(DEFINITION_NAMES)))];
  const refs = names.map((name) => `#/${where}/${name}`);
  const top = schema(3, refs);
  const body = typeof top === 'object' && top !== null && !Array.isArray(top) ? top as Record<string, unknown> : { $ref: refs[0] };
  const definitions = bad() ? 5 : object(names.map((name) => [name, schema(2, refs)]));
  return object([[where, definitions], ...Object.entries(body)]);
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
  const tally = { refused: 0, compiled: 0, passes: 0, failures: 0, ajvCrashed: 0, notPlain: 0 };
  const covered = Object.fromEntries(COVERED.map((key) => [key, 0]));
  for (let n = 0; n < SCHEMAS; n++) {
    const draft07 = chance(0.3);
    const generated = root(draft07);
    const full = draft07 ? object([['$schema', DIALECT_DRAFT_07], ...Object.entries(generated)]) : generated;
    const dialect: Dialect = draft07 ? 'draft-07' : '2020-12';
    // Not plain (draft-07 tuple items, a reference that names nothing, a loop of references...): ajv's alone.
    if (!isPlainSchema(structuredClone(full), dialect)) {
      tally.notPlain++;
      continue;
    }
    const values = Array.from({ length: VALUES_PER_SCHEMA }, () => value(3, JSON.stringify(full).includes('"uniqueItems":true') ? UNIQUE_KEYS : KEYS));
    const expected = withAjv(full, dialect, values);
    if ('crashed' in expected) {
      tally.ajvCrashed++;
      continue;
    }
    const actual = withPlain(full, values);
    assert.equal(actual, expected, `schema ${JSON.stringify(full)}\nvalues ${JSON.stringify(values)}`);
    if ('results' in actual) {
      const text = JSON.stringify(full);
      for (const key of COVERED) if (text.includes(`"${key}"`)) covered[key]!++;
      tally.compiled++;
      for (const r of actual.results as Array<{ ok: boolean }>) tally[r.ok ? 'passes' : 'failures']++;
    } else tally.refused++;
  }
  if (process.env.SHOW_TALLY) console.log(tally, covered);
  // The generator reaches every kind of outcome, and every keyword of the subset, often.
  assert.ok(tally.refused > 20 && tally.compiled > 200 && tally.passes > 200 && tally.failures > 1000, JSON.stringify(tally));
  for (const key of COVERED) assert.ok(covered[key]! >= 12, `${key} is in only ${covered[key]} plain schemas compiled: ${JSON.stringify(covered)}`);
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
  // Session 19: what ajv refuses as it compiles, and where.
  ['a pattern that compiles only without the u flag is refused', { type: 'string', pattern: '[\\w-.]' }, ['a']],
  ['a pattern that means more with the u flag', { type: 'string', pattern: '^.$' }, ['😀', 'ab', 'a']],
  ['the first pattern ajv compiles is the one it names (anyOf before the string keywords before properties)', { pattern: '\\b(', properties: { a: { enum: [] } }, anyOf: [{ pattern: '(' }] }, ['a']],
  ['a reference compiles its definition where it stands', { pattern: '\\b(', properties: { a: { enum: [] } }, $ref: '#/$defs/A', $defs: { A: { pattern: '\\c' } } }, ['a']],
  ['a definition nothing references is not compiled', { $defs: { A: { pattern: '\\a', enum: [] } }, type: 'string' }, ['a', 1]],
  ['draft-07 does not compile an anyOf with an always valid subschema', { $schema: DIALECT_DRAFT_07, anyOf: [{ title: 'x' }, { pattern: '\\a' }] }, ['a']],
  ['draft-07 compiles an anyOf whose subschema has only $comment (ajv gives $comment a rule)', { $schema: DIALECT_DRAFT_07, anyOf: [{ $comment: 'x' }, { pattern: '\\a' }] }, ['a']],
  ['2020-12 compiles every subschema of an anyOf', { anyOf: [{ title: 'x' }, { pattern: '\\a' }] }, ['a']],
  // Session 19: the applicators' lines.
  ['oneOf stops at the second subschema that passes', { oneOf: [true, { type: 'null' }, { type: 'string', const: 'x' }] }, [null, 'x', 1]],
  ['anyOf, allOf and not, with a deferred type error after them', { type: 'string', minLength: 2, anyOf: [{ maxLength: 1 }, { pattern: '^a' }], allOf: [{ not: { const: 'ab' } }] }, [1, 'b', 'ab', 'bcd', 'abc']],
  ['$ref before const and enum, its siblings applied too', { $defs: { A: { type: 'string' } }, $ref: '#/$defs/A', const: 'x', minLength: 3, anyOf: [{ maxLength: 1 }] }, [1, 'ab', 'x']],
  ['a definition that references itself through an item', { $defs: { T: { type: 'object', properties: { c: { type: 'array', items: { $ref: '#/$defs/T' } }, v: { type: 'number' } } } }, $ref: '#/$defs/T' }, [{ c: [{ v: 'x', c: [{ v: 'y' }] }] }, { c: [] }]],
  ['definitions false and true, and named __proto__', JSON.parse('{"$defs":{"A":false,"B":true,"__proto__":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/A"},"b":{"$ref":"#/$defs/B"},"c":{"$ref":"#/$defs/__proto__"}}}'), [{ a: 1, b: 1, c: 1 }, { b: 1, c: 'x' }]],
  ['a tuple closed with items: false (one line, as additionalItems)', { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false }, [['a', 1], ['a', 1, 2, 3], [1], []]],
  ['a tuple with items after it', { prefixItems: [{ type: 'string' }], items: { type: 'number' } }, [['a', 1, 'x'], [1]]],
  ['propertyNames: each failed name, then ajv\'s own line', { type: 'object', propertyNames: { maxLength: 2, pattern: '^a' }, properties: { abc: { type: 'string' } }, required: ['q'] }, [{ abc: 1, b: 2, ab: 3 }, {}]],
  ['patternProperties: every property each pattern matches, none of them additional', { type: 'object', properties: { ab: { type: 'string' } }, patternProperties: { '^a': { type: 'number' }, 'b$': { minimum: 5 } }, additionalProperties: false }, [{ ab: 3, ac: 'x', zb: 1, zz: 1 }, { a: 1 }]],
  ['multipleOf as ajv divides (0.3 / 0.1, and 1e21 whose quotient parseInt cuts)', { multipleOf: 0.1 }, [0.3, 0.5, 1e21, 'x']],
  // Session 20: uniqueItems' two loops name different pairs; contains counts; if / then / else; property counts.
  ['uniqueItems of any items: pairwise from the last item back, the earlier index first', { uniqueItems: true }, [[1, 2, 1, 2], [{ a: [1] }, 3, { a: [1] }], [1, '1', true], [0, -0], []]],
  ['uniqueItems of scalar items: a map from the last item back, the later index first', { uniqueItems: true, items: { type: 'integer' } }, [[1, 2, 1, 2], [1.5, 1.5, 3, 3], [0, -0], ['a', 'a']]],
  ['uniqueItems of two scalar types: "1" and 1 differ', { uniqueItems: true, items: { type: ['string', 'number'] } }, [['1', 1, '1'], [true, true], [{}, {}]]],
  ['uniqueItems goes by the types of items even where prefixItems stands; after prefixItems and items', { uniqueItems: true, prefixItems: [{ type: 'object' }], items: { type: 'string' } }, [[{}, {}], [{}, 'a', 'a'], [{}, 1, 1]]],
  ['uniqueItems false does nothing but defers the type error', { type: 'array', uniqueItems: false, maxItems: 1 }, [[1, 1], 'x']],
  ['contains: each failed item, then its line', { type: 'array', contains: { type: 'string' } }, [[1, 2], [1, 'a'], [], 'x']],
  ['contains with minContains and maxContains: ajv stops past the maximum', { contains: { type: 'string' }, minContains: 2, maxContains: 3 }, [[1, 'a'], ['a', 'b'], ['a', 1, 'b', 2, 'c', 'd', 3]]],
  ['contains: minContains 0 without a maximum is not compiled, min above max always fails', { allOf: [{ contains: { pattern: '(' }, minContains: 0 }, { contains: { pattern: '(' }, minContains: 3, maxContains: 2 }] }, [[1], 'x']],
  ['contains always valid, or false', { prefixItems: [{ contains: true, minContains: 2 }, { contains: false }] }, [[[1], [1]], [[1, 2], []]]],
  ['if / then / else: the lines of the branch, then its own', { if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'number' } }, ['a', 'ab', 1, true]],
  ['if is not compiled without a then or else that can fail', { if: { pattern: '(' }, then: {}, else: { title: 'x' } }, ['a']],
  ['then without if is not compiled; then and else false', { anyOf: [{ then: { pattern: '(' } }, { type: 'string', if: { maxLength: 1 }, then: false, else: false }] }, ['a', 'ab', 1]],
  ['draft-07: contains, if, min/maxProperties', { $schema: DIALECT_DRAFT_07, type: 'object', if: { required: ['a'] }, then: { required: ['b'] }, else: { maxProperties: 0 }, minProperties: 1, properties: { l: { contains: { const: 1 } } } }, [{ a: 1 }, { c: 1 }, {}, { a: 1, b: 2, l: [2] }]],
  ['contentSchema: the 2020-12 meta-schema checks it as a schema', { type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'strin' } }, ['a']],
  ['contentSchema is never compiled, and a subschema of only it is always valid', { $schema: DIALECT_DRAFT_07, anyOf: [{ contentSchema: { pattern: '(' } }, { pattern: '\\a' }] }, ['a']],
  ['the meta-schema lines of the new keywords, in the order of ajv', { uniqueItems: 1, if: 5, contains: 'x', then: [], maxContains: 'x', minContains: -1, maxProperties: 1.5, minProperties: -2, else: null }, [1]],
  ['the same in draft-07', { $schema: DIALECT_DRAFT_07, uniqueItems: 1, if: 5, contains: 'x', then: [], maxProperties: 1.5, minProperties: -2, else: null }, [1]],
  ['annotations and keywords ajv ignores', { type: 'string', deprecated: true, readOnly: false, writeOnly: true, contentEncoding: 'base64', contentMediaType: 'text/plain', $comment: 'c', discriminator: { propertyName: 'kind' }, 'x-extra': { $ref: '#/nowhere' } }, ['a', 1]],
];

const dialectOf = (schema: Record<string, unknown>): Dialect => (schema.$schema === DIALECT_DRAFT_07 ? 'draft-07' : '2020-12');

for (const [name, root, values] of CASES) {
  tricky(name, () => {
    assert.ok(isPlainSchema(structuredClone(root), dialectOf(root)), 'plain');
    assert.equal(withPlain(root, values), withAjv(root, dialectOf(root), values));
  });
}

tricky('a value with its own valueOf against an object const: ajv throws, the plain validator answers', () => {
  const root = { type: 'object', const: { a: 1 } };
  assert.ok('crashed' in withAjv(root, '2020-12', [{ valueOf: 1 }]), 'ajv reads valueOf through the value');
  assert.equal(withPlain(root, [{ valueOf: 1 }, { a: 1 }]), { results: [{ ok: false, errors: ['(root): must be equal to constant: {"a":1}'] }, { ok: true }] });
});

tricky('two "__proto__" strings against uniqueItems of strings: ajv\'s map misses them, the plain validator does not', () => {
  const root = { type: 'array', items: { type: 'string' }, uniqueItems: true };
  const values = [['__proto__', '__proto__'], ['constructor', 'a', 'constructor']];
  assert.equal(withAjv(root, '2020-12', values), { results: [{ ok: true }, { ok: false, errors: ['(root): must NOT have duplicate items (items ## 2 and 0 are identical)'] }] });
  assert.equal(withPlain(root, values), { results: [
    { ok: false, errors: ['(root): must NOT have duplicate items (items ## 1 and 0 are identical)'] },
    { ok: false, errors: ['(root): must NOT have duplicate items (items ## 2 and 0 are identical)'] },
  ] });
});

tricky('items with an own constructor or valueOf against uniqueItems: ajv reads them, the plain validator compares JSON', () => {
  const root = { uniqueItems: true };
  assert.equal(withAjv(root, '2020-12', [[{ constructor: [1] }, { constructor: [1] }]]), { results: [{ ok: true }] }, 'ajv compares the arrays by identity');
  assert.ok('crashed' in withAjv(root, '2020-12', [[{ a: 1 }, { valueOf: 1 }]]), 'ajv calls valueOf');
  assert.equal(withPlain(root, [[{ constructor: [1] }, { constructor: [1] }], [{ a: 1 }, { valueOf: 1 }]]), { results: [
    { ok: false, errors: ['(root): must NOT have duplicate items (items ## 0 and 1 are identical)'] },
    { ok: true },
  ] });
});

tricky.run();

const real = suite('zod 4\'s and pydantic\'s schemas are plain, and answered as ajv answers');

real.before(async () => {
  await loadFormats();
});

const Tree: z.ZodType = z.lazy(() => z.object({ value: z.number(), children: z.array(Tree) }));
const Cat = z.object({ name: z.string() }).meta({ id: 'Cat' });
const UUID = '123e4567-e89b-42d3-a456-426614174000';

/** zod shapes, a value each accepts, and values to compare on. */
const ZOD: Array<[string, z.ZodType, unknown, unknown[]]> = [
  ['strings with formats and patterns (email, uuid, datetime, regex)', z.object({ name: z.string().min(1).max(10), age: z.number().int().nonnegative().optional(), email: z.email(), id: z.uuid(), tag: z.string().regex(/^[a-z]+$/), when: z.iso.datetime() }),
    { name: 'Al', email: 'al@example.com', id: UUID, tag: 'abc', when: '2020-01-01T00:00:00Z' },
    [{ name: '', age: -1.5, email: 'nope', id: 'x', tag: 'ABC', when: '2020-01-01' }, {}, 'x', { name: 'Al', email: 'al@example', id: UUID.toUpperCase(), tag: 'é', when: '2020-02-30T00:00:00Z' }]],
  ['a discriminated union (oneOf)', z.discriminatedUnion('kind', [z.object({ kind: z.literal('a'), x: z.string() }), z.object({ kind: z.literal('b'), y: z.number() })]),
    { kind: 'a', x: 's' }, [{ kind: 'c' }, { kind: 'b', y: 'n' }, null]],
  ['a recursive model ($defs, $ref)', z.object({ tree: Tree }),
    { tree: { value: 1, children: [{ value: 2, children: [] }] } }, [{ tree: { value: 'x', children: [{}] } }, { tree: null }]],
  ['a model registered with an id, used twice ($defs, allOf in draft-07)', z.object({ a: Cat, b: Cat.optional() }),
    { a: { name: 'Tom' } }, [{ a: {}, b: { name: 1 } }, { b: null }]],
  ['a record, literals, a nullable union, multipleOf, deprecated, an intersection', z.object({ r: z.record(z.string(), z.number()), lits: z.literal(['a', 'b']), u: z.union([z.string(), z.number()]).nullable(), m: z.number().multipleOf(5), d: z.string().meta({ deprecated: true }), both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })) }),
    { r: { x: 1 }, lits: 'a', u: null, m: 10, d: 'x', both: { a: 'a', b: 1 } }, [{ r: { x: 'y' }, lits: 'c', u: true, m: 7, d: 1, both: { a: 1 } }]],
  ['a tuple (prefixItems; draft-07 writes items as a list, which is not plain)', z.object({ tup: z.tuple([z.string(), z.number()]) }),
    { tup: ['a', 1] }, [{ tup: ['a'] }, { tup: [1, 'a', 3] }]],
];

for (const [name, shape, valid, values] of ZOD) {
  for (const target of ['draft-2020-12', 'draft-07'] as const) {
    real(`zod: ${name}, ${target}`, () => {
      const root = (shape as unknown as { '~standard': { jsonSchema: { input(o: { target: string }): Record<string, unknown> } } })['~standard'].jsonSchema.input({ target });
      const dialect = dialectOf(root);
      if (!isPlainSchema(structuredClone(root), dialect)) {
        assert.ok(target === 'draft-07' && name.startsWith('a tuple'), `not plain: ${JSON.stringify(root)}`);
        return;
      }
      const outcome = withPlain(root, [valid, ...values]);
      assert.equal(outcome, withAjv(root, dialect, [valid, ...values]));
      assert.equal((outcome as { results: unknown[] }).results[0], { ok: true });
    });
  }
}

// pydantic 2.13.5's `model_json_schema()` of a model with most field kinds: optional fields
// (anyOf with null), nested and recursive models ($defs, $ref), a discriminated union (oneOf,
// and the `discriminator` keyword ajv ignores), an enum, a tuple (prefixItems), multipleOf,
// deprecated, patterns.
const PYDANTIC_ARGS = {
  $defs: {
    "Address": {"properties": {"street": {"title": "Street", "type": "string"}, "zip": {"pattern": "^\\d{5}$", "title": "Zip", "type": "string"}}, "required": ["street", "zip"], "title": "Address", "type": "object"},
    "Cat": {"properties": {"kind": {"const": "cat", "title": "Kind", "type": "string"}, "meow": {"title": "Meow", "type": "integer"}}, "required": ["kind", "meow"], "title": "Cat", "type": "object"},
    "Color": {"enum": ["red", "green"], "title": "Color", "type": "string"},
    "Dog": {"properties": {"kind": {"const": "dog", "title": "Kind", "type": "string"}, "bark": {"title": "Bark", "type": "number"}}, "required": ["kind", "bark"], "title": "Dog", "type": "object"},
    "Tree": {"properties": {"value": {"title": "Value", "type": "integer"}, "children": {"default": [], "items": {"$ref": "#/$defs/Tree"}, "title": "Children", "type": "array"}}, "required": ["value"], "title": "Tree", "type": "object"},
  },
  properties: {
    name: {"description": "Name", "maxLength": 20, "minLength": 1, "title": "Name", "type": "string"},
    nick: {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Nick"},
    age: {"anyOf": [{"exclusiveMaximum": 150, "minimum": 0, "type": "integer"}, {"type": "null"}], "default": null, "title": "Age"},
    color: {"$ref": "#/$defs/Color", "default": "red"},
    address: {"$ref": "#/$defs/Address"},
    home: {"anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}], "default": null},
    pet: {"discriminator": {"mapping": {"cat": "#/$defs/Cat", "dog": "#/$defs/Dog"}, "propertyName": "kind"}, "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}], "title": "Pet"},
    pet2: {"anyOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}, {"type": "null"}], "default": null, "title": "Pet2"},
    when: {"format": "date-time", "title": "When", "type": "string"},
    day: {"format": "date", "title": "Day", "type": "string"},
    id: {"format": "uuid", "title": "Id", "type": "string"},
    tags: {"items": {"type": "string"}, "maxItems": 3, "title": "Tags", "type": "array"},
    scores: {"additionalProperties": {"type": "number"}, "default": {}, "title": "Scores", "type": "object"},
    tree: {"anyOf": [{"$ref": "#/$defs/Tree"}, {"type": "null"}], "default": null},
    ratio: {"default": 1.0, "multipleOf": 0.5, "title": "Ratio", "type": "number"},
    flag: {"default": false, "deprecated": true, "title": "Flag", "type": "boolean"},
    pair: {"anyOf": [{"maxItems": 2, "minItems": 2, "prefixItems": [{"type": "integer"}, {"type": "string"}], "type": "array"}, {"type": "null"}], "default": null, "title": "Pair"},
    code: {"default": "AAA", "examples": ["ABC"], "pattern": "^[A-Z]{3}$", "title": "Code", "type": "string"},
  },
  required: ["name", "address", "pet", "when", "day", "id"],
  title: "Args",
  type: "object",
};

real('pydantic: a model with most field kinds', () => {
  assert.ok(isPlainSchema(structuredClone(PYDANTIC_ARGS), '2020-12'));
  const valid = { name: 'Al', address: { street: 'Main', zip: '12345' }, pet: { kind: 'cat', meow: 2 }, when: '2020-01-01T00:00:00Z', day: '2020-01-01', id: UUID, pair: [1, 'a'], tree: { value: 1, children: [{ value: 2 }] } };
  const values = [valid,
    { ...valid, nick: 5, age: 150, color: 'blue', home: { street: 1 }, pet: { kind: 'dog', bark: 'x' }, pet2: { kind: 'cow' }, tags: ['a', 'b', 'c', 'd'], scores: { a: 'x' }, ratio: 0.3, flag: 'no', pair: [1, 2, 3], code: 'abc' },
    { ...valid, address: { street: 'Main', zip: '1234' }, tree: { value: 1.5, children: [{ children: [] }] } },
    {}];
  const outcome = withPlain(PYDANTIC_ARGS, values);
  assert.equal(outcome, withAjv(PYDANTIC_ARGS, '2020-12', values));
  assert.equal((outcome as { results: unknown[] }).results[0], { ok: true });
});

// pydantic 2.13.5's `model_json_schema()` of `labels: set[str]`, `ids: frozenset[int] = frozenset()`,
// `mixed: set[int | str] | None = None`, `attrs: dict[str, int] = Field(min_length=1, max_length=3)`,
// `payload: Json[list[int]] | None = None`: uniqueItems of scalar items (ajv's map) and of untyped
// items (its pairwise loop), property counts, contentSchema (an annotation: JSON text is a string).
const PYDANTIC_SETS = {"properties": {"labels": {"items": {"type": "string"}, "title": "Labels", "type": "array", "uniqueItems": true}, "ids": {"default": [], "items": {"type": "integer"}, "title": "Ids", "type": "array", "uniqueItems": true}, "mixed": {"anyOf": [{"items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}, "type": "array", "uniqueItems": true}, {"type": "null"}], "default": null, "title": "Mixed"}, "attrs": {"additionalProperties": {"type": "integer"}, "maxProperties": 3, "minProperties": 1, "title": "Attrs", "type": "object"}, "payload": {"anyOf": [{"contentMediaType": "application/json", "contentSchema": {"items": {"type": "integer"}, "type": "array"}, "type": "string"}, {"type": "null"}], "default": null, "title": "Payload"}}, "required": ["labels"], "title": "Args", "type": "object"};

real('pydantic: sets, a sized dict, a JSON string field', () => {
  assert.ok(isPlainSchema(structuredClone(PYDANTIC_SETS), '2020-12'));
  const values = [{ labels: ['a', 'b'], ids: [1, 2], mixed: [1, '1'], attrs: { a: 1 }, payload: '[1, 2]' },
    { labels: ['a', 'b', 'a', 'b'], ids: [1, 2, 1.0], mixed: [1, 'x', 2, 'x', 1], attrs: {}, payload: [1] },
    { labels: ['a', 1, 1, 'a'], ids: [3, 3.5, 3.5, 3], mixed: [[1], [1]], attrs: { a: 1, b: 2, c: 3, d: 'x' } }];
  const outcome = withPlain(PYDANTIC_SETS, values);
  assert.equal(outcome, withAjv(PYDANTIC_SETS, '2020-12', values));
  assert.equal((outcome as { results: unknown[] }).results[0], { ok: true });
});

real.run();
