import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldFromSchema, fieldPrompt, fieldsFromSchema, parseAnswer, pickOption, toolArgumentsHelp } from './fields.ts';

const kinds = suite('fields: every primitive form of 2025-11-25 elicitation');

kinds('string, number, integer, boolean, untitled enum, titled oneOf, legacy enumNames, multi-select', () => {
  const fields = fieldsFromSchema({
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email', title: 'Email' },
      ratio: { type: 'number', minimum: 0, maximum: 1 },
      count: { type: 'integer', default: 2 },
      ok: { type: 'boolean' },
      colour: { type: 'string', enum: ['red', 'green'] },
      fare: { type: 'string', oneOf: [{ const: 'eco', title: 'Economy' }, { const: 'biz', title: 'Business' }] },
      size: { type: 'string', enum: ['s', 'l'], enumNames: ['Small', 'Large'] },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, minItems: 1 },
      titled: { type: 'array', items: { anyOf: [{ const: 'x', title: 'Ex' }] } },
    },
    required: ['email', 'ok'],
  });
  assert.equal(fields.map((f) => f.kind), ['string', 'number', 'integer', 'boolean', 'enum', 'enum', 'enum', 'multi', 'multi']);
  assert.equal(fields.map((f) => f.required), [true, false, false, true, false, false, false, false, false]);
  assert.equal(fields[5]!.options, [{ value: 'eco', label: 'Economy' }, { value: 'biz', label: 'Business' }]);
  assert.equal(fields[6]!.options.map((o) => o.label), ['Small', 'Large']);
  assert.equal(fields[8]!.options, [{ value: 'x', label: 'Ex' }]);
});

kinds('tool schemas: lists of primitives and anything else as JSON', () => {
  assert.is(fieldFromSchema('ids', { type: 'array', items: { type: 'integer' } }, false).kind, 'list');
  assert.is(fieldFromSchema('obj', { type: 'object' }, false).kind, 'json');
  assert.is(fieldFromSchema('maybe', { type: ['string', 'null'] }, false).kind, 'string');
});

const parse = suite('fields: reading and checking answers');

parse('blank takes the default, leaves an optional field out, and refuses a required one', () => {
  assert.equal(parseAnswer(fieldFromSchema('n', { type: 'integer', default: 3 }, true), ''), { ok: true, value: 3, omitted: false });
  assert.equal(parseAnswer(fieldFromSchema('n', { type: 'integer' }, false), '  '), { ok: true, value: undefined, omitted: true });
  const r = parseAnswer(fieldFromSchema('n', { type: 'integer', title: 'Nights' }, true), '');
  assert.equal(r, { ok: false, message: 'Nights is required' });
});

parse('types and constraints: yes/no words, whole numbers, ranges, lengths, formats', () => {
  const bool = fieldFromSchema('b', { type: 'boolean' }, true);
  assert.equal(parseAnswer(bool, 'Yes'), { ok: true, value: true, omitted: false });
  assert.equal(parseAnswer(bool, 'n'), { ok: true, value: false, omitted: false });
  assert.not.ok(parseAnswer(bool, 'maybe').ok);
  const int = fieldFromSchema('i', { type: 'integer', minimum: 1, maximum: 9 }, true);
  assert.not.ok(parseAnswer(int, '2.5').ok);
  assert.not.ok(parseAnswer(int, '10').ok);
  assert.equal(parseAnswer(int, '9'), { ok: true, value: 9, omitted: false });
  assert.not.ok(parseAnswer(fieldFromSchema('s', { type: 'string', maxLength: 3 }, true), 'abcd').ok);
  assert.not.ok(parseAnswer(fieldFromSchema('e', { type: 'string', format: 'email' }, true), 'nope').ok);
  assert.ok(parseAnswer(fieldFromSchema('e', { type: 'string', format: 'email' }, true), 'a@b.io').ok);
  assert.not.ok(parseAnswer(fieldFromSchema('d', { type: 'string', format: 'date' }, true), '2026-02-30').ok);
  assert.ok(parseAnswer(fieldFromSchema('d', { type: 'string', format: 'date' }, true), '2026-02-28').ok);
  assert.not.ok(parseAnswer(fieldFromSchema('u', { type: 'string', format: 'uri' }, true), 'not a uri').ok);
  assert.not.ok(parseAnswer(fieldFromSchema('p', { type: 'string', pattern: '^\\d+$' }, true), 'x1').ok);
  // A field that describes its form is told in those words, not as a regular expression; without
  // the description's full stop, as the form goes on with "; try again" (it read '.".; try again').
  const dates = fieldFromSchema('dates', { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Departure date, e.g. "2026-05-01". ' }, false);
  assert.equal(parseAnswer(dates, 'tomorrow'), { ok: false, message: 'dates: "tomorrow" is not in the form it takes: Departure date, e.g. "2026-05-01"' });
  assert.not.ok(parseAnswer(fieldFromSchema('m', { type: 'number', exclusiveMinimum: 0 }, true), '0').ok);
});

parse('choices by number, value, label or a unique prefix; multi-select as a comma list', () => {
  const fare = fieldFromSchema('fare', { type: 'string', oneOf: [{ const: 'economy', title: 'Economy' }, { const: 'premium', title: 'Premium economy' }] }, true);
  assert.equal(parseAnswer(fare, '2'), { ok: true, value: 'premium', omitted: false });
  assert.equal(parseAnswer(fare, 'ECONOMY'), { ok: true, value: 'economy', omitted: false });
  assert.equal(parseAnswer(fare, 'prem'), { ok: true, value: 'premium', omitted: false });
  assert.match((pickOption(fare.options, 'first') as string), /not a choice/);
  const tags = fieldFromSchema('t', { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, maxItems: 2 }, false);
  assert.equal(parseAnswer(tags, '1, c'), { ok: true, value: ['a', 'c'], omitted: false });
  assert.not.ok(parseAnswer(tags, 'a,b,c').ok);
});

parse('the prompt shows type, default and [required] with brackets as typed', () => {
  const f = fieldFromSchema('destination', { type: 'string', title: 'Destination', default: 'Paris' }, true);
  assert.is(fieldPrompt(f), 'Destination (text) [default: Paris] [required]: ');
  assert.is(fieldPrompt(fieldFromSchema('ok', { type: 'boolean', default: false }, false)), 'ok (yes/no) [default: no]: ');
});

kinds('`<tool> ?` names an argument once when its schema has no title, and shows a title beside the name', () => {
  const help = toolArgumentsHelp('book', {
    type: 'object',
    properties: { destination: { type: 'string', description: 'City' }, nights: { type: 'integer', title: 'Nights away' } },
    required: ['destination'],
  }, 'Books a trip');
  assert.equal(help.split('\n'), [
    'book: Books a trip',
    '  destination (text) [required] — City',
    '  nights: Nights away (integer)',
    'e.g. book destination=...',
  ]);
});

kinds.run();
parse.run();
