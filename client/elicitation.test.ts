// Form elicitation helpers: which requested schemas a client accepts (every primitive and
// enum form of 2025-11-25), SEP-1034 defaults, and checking accepted content.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ElicitationSchema } from '../protocol/index.ts';
import { applyElicitationDefaults, elicitationContentProblems, requestedSchemaProblem } from './elicitation.ts';

/** One property of every 2025-11-25 PrimitiveSchemaDefinition shape, each with a default. */
const EVERY_FORM: ElicitationSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name', minLength: 1, maxLength: 20, default: 'John Doe' },
    email: { type: 'string', format: 'email', default: 'a@example.com' },
    site: { type: 'string', format: 'uri' },
    born: { type: 'string', format: 'date' },
    seen: { type: 'string', format: 'date-time' },
    age: { type: 'integer', minimum: 0, maximum: 150, default: 30 },
    score: { type: 'number', default: 95.5 },
    verified: { type: 'boolean', default: true },
    status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
    color: { type: 'string', oneOf: [{ const: 'r', title: 'Red' }, { const: 'g', title: 'Green' }], default: 'g' },
    legacy: { type: 'string', enum: ['a', 'b'], enumNames: ['A', 'B'] },
    tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['x', 'y', 'z'] }, default: ['x'] },
    picks: { type: 'array', items: { anyOf: [{ const: 'p', title: 'P' }, { const: 'q', title: 'Q' }] } },
  },
  required: ['name'],
};

const schemas = suite('requestedSchemaProblem: the flat, primitive-only forms of 2025-11-25');

schemas('every primitive and enum form is accepted', () => {
  assert.is(requestedSchemaProblem(EVERY_FORM), undefined);
  assert.is(requestedSchemaProblem({ type: 'object', properties: {} }), undefined);
  assert.is(requestedSchemaProblem({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} }), undefined);
});

schemas('nesting, free arrays and malformed keywords are refused, naming the property', () => {
  const cases: Array<[unknown, RegExp]> = [
    [undefined, /must be an object/],
    [{ type: 'array', properties: {} }, /type "object"/],
    [{ type: 'object' }, /"properties" object/],
    [{ type: 'object', properties: {}, required: 'a' }, /"required"/],
    [{ type: 'object', properties: { a: { type: 'object', properties: {} } } }, /"a" has type "object".*no nesting/],
    [{ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } }, /"a": an array must be a multi-select enum/],
    [{ type: 'object', properties: { a: { type: 'string', format: 'ipv4' } } }, /unsupported "format"/],
    [{ type: 'object', properties: { a: { type: 'string', enum: [1, 2] } } }, /"enum" must be an array of strings/],
    [{ type: 'object', properties: { a: { type: 'string', oneOf: [{ const: 'x' }] } } }, /"oneOf" must list/],
    [{ type: 'object', properties: { a: { type: 'integer', default: '3' } } }, /"default" must be a number/],
    [{ type: 'object', properties: { a: { type: 'boolean', default: 'yes' } } }, /"default" must be a boolean/],
    [{ type: 'object', properties: { a: { type: 'string', minLength: -1 } } }, /"minLength"/],
    [{ type: 'object', properties: { a: 'string' } }, /"a" is not a schema object/],
  ];
  for (const [schema, pattern] of cases) assert.match(requestedSchemaProblem(schema) ?? '', pattern, JSON.stringify(schema));
});

schemas.run();

const defaults = suite('applyElicitationDefaults (SEP-1034)');

defaults('fills every missing field that has a default, with its type', () => {
  const filled = applyElicitationDefaults(EVERY_FORM, {});
  assert.equal(filled, {
    name: 'John Doe', email: 'a@example.com', age: 30, score: 95.5, verified: true, status: 'active', color: 'g', tags: ['x'],
  });
});

defaults('keeps what the user gave, even a falsy value, and copies array defaults', () => {
  const filled = applyElicitationDefaults(EVERY_FORM, { name: '', verified: false, age: 0 });
  assert.is(filled.name, '');
  assert.is(filled.verified, false);
  assert.is(filled.age, 0);
  (filled.tags as string[]).push('y');
  assert.equal(EVERY_FORM.properties.tags!.default, ['x'], 'the schema default is not shared');
});

defaults.run();

const content = suite('elicitationContentProblems: accepted content against the schema');

content('valid content, defaults applied, has no problems', () => {
  assert.equal(elicitationContentProblems(EVERY_FORM, applyElicitationDefaults(EVERY_FORM, {
    site: 'https://example.com', born: '2000-02-29', seen: '2025-11-25T10:00:00Z', legacy: 'b', picks: ['q'],
  })), []);
});

content('each kind of mistake is named', () => {
  const problems = elicitationContentProblems(EVERY_FORM, {
    email: 'not-an-email', site: 'no scheme', born: '2025-13-45', seen: 'yesterday',
    age: 30.5, score: 'high', verified: 'yes', status: 'gone', color: 'b', legacy: 'c',
    tags: ['x', 'x', 'w'], picks: 'p', extra: 'ignored',
  });
  const expected = [
    /"name" is required/, /"email" must be a valid email/, /"site" must be a valid uri/, /"born" must be a valid date/,
    /"seen" must be a valid date-time/, /"age" must be an integer/, /"score" must be a number/, /"verified" must be a boolean/,
    /"status" must be one of/, /"color" must be one of/, /"legacy" must be one of/, /"tags" may only contain/,
    /"tags" must not repeat/, /"tags" must have at most 2 items/, /"picks" must be an array of strings/,
  ];
  for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(problems)}`);
  assert.is(problems.length, expected.length, JSON.stringify(problems));
});

content('lengths count characters, not UTF-16 units; ranges are inclusive', () => {
  const schema: ElicitationSchema = {
    type: 'object',
    properties: { s: { type: 'string', minLength: 2, maxLength: 2 }, n: { type: 'number', minimum: 1, maximum: 2 }, t: { type: 'array', items: { type: 'string', enum: ['a'] }, minItems: 1 } },
  };
  assert.equal(elicitationContentProblems(schema, { s: '😀😀', n: 2 }), []);
  assert.equal(elicitationContentProblems(schema, { s: '😀', n: 2.5, t: [] }), [
    '"s" must have at least 2 characters', '"n" must be at most 2', '"t" must have at least 1 items',
  ]);
});

content.run();
