import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planKeptLine } from './repl-plans.ts';

const line = suite('repl-plans: what leaving says of a plan kept');

line('calls in flight go on, or stop with the demo\'s server', () => {
  assert.match(planKeptLine([], [], false), /^its calls in flight go on, and the next start offers to finish it/);
  assert.match(planKeptLine([], [], true), /^its calls in flight stop with the server and resume when you start again/);
});

line('cancelled calls are named; calls that end with their stdio server are not said to go on', () => {
  assert.match(planKeptLine(['#1', '#2'], [], false), /^#1, #2 could not be resumed and were cancelled; the next start offers to finish it: a cancelled step runs again only where that is safe/);
  const both = planKeptLine(['#1'], ['#3'], false);
  assert.match(both, /^#1, #3 could not be resumed \(#1 cancelled; #3 ends with the stdio server\); the next start offers to finish it: such a step runs again only where that is safe/);
  assert.not.match(both, /go on/);
  assert.match(planKeptLine([], ['#2', '#3'], true), /^#2, #3 could not be resumed \(#2, #3 end with the stdio server\)/);
});

line('each step\'s outcome is named when known, as the next start\'s offer names it', () => {
  const named = planKeptLine(['#1'], ['#2'], false, ['#1\'s step runs again (research_agent is read-only)', '#2\'s step is not run again (travel_agent may change something and the step has no idempotency key)']);
  assert.match(named, /; the next start offers to finish it: #1's step runs again \(research_agent is read-only\), #2's step is not run again \(travel_agent [^)]*\), then the steps not yet started and the combined answer$/);
  assert.not.match(named, /only where that is safe/);
});

line.run();
