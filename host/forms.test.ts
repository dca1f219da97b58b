import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ElicitFormParams } from 'mcpwire/protocol';
import { autoAnswer, promptToolArguments, runElicitationForm, runUrlElicitation, type FormIO } from './forms.ts';

/** A person who types `answers` in order; undefined once they run out (input ended). */
function person(answers: string[]): FormIO & { printed: string[]; asked: string[] } {
  const printed: string[] = [];
  const asked: string[] = [];
  return {
    printed, asked,
    print: (t) => { printed.push(t); },
    ask: async (p) => { asked.push(p); return answers.shift(); },
  };
}

const booking: ElicitFormParams = {
  message: 'Book this trip for €1,200?',
  requestedSchema: {
    type: 'object',
    properties: {
      confirm: { type: 'boolean', title: 'Book this trip', default: false },
      fareClass: { type: 'string', title: 'Fare class', oneOf: [{ const: 'economy', title: 'Economy' }, { const: 'business', title: 'Business' }], default: 'economy' },
      notes: { type: 'string', title: 'Notes', maxLength: 10 },
    },
    required: ['confirm', 'fareClass'],
  },
};

const form = suite('forms: elicitation as a form');

form('accept: fields asked in order, a wrong answer re-asked, defaults on Enter, confirmed before sending', async () => {
  const io = person(['', 'sure', 'yes', '', 'far too long notes', 'aisle', '']);
  const result = await runElicitationForm(io, booking, 'asks:');
  assert.equal(result, { action: 'accept', content: { confirm: true, fareClass: 'economy', notes: 'aisle' } });
  assert.ok(io.printed.some((p) => p.includes('"sure" is not yes or no')));
  assert.ok(io.printed.some((p) => p.includes('at most 10 characters')));
  assert.ok(io.asked.some((p) => p.includes('[default: Economy] [required]')));
});

form('decline and cancel, up front or from any field; end of input is a cancel', async () => {
  assert.equal(await runElicitationForm(person(['d']), booking, ''), { action: 'decline' });
  assert.equal(await runElicitationForm(person(['c']), booking, ''), { action: 'cancel' });
  assert.equal(await runElicitationForm(person(['a', 'yes', '!decline']), booking, ''), { action: 'decline' });
  assert.equal(await runElicitationForm(person(['a', '!cancel']), booking, ''), { action: 'cancel' });
  assert.equal(await runElicitationForm(person(['a', 'yes']), booking, ''), { action: 'cancel' });
});

form('edit goes round the fields again before sending', async () => {
  const result = await runElicitationForm(person(['a', 'no', '', '', 'e', 'yes', '2', '', 'y']), booking, '');
  assert.equal(result, { action: 'accept', content: { confirm: true, fareClass: 'business' } });
});

form('edit offers the answers given: Enter keeps each one, only what is retyped changes', async () => {
  const io = person(['a', 'yes', '2', 'aisle', 'e', '', '', 'window', 'y']);
  const result = await runElicitationForm(io, booking, '');
  assert.equal(result, { action: 'accept', content: { confirm: true, fareClass: 'business', notes: 'window' } });
  const second = io.asked.slice(io.asked.findIndex((p) => p.includes('Send?')) + 1);
  assert.ok(second[0]?.includes('[now: yes]'), second[0]);
  assert.ok(second[1]?.includes('[now: Business]'), second[1]);
});

form('edit can take an optional answer back with !clear (Enter kept it); a required one cannot be emptied', async () => {
  const io = person(['a', 'yes', '2', 'aisle', 'e', '!clear', '', '', '!clear', 'y']);
  const result = await runElicitationForm(io, booking, '');
  assert.equal(result, { action: 'accept', content: { confirm: true, fareClass: 'business' } });
  assert.ok(io.printed.some((p) => p.includes('Book this trip is required, so it cannot be left empty')), io.printed.join('\n'));
  assert.ok(io.printed.some((p) => p.includes('!clear empties an optional one')));
});

form('--yes: defaults, boxes ticked; a required field with no default cancels', () => {
  assert.equal(autoAnswer(booking), { action: 'accept', content: { confirm: true, fareClass: 'economy' } });
  assert.equal(autoAnswer({ message: 'name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }), { action: 'cancel' });
});

form('URL mode shows the whole URL and opens nothing without a yes', async () => {
  const opened: string[] = [];
  const open = async (url: string) => { opened.push(url); return true; };
  const params = { mode: 'url' as const, message: 'Sign in', url: 'https://auth.example.com/device?code=ABCD-1234', elicitationId: 'e1' };
  const declined = person(['n']);
  assert.equal(await runUrlElicitation(declined, params, 'asks:', open), { action: 'decline' });
  assert.ok(declined.printed.join('\n').includes('https://auth.example.com/device?code=ABCD-1234'));
  assert.ok(declined.printed.join('\n').includes('a secure link to auth.example.com'));
  assert.equal(opened, []);
  assert.equal(await runUrlElicitation(person(['maybe', 'y']), params, '', open), { action: 'accept' });
  assert.equal(opened, [params.url]);
  assert.equal(await runUrlElicitation(person([]), params, '', open), { action: 'cancel' });
});

const args = suite('forms: tool arguments field by field');

args('blank leaves an argument out (the server default applies); required ones must be answered', async () => {
  const schema = { type: 'object', properties: { destination: { type: 'string' }, travellers: { type: 'integer', default: 1 }, budget: { type: 'number' } }, required: ['destination'] };
  const io = person(['', 'Tokyo', '', '2500']);
  assert.equal(await promptToolArguments(io, schema, {}), { destination: 'Tokyo', budget: 2500 });
  assert.ok(io.printed.some((p) => p.includes('destination is required')));
  assert.ok(io.asked.some((p) => p.includes('travellers (integer) [default: 1]')));
  assert.equal(await promptToolArguments(person(['!cancel']), schema, {}), undefined);
  assert.equal(await promptToolArguments(person(['', '']), schema, { destination: 'Rome' }), { destination: 'Rome' });
});

form.run();
args.run();
