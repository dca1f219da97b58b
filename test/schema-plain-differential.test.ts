// The plain validator (server/schema-plain.ts, schema-plain-meta.ts) against the ajv engine it
// stands in for (server/schema-ajv.ts, the server's options): for generated plain schemas,
// valid and not, and generated values, both must refuse a schema with the same message, and
// answer every value with the same error lines. Seeded and bounded.
// The fixed cases (named shapes, zod's and pydantic's output): schema-plain-cases.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadFormats } from '../server/schema-formats.ts';
import { isPlainSchema } from '../server/schema-plain-subset.ts';
import { DIALECT_DRAFT_07 } from '../server/validation.ts';
import type { Dialect } from '../server/schema-dialect-names.ts';
import { withAjv, withPlain } from './support/plain-vs-ajv.ts';

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
