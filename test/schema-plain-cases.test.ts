// The plain validator against ajv on fixed cases: the shapes the briefs name, the places where
// ajv's own equality is not JSON's (the plain validator keeps JSON's, on purpose), and what zod 4
// and pydantic emit. The generated schemas are in schema-plain-differential.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadFormats } from '../server/schema-formats.ts';
import { isPlainSchema } from '../server/schema-plain-subset.ts';
import { DIALECT_DRAFT_07 } from '../server/validation.ts';
import * as z from 'zod';
import { dialectOf, withAjv, withPlain } from './support/plain-vs-ajv.ts';

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
