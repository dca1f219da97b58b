import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSchemaValidator, formatValidationErrors, DIALECT_DRAFT_07 } from './validation.ts';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';

function throwsValidation(fn: () => unknown, includes: string): void {
  try {
    fn();
  } catch (error) {
    assert.instance(error, McpError);
    assert.is((error as McpError).code, LocalErrorCode.Validation);
    assert.ok((error as Error).message.includes(includes), `message "${(error as Error).message}" lacks "${includes}"`);
    return;
  }
  assert.unreachable(`expected an McpError containing "${includes}"`);
}

/** Compile and wait for the schema's check: a schema that is not plain compiles once ajv has loaded. */
async function compiled(schema: object, v = createSchemaValidator()) {
  const fn = v.compile(schema);
  await fn.pending?.();
  return fn;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const dialects = suite('the dialect follows $schema');

dialects('no $schema means 2020-12 (prefixItems is enforced)', async () => {
  const check = await compiled({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] });
  assert.equal(check(['a', 1]), { ok: true });
  assert.is(check(['a', 'b']).ok, false);
});

dialects('an explicit 2020-12 $schema is accepted', () => {
  const check = createSchemaValidator().compile({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { n: { type: 'number' } },
  });
  assert.equal(check({ n: 1 }), { ok: true });
  assert.is(check({ n: 'x' }).ok, false);
});

for (const uri of [DIALECT_DRAFT_07, DIALECT_DRAFT_07.slice(0, -1)]) {
  dialects(`draft-07 is used for ${uri}`, async () => {
    // Tuple `items` and `definitions` are draft-07 spellings; 2020-12 would reject this schema.
    const check = await compiled({
      $schema: uri,
      type: 'object',
      definitions: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] } },
      properties: { p: { $ref: '#/definitions/pair' } },
    });
    assert.equal(check({ p: ['a', 1] }), { ok: true });
    assert.equal(check({ p: ['a', 'b'] }), { ok: false, errors: ['/p/1: must be integer'] });
  });
}

for (const declared of ['http://json-schema.org/draft-04/schema#', 'https://example.com/my-dialect', 42]) {
  dialects(`an unsupported dialect (${String(declared)}) is a graceful McpError`, () => {
    throwsValidation(() => createSchemaValidator().compile({ $schema: declared, type: 'object' }), 'unsupported JSON Schema dialect');
  });
}

dialects.run();

const features = suite('2020-12 features validate as specified');

features('$defs and a recursive $ref', async () => {
  const check = await compiled({
    $defs: { node: { type: 'object', properties: { value: { type: 'number' }, next: { $ref: '#/$defs/node' } } } },
    $ref: '#/$defs/node',
  });
  assert.equal(check({ value: 1, next: { value: 2, next: { value: 3 } } }), { ok: true });
  assert.equal(check({ next: { next: { value: 'x' } } }), { ok: false, errors: ['/next/next/value: must be number'] });
});

features('unevaluatedProperties sees properties evaluated by allOf', async () => {
  const check = await compiled({
    type: 'object',
    allOf: [{ properties: { a: { type: 'string' } } }],
    properties: { b: { type: 'string' } },
    unevaluatedProperties: false,
  });
  assert.equal(check({ a: 'x', b: 'y' }), { ok: true });
  assert.equal(check({ a: 'x', c: 1 }), { ok: false, errors: ['(root): must NOT have unevaluated properties ("c")'] });
});

features('formats come from ajv-formats', async () => {
  const check = createSchemaValidator().compile({
    type: 'object',
    properties: { email: { type: 'string', format: 'email' }, when: { type: 'string', format: 'date-time' } },
  });
  await check.pending?.(); // the formats' code loads with import() (schema-formats.ts)
  assert.equal(check({ email: 'a@example.com', when: '2025-11-25T10:00:00Z' }), { ok: true });
  assert.equal(check({ email: 'nope', when: 'yesterday' }), {
    ok: false,
    errors: ['/email: must match format "email"', '/when: must match format "date-time"'],
  });
});

features('an elicitation requestedSchema (flat object, enums, defaults) validates content', () => {
  const check = createSchemaValidator().compile({
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      seats: { type: 'integer', minimum: 1, maximum: 9, default: 1 },
      cabin: { type: 'string', enum: ['economy', 'business'] },
    },
    required: ['name'],
  });
  assert.equal(check({ name: 'Ada', seats: 2, cabin: 'economy' }), { ok: true });
  assert.equal(check({ name: 'Ada', seats: 10, cabin: 'first' }), {
    ok: false,
    errors: ['/seats: must be <= 9', '/cabin: must be equal to one of the allowed values: "economy", "business"'],
  });
});

features('two schemas sharing an $id but differing in content each keep their own rules', () => {
  const v = createSchemaValidator();
  const a = v.compile({ $id: 'https://example.com/args', type: 'object', required: ['a'] });
  const b = v.compile({ $id: 'https://example.com/args', type: 'object', required: ['b'] });
  assert.equal(a({ a: 1 }), { ok: true });
  assert.equal(b({ b: 1 }), { ok: true });
  assert.is(a({ b: 1 }).ok, false);
});

features.run();

const safety = suite('compile is safe with untrusted schemas');

safety('the schema object is left untouched (deep-equal and frozen)', async () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.com/tool',
    type: 'object',
    $defs: { id: { type: 'string', format: 'uuid' } },
    properties: { id: { $ref: '#/$defs/id' }, tags: { type: 'array', items: { type: 'string' }, default: [] } },
    required: ['id'],
    unevaluatedProperties: false,
  };
  const before = structuredClone(schema);
  const validate = createSchemaValidator().compile(schema);
  await validate.pending?.(); // `format: uuid`: its code loads with import() (schema-formats.ts)
  validate({ id: 'x', extra: true });
  assert.equal(schema, before);
  // Frozen: any write by ajv would throw in strict mode ESM.
  const frozen = deepFreeze(structuredClone(before));
  createSchemaValidator().compile(frozen)({ id: 'x' });
  assert.equal(frozen, before);
});

safety('a $ref to the network is refused, not fetched', async () => {
  // Refused by compile once ajv is loaded, else by the check `ready()` gives.
  let refused: unknown;
  try {
    await createSchemaValidator().compile({ type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } }).ready?.();
  } catch (error) {
    refused = error;
  }
  throwsValidation(() => { throw refused; }, 'does not resolve inside the schema');
});

safety('a schema deeper than maxSchemaDepth is refused', () => {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 10; i++) deep = { type: 'object', properties: { x: deep } };
  throwsValidation(() => createSchemaValidator({ maxSchemaDepth: 8 }).compile(deep), 'maxSchemaDepth (8)');
  assert.is(typeof createSchemaValidator({ maxSchemaDepth: 64 }).compile(deep), 'function');
});

safety('a cyclic schema object is refused with a clear error', () => {
  const cyclic: Record<string, unknown> = { type: 'object' };
  cyclic.properties = { self: cyclic };
  throwsValidation(() => createSchemaValidator().compile(cyclic), 'maxSchemaDepth');
});

safety('a schema with more nodes than maxSchemaNodes is refused', () => {
  const properties = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'string' }]));
  throwsValidation(() => createSchemaValidator({ maxSchemaNodes: 20 }).compile({ type: 'object', properties }), 'maxSchemaNodes (20)');
});

safety('an invalid schema is an McpError carrying the ajv error as cause', () => {
  try {
    createSchemaValidator().compile({ type: 'strng' });
    assert.unreachable('expected a throw');
  } catch (error) {
    assert.instance(error, McpError);
    assert.is((error as McpError).code, LocalErrorCode.Validation);
    assert.instance((error as Error).cause, Error);
  }
  throwsValidation(() => createSchemaValidator().compile([] as unknown as object), 'must be an object');
});

safety.run();

const cache = suite('compiled validators are cached');

cache('the same object and the same JSON text give the same validator', () => {
  const v = createSchemaValidator();
  const schema = { type: 'object', properties: { a: { type: 'string' } } };
  const first = v.compile(schema);
  assert.is(v.compile(schema), first);
  assert.is(v.compile(structuredClone(schema)), first);
});

cache('the text cache is bounded by maxCacheEntries (least recently used goes first)', () => {
  const v = createSchemaValidator({ maxCacheEntries: 2 });
  const text = (n: number) => ({ type: 'object', required: [`k${n}`] });
  const one = v.compile(text(1));
  v.compile(text(2));
  assert.is(v.compile(text(1)), one, 'refreshes entry 1');
  v.compile(text(3)); // evicts entry 2, the least recently used
  assert.is(v.compile(text(1)), one);
  const two = v.compile(text(2));
  v.compile(text(3));
  v.compile(text(2));
  assert.is.not(v.compile(text(1)), one, 'entry 1 was evicted and compiled again');
  assert.equal(two({ k2: 1 }), { ok: true });
});

cache.run();

const errors = suite('error strings are readable for a model');

errors('paths, root and required properties', () => {
  const check = createSchemaValidator().compile({
    type: 'object',
    properties: { destination: { type: 'string' }, travellers: { type: 'integer' } },
    required: ['destination'],
    additionalProperties: false,
  });
  assert.equal(check({ travellers: 1.5, pet: 'cat' }), {
    ok: false,
    errors: [
      "(root): must have required property 'destination'",
      '(root): must NOT have additional properties ("pet")',
      '/travellers: must be integer',
    ],
  });
});

errors('formatValidationErrors caps the list and says how many more', () => {
  const check = createSchemaValidator({ maxErrors: 2 }).compile({
    type: 'array',
    items: { type: 'string' },
  });
  assert.equal(check([1, 2, 3, 4]), {
    ok: false,
    errors: ['/0: must be string', '/1: must be string', '... and 2 more errors'],
  });
  assert.equal(formatValidationErrors(null), []);
  assert.equal(
    formatValidationErrors([{ keyword: 'const', instancePath: '/a', schemaPath: '#', params: { allowedValue: 'x' }, message: 'must be equal to constant' }]),
    ['/a: must be equal to constant: "x"'],
  );
});

errors.run();
