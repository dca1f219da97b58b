// The server's schema engines (server/schema-dialects.ts: ajv's core with each dialect's
// keywords; server/schema-formats.ts: formatMinimum and friends written here; plain schemas:
// server/schema-plain.ts) against the
// reference they replace: ajv's own Ajv2020 and Ajv classes with the ajv-formats plugin.
// Every schema must compile or be refused the same way, and every value must pass or fail
// with the same error lines.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { createSchemaValidator, formatValidationErrors, DIALECT_DRAFT_07 } from '../server/validation.ts';

type Outcome = { ok: true } | { ok: false; errors: string[] } | { refused: string };

// CommonJS: the plugin is the module itself and its `default` (TypeScript knows the latter).
const addFormats = ajvFormats.default;
const options = { allErrors: true, strict: false, addUsedSchema: false, ownProperties: true } as const;
const reference = { '2020-12': addFormats(new Ajv2020(options)), 'draft-07': addFormats(new Ajv(options)) };

function expected(schema: Record<string, unknown>, value: unknown): Outcome {
  const ajv = schema.$schema === DIALECT_DRAFT_07 ? reference['draft-07'] : reference['2020-12'];
  let validate;
  try {
    validate = ajv.compile(structuredClone(schema));
  } catch (error) {
    return { refused: `invalid JSON Schema: ${(error as Error).message}` };
  } finally {
    ajv.removeSchema(schema);
  }
  return validate(value) ? { ok: true } : { ok: false, errors: formatValidationErrors(validate.errors) };
}

async function actual(schema: Record<string, unknown>, value: unknown): Promise<Outcome> {
  let check;
  try {
    check = createSchemaValidator().compile(schema);
    await check.ready?.(); // a schema that is not plain is checked once ajv has loaded
  } catch (error) {
    return { refused: (error as Error).message };
  }
  await check.pending?.();
  return check(value);
}

const D7 = DIALECT_DRAFT_07;
const CASES: Array<[string, Record<string, unknown>, unknown]> = [
  // formatMinimum / formatMaximum and the exclusive forms, on every format that orders.
  ['formatMinimum, date, below', { type: 'string', format: 'date', formatMinimum: '2020-01-01' }, '2019-05-01'],
  ['formatMinimum, date, equal', { type: 'string', format: 'date', formatMinimum: '2020-01-01' }, '2020-01-01'],
  ['formatExclusiveMinimum, date, equal', { type: 'string', format: 'date', formatExclusiveMinimum: '2020-01-01' }, '2020-01-01'],
  ['formatMaximum, date-time, above', { type: 'string', format: 'date-time', formatMaximum: '2020-01-01T00:00:00Z' }, '2021-01-01T00:00:00Z'],
  ['formatExclusiveMaximum, time, equal', { type: 'string', format: 'time', formatExclusiveMaximum: '10:00:00Z' }, '10:00:00Z'],
  ['formatMinimum, iso-time, above', { type: 'string', format: 'iso-time', formatMinimum: '10:00:00' }, '11:00:00'],
  ['formatMaximum, iso-date-time, above', { type: 'string', format: 'iso-date-time', formatMaximum: '2020-01-01T00:00:00' }, '2020-01-02T00:00:00'],
  ['both limits, nested, failing one', { type: 'object', properties: { d: { type: 'string', format: 'date', formatMinimum: '2020-01-01', formatMaximum: '2020-12-31' } } }, { d: '2021-06-01' }],
  ['both limits in an array, two failures', { type: 'array', items: { type: 'string', format: 'date', formatMinimum: '2020-01-01' } }, ['2019-01-01', '2021-01-01', '2018-01-01']],
  ['a value the format cannot order', { type: 'string', format: 'date', formatMinimum: '2020-01-01' }, 'not a date'],
  ['a limit the format cannot order', { type: 'string', format: 'date', formatMaximum: 'someday' }, '2020-01-01'],
  ['a limit on a number is not checked', { format: 'date', formatMinimum: '2020-01-01' }, 5],
  ['formatMinimum in draft-07', { $schema: D7, type: 'string', format: 'date', formatMinimum: '2020-01-01' }, '2019-01-01'],
  // Refused when compiled.
  ['formatMinimum on a format that does not order', { type: 'string', format: 'email', formatMinimum: 'a' }, 'b'],
  ['formatMinimum without format', { type: 'string', formatMinimum: 'a' }, 'b'],
  ['formatMinimum that is not a string', { type: 'string', format: 'date', formatMinimum: 5 }, 'b'],
  ['an unknown type', { type: 'nope' }, 1],
  ['2020-12 refuses tuple items', { type: 'array', items: [{ type: 'string' }] }, ['a']],
  ['draft-07 refuses items: 5', { $schema: D7, type: 'array', items: 5 }, []],
  // The keywords each dialect has or lacks.
  ['2020-12 prefixItems + items false', { type: 'array', prefixItems: [{ type: 'string' }], items: false }, ['a', 1]],
  ['2020-12 unevaluatedProperties', { type: 'object', properties: { a: {} }, allOf: [{ properties: { b: {} } }], unevaluatedProperties: false }, { a: 1, b: 2, c: 3 }],
  ['2020-12 dependentRequired', { type: 'object', dependentRequired: { a: ['b'] } }, { a: 1 }],
  ['2020-12 dependentSchemas', { type: 'object', dependentSchemas: { a: { required: ['c'] } } }, { a: 1 }],
  ['2020-12 minContains', { type: 'array', contains: { type: 'integer' }, minContains: 2 }, [1, 'x']],
  ['2020-12 $defs and $ref', { $defs: { n: { type: 'integer' } }, type: 'object', properties: { x: { $ref: '#/$defs/n' } } }, { x: 'y' }],
  ['2020-12 $dynamicRef', { $id: 'https://example.com/list', $defs: { item: { $dynamicAnchor: 'item', type: 'string' } }, type: 'array', items: { $dynamicRef: '#item' } }, ['a', 2]],
  ['draft-07 tuple items + additionalItems', { $schema: D7, type: 'array', items: [{ type: 'string' }], additionalItems: false }, ['a', 1]],
  ['draft-07 dependencies', { $schema: D7, type: 'object', dependencies: { a: ['b'], c: { required: ['d'] } } }, { a: 1, c: 2 }],
  ['draft-07 ignores unevaluatedProperties', { $schema: D7, type: 'object', unevaluatedProperties: false }, { a: 1 }],
  ['draft-07 definitions and $ref', { $schema: D7, definitions: { n: { type: 'integer' } }, properties: { x: { $ref: '#/definitions/n' } } }, { x: 'y' }],
  ['enum, const, additionalProperties', { type: 'object', properties: { e: { enum: ['a', 'b'] }, c: { const: 1 } }, additionalProperties: false }, { e: 'z', c: 2, extra: true }],
  // Plain schemas, checked and compiled without ajv (server/schema-plain-meta.ts, schema-plain.ts),
  // and near misses that must still be refused as ajv refuses them.
  ['a plain tool schema', {
    type: 'object', title: 't', description: 'd', additionalProperties: false, required: ['text'],
    properties: { text: { type: 'string', minLength: 1, maxLength: 9 }, n: { type: ['integer', 'null'], minimum: 0, maximum: 5, default: 1 },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1, maxItems: 2 }, any: true, mail: { type: 'string', format: 'email' } },
  }, { text: '', n: -1, tags: ['c', 'a', 'b'], mail: 'x', extra: 1 }],
  ['draft-07, a plain schema', { $schema: D7, type: 'object', properties: { a: { type: 'string', const: 'x' } }, required: ['a'] }, { a: 'y' }],
  ['required that is not an array', { type: 'object', required: 'a' }, {}],
  ['required naming a property twice', { type: 'object', required: ['a', 'a'] }, {}],
  ['a type list naming a type twice', { type: ['string', 'string'] }, 'a'],
  ['an empty type list', { type: [] }, 'a'],
  ['a negative minLength', { type: 'string', minLength: -1 }, 'a'],
  ['a fractional maxItems', { type: 'array', maxItems: 1.5 }, []],
  ['a property schema that is a number', { type: 'object', properties: { a: 5 } }, {}],
  ['a title that is not a string', { type: 'string', title: 5 }, 'a'],
  ['a format that is not a string', { type: 'string', format: 5 }, 'a'],
  ['an enum that is not an array', { enum: 'a' }, 'a'],
  ['2020-12 accepts an empty enum', { enum: [] }, 'a'],
  ['draft-07 refuses an empty enum', { $schema: D7, enum: [] }, 'a'],
  ['draft-07 refuses an enum with a repeat', { $schema: D7, enum: ['a', 'a'] }, 'a'],
  ['an invalid schema deep in items', { type: 'array', items: { type: 'object', properties: { a: { type: 'nope' } } } }, []],
];

const same = suite('schema engines: as ajv 2020 / ajv / ajv-formats');

for (const [name, schema, value] of CASES) {
  same(name, async () => {
    assert.equal(await actual(schema, value), expected(schema, value));
  });
}

same('the cases cover refusals, failures and passes', async () => {
  const outcomes = await Promise.all(CASES.map(([, schema, value]) => actual(schema, value)));
  assert.ok(outcomes.some((o) => 'refused' in o), 'a refusal');
  assert.ok(outcomes.some((o) => 'ok' in o && o.ok), 'a pass');
  assert.ok(outcomes.some((o) => 'ok' in o && !o.ok), 'a failure');
});

same.run();
