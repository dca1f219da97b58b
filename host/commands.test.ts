import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { helpFor, parseCallNumbers, parseCommand, parseInlineArgs, splitWords, suggest } from './commands.ts';

const travel = {
  type: 'object',
  properties: {
    destination: { type: 'string' }, origin: { type: 'string', default: 'London' }, dates: { type: 'string' },
    travellers: { type: 'integer', minimum: 1 }, budget: { type: 'number' }, direct: { type: 'boolean' },
  },
  required: ['destination'],
};
const research = { type: 'object', properties: { topic: { type: 'string' }, depth: { type: 'string', enum: ['quick', 'standard', 'deep'] } }, required: ['topic'] };
const tools = ['travel_agent', 'research_agent'];

const words = suite('commands: what a line means');

words('built-in words are case-insensitive, with their short forms; tool names are exact', () => {
  assert.equal(parseCommand('  LIST ', tools), { kind: 'builtin', name: 'list', rest: '' });
  assert.equal(parseCommand('q', tools), { kind: 'builtin', name: 'quit', rest: '' });
  assert.equal(parseCommand('clean', tools), { kind: 'builtin', name: 'clean-tokens', rest: '' });
  assert.equal(parseCommand('plan a trip to Rome', tools), { kind: 'builtin', name: 'plan', rest: 'a trip to Rome' });
  assert.equal(parseCommand('travel_agent destination=Tokyo', tools), { kind: 'tool', tool: 'travel_agent', rest: 'destination=Tokyo' });
  assert.equal(parseCommand('', tools), { kind: 'empty' });
  // Typed by habit in a shell-like prompt; it was "Unknown command" (demowalk).
  assert.equal(parseCommand('clear', tools), { kind: 'builtin', name: 'clear', rest: '' });
});

words('an empty value is checked as any other (destination= went to the server as "")', () => {
  const schema = { type: 'object', properties: { destination: { type: 'string', minLength: 2 }, notes: { type: 'string' } }, required: ['destination'] };
  assert.throws(() => parseInlineArgs('destination=', schema), /^destination: at least 2 characters, please$/);
  assert.equal(parseInlineArgs('destination=Rome notes=', schema).args, { destination: 'Rome', notes: '' });
});

words('a ";" is no command separator: refused, not read into the arguments ("Lisbon; servers" was the destination)', () => {
  assert.throws(() => parseInlineArgs('Lisbon; servers', travel), /^";" does not separate commands here: one line runs one command, and "servers" would be read as arguments/);
  assert.throws(() => parseInlineArgs('destination=Lisbon ; servers', travel), /"servers" would be read as arguments/);
  // Quoted or escaped, or at the end of the line, it is part of a value.
  assert.equal(parseInlineArgs('"Lisbon; Porto" travellers=2', travel).args, { destination: 'Lisbon; Porto', travellers: 2 });
  assert.equal(parseInlineArgs('destination=Lisbon\\; travellers=2', travel).args.destination, 'Lisbon;');
  assert.equal(parseInlineArgs('destination=Lisbon;', travel).args, { destination: 'Lisbon;' });
});

words('help for one command word, by any of its names (help travel_agent printed the whole text)', () => {
  assert.match(helpFor('resume')!, /^Commands \(case-insensitive\):\n {2}resume \| r \[#n \.\.\.\] +watch detached calls again/);
  assert.is(helpFor('R'), helpFor('resume'));
  assert.is(helpFor('attach'), helpFor('resume')); // an alias the entry does not name
  assert.match(helpFor('?')!, /\n {2}help \| h \| \? \[word\]/);
  assert.match(helpFor('call')!, /\n {2}call <tool>/);
  assert.match(helpFor('clean')!, /\n {2}clean-tokens \| clean /);
  assert.is(helpFor('travel_agent'), undefined);
  assert.is(helpFor('<tool>'), undefined);
});

words('unknown input gets the closest command or tool as a hint', () => {
  assert.equal(parseCommand('travel-agent x', tools), { kind: 'unknown', word: 'travel-agent', line: 'travel-agent x', suggestion: 'travel_agent' });
  assert.equal(parseCommand('Travel_Agent', tools), { kind: 'unknown', word: 'Travel_Agent', line: 'Travel_Agent', suggestion: 'travel_agent' });
  assert.is((parseCommand('[hello]', tools) as { suggestion?: string }).suggestion, undefined);
  assert.is(suggest('stauts', ['status', 'list']), 'status');
  // Only list, help, status, resume, plan, history and quit were offered: "cancle" had no suggestion.
  for (const [typo, meant] of [['cancle', 'cancel'], ['detahc', 'detach'], ['servres', 'servers'], ['raed', 'read'], ['claer', 'clear'], ['exti', 'exit']]) {
    assert.is((parseCommand(`${typo} 1`, tools) as { suggestion?: string }).suggestion, meant, typo);
  }
});

words('words split like a shell: quotes group, backslash escapes', () => {
  assert.equal(splitWords(`a "b c" 'd e' f\\ g x="New York"`), ['a', 'b c', 'd e', 'f g', 'x=New York']);
  assert.throws(() => splitWords('"open'), /unclosed/);
});

words('call numbers with or without #', () => {
  assert.equal(parseCallNumbers('#2 3'), [2, 3]);
  assert.throws(() => parseCallNumbers('two'), /not a call number/);
});

const inline = suite('commands: inline arguments read against the input schema');

inline('name=value pairs typed by the schema', () => {
  assert.equal(parseInlineArgs('destination=Tokyo travellers=2 budget=1500.5 direct=yes', travel), {
    args: { destination: 'Tokyo', travellers: 2, budget: 1500.5, direct: true }, missing: [],
  });
  assert.equal(parseInlineArgs('destination="New York" dates=2026-05-01/2026-05-05', travel).args, { destination: 'New York', dates: '2026-05-01/2026-05-05' });
});

inline('bare words fill the required arguments; the last string one takes the rest', () => {
  assert.equal(parseInlineArgs('Tokyo travellers=2', travel).args, { destination: 'Tokyo', travellers: 2 });
  assert.equal(parseInlineArgs('grid batteries depth=quick', research).args, { topic: 'grid batteries', depth: 'quick' });
});

inline('one JSON object, or name:=<json> for one argument', () => {
  assert.equal(parseInlineArgs('{"destination":"Oslo","travellers":3}', travel), { args: { destination: 'Oslo', travellers: 3 }, missing: [] });
  assert.equal(parseInlineArgs('destination:="Rome" travellers:=4 notes:=["a b",1]', { ...travel, properties: { ...travel.properties, notes: {} } }).args, { destination: 'Rome', travellers: 4, notes: ['a b', 1] });
  assert.throws(() => parseInlineArgs('destination:=Rome', travel), /destination:= needs a JSON value, e\.g\./);
  assert.equal(parseInlineArgs(`destination:='"New York"' notes:='["a", "b"]'`, { ...travel, properties: { ...travel.properties, notes: {} } }).args, { destination: 'New York', notes: ['a', 'b'] });
  assert.throws(() => parseInlineArgs(`destination:='[oops'`, travel), /destination:= needs a JSON value; \[oops is not JSON/);
  assert.throws(() => parseInlineArgs('{"destination":', travel), /do not parse/);
});

inline('mistakes say what to type instead; missing required arguments are reported', () => {
  assert.throws(() => parseInlineArgs('city=Tokyo', travel), /no argument "city"; it takes destination, origin/);
  assert.throws(() => parseInlineArgs('destination=Rome travellers=two', travel), /^travellers: "two" is not a number/);
  assert.throws(() => parseInlineArgs('destination=Rome travellers=0', travel), /^travellers: .*at least 1/);
  assert.throws(() => parseInlineArgs('depth=wide topic=x', research), /^depth: .*not a choice/);
  assert.equal(parseInlineArgs('travellers=2', travel).missing, ['destination']);
});

words.run();
inline.run();
