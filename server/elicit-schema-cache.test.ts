// ctx.elicit() prepares a form's schema once per schema object (bench f), and never serves a
// schema the tool changed after its first use stale: the answer is checked against what was
// asked (elicit-schema-cache.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode } from '../protocol/index.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS } from './context.ts';
import { preparedForm } from './elicit-schema-cache.ts';
import type { InputRequest } from './input.ts';
import { createServerRequest, type ServerRequest } from './request.ts';
import { createSchemaValidator, type SchemaValidator } from './validation.ts';

/** A tool's context whose questions are all answered with accepted `content` (recorded in `asked`). */
function contextAccepting(validator: SchemaValidator, content: Record<string, unknown>) {
  const asked: InputRequest[] = [];
  const input: ServerRequest['input'] = (request) => {
    asked.push(structuredClone(request));
    return Promise.resolve({ action: 'accept', content } as never);
  };
  const req = createServerRequest({
    method: 'tools/call', requestId: 'r1', protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {} },
    clientInfo: { name: 'c', version: '1' }, signal: new AbortController().signal,
  }, { notify: async () => {}, progress: async () => {}, input });
  return { ctx: createToolContext(req, DEFAULT_ASK_TIMEOUTS, validator), asked };
}

/** The code a promise rejected with, or 'accepted'. */
function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(() => 'accepted', (error: { code?: string }) => error.code ?? String(error));
}

const test = suite('the elicitation form\'s prepared schema, per schema object');

test('the same unchanged schema object is prepared once; another object, or another validator, on its own', () => {
  const validator = createSchemaValidator();
  const schema = { type: 'object', properties: { n: { type: 'number' } } };
  const first = preparedForm(schema, validator, undefined);
  assert.is(preparedForm(schema, validator, undefined), first, 'kept');
  assert.is(first.json, schema, 'listed and sent as the tool gave it');
  assert.is.not(preparedForm({ ...schema }, validator, undefined), first);
  assert.is.not(preparedForm(schema, createSchemaValidator(), undefined), first);
});

test('a schema loosened after its first use: the next answer is checked against the new one, and the new one is sent', async () => {
  const schema = { type: 'object' as const, properties: { n: { type: 'number' as const, maximum: 10 } }, required: ['n'] };
  const { ctx, asked } = contextAccepting(createSchemaValidator(), { n: 20 });
  assert.is(await outcome(ctx.elicit({ message: 'n?', requestedSchema: schema })), LocalErrorCode.Validation);
  schema.properties.n.maximum = 100;
  assert.is(await outcome(ctx.elicit({ message: 'n?', requestedSchema: schema })), 'accepted', 'not checked by the old maximum');
  assert.is((asked[1]!.params as unknown as { requestedSchema: typeof schema }).requestedSchema.properties.n.maximum, 100);
});

test('a schema tightened, a property added, then changed back: each answer checked against the schema asked with', async () => {
  const schema: { type: string; properties: Record<string, { type: string; enum?: string[] }>; required: string[] } = {
    type: 'object', properties: { colour: { type: 'string', enum: ['red', 'blue'] } }, required: ['colour'],
  };
  const validator = createSchemaValidator();
  const red = contextAccepting(validator, { colour: 'red' });
  assert.is(await outcome(red.ctx.elicit({ message: 'c?', requestedSchema: schema as never })), 'accepted');
  schema.properties.colour!.enum!.splice(0, 1); // red no longer offered: a change inside an array
  assert.is(await outcome(red.ctx.elicit({ message: 'c?', requestedSchema: schema as never })), LocalErrorCode.Validation);
  schema.properties.size = { type: 'string' };
  schema.required.push('size');
  const blue = contextAccepting(validator, { colour: 'blue' });
  assert.is(await outcome(blue.ctx.elicit({ message: 'c?', requestedSchema: schema as never })), LocalErrorCode.Validation, 'size is now required');
  delete schema.properties.size;
  schema.required.pop();
  schema.properties.colour!.enum!.unshift('red');
  assert.is(await outcome(red.ctx.elicit({ message: 'c?', requestedSchema: schema as never })), 'accepted', 'back as it was');
});

test('a schema changed into one JSON cannot hold (a cycle) is refused as a bad schema, nothing asked', async () => {
  const schema: Record<string, unknown> = { type: 'object', properties: { n: { type: 'number' } } };
  const { ctx, asked } = contextAccepting(createSchemaValidator(), { n: 1 });
  assert.is(await outcome(ctx.elicit({ message: 'n?', requestedSchema: schema as never })), 'accepted');
  (schema.properties as Record<string, unknown>).self = schema;
  assert.is(await outcome(ctx.elicit({ message: 'n?', requestedSchema: schema as never })), LocalErrorCode.Validation);
  assert.is(asked.length, 1);
});

test('a Standard Schema is converted once per object (its libraries\' schemas do not change)', () => {
  let converted = 0;
  const standard = {
    '~standard': {
      version: 1, vendor: 'test',
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => { converted++; return { type: 'object', properties: { n: { type: 'number' } } }; } },
    },
  };
  const validator = createSchemaValidator();
  const first = preparedForm(standard, validator, undefined);
  assert.is(preparedForm(standard, validator, undefined), first);
  assert.is(converted, 1);
});

test.run();
