// A property counts only when the arguments have it as their own (JSON has no prototype):
// before, `required: ['constructor']` was met by every object's prototype, and a schema for
// an optional property named `constructor` or `toString` was applied to the prototype's
// function, so a call that left it out was refused. Both engines: the plain validator, and
// ajv (`ownProperties`) for a schema that is not plain.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSchemaValidator } from '../server/validation.ts';

const own = suite('schemas read only the own properties of a value');

for (const [engine, extra] of [['plain', {}], ['ajv', { anyOf: [{ type: 'object' }] }]] as const) {
  own(`${engine}: required 'constructor' and 'toString' are missing from {}`, async () => {
    const check = createSchemaValidator().compile({ type: 'object', required: ['constructor', 'toString'], ...extra });
    await check.pending?.();
    assert.equal(check({}), { ok: false, errors: ["(root): must have required property 'constructor'", "(root): must have required property 'toString'"] });
    assert.equal(check({ constructor: 'c', toString: 't' }), { ok: true });
  });

  own(`${engine}: an optional property named 'constructor' may be left out`, async () => {
    const check = createSchemaValidator().compile({ type: 'object', properties: { constructor: { type: 'string' }, toString: { type: 'string' } }, ...extra });
    await check.pending?.();
    assert.equal(check({}), { ok: true });
    assert.equal(check({ constructor: 5 }), { ok: false, errors: ['/constructor: must be string'] });
  });
}

own.run();
