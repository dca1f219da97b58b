// The plan's answer: honest counts per status, the steps' results and sources, and the
// model's combined answer when one is configured.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageParams, CreateMessageResult } from 'mcpwire/protocol';
import { combine, combineWithModel, statusCounts } from './plan-combine.ts';
import type { StepOutcome } from './plan-step.ts';
import type { SamplingProvider } from './sampling.ts';

const booked: StepOutcome = {
  step: { tool: 'travel_agent', args: {}, purpose: 'Trip to Rome' }, status: 'done', route: [{ server: 'a', problem: 'down' }, { server: 'b' }],
  result: { content: [{ type: 'text', text: 'Booked: London → Rome.' }, { type: 'resource_link', uri: 'agents://bookings/bk-1', name: 'b', title: 'Booking X' }] },
};
const declined: StepOutcome = {
  step: { tool: 'travel_agent', args: {}, purpose: 'Trip to Oslo' }, status: 'unfinished', route: [{ server: 'a' }],
  result: { content: [{ type: 'text', text: 'You declined the quote; nothing was booked.' }], structuredContent: { status: 'declined' } },
};
const skipped: StepOutcome = { step: { tool: 'research_agent', args: {}, purpose: 'Research' }, status: 'skipped', route: [], error: 'skipped: step 2 did not get done' };

const summary = suite('plan answer');

summary('a declined step is not counted as a success, and every status is named', () => {
  const text = combine('a goal', 'rules', [booked, declined, skipped], 1200);
  assert.match(text, /^══ Plan: "a goal" \(rules\): 1 of 3 steps done in [\d.]+ s \(1 done, 1 ended without doing it, 1 skipped\)/);
  assert.match(text, /1\. Trip to Rome \(travel_agent on b, after a failed\)\n {2}Booked: London → Rome\./);
  assert.match(text, /2\. Trip to Oslo \(travel_agent on a\): ended without doing it/);
  assert.match(text, /3\. Research \(research_agent\): skipped\n {2}skipped: step 2 did not get done/);
  assert.match(text, /Sources:\n {2}\[1\] agents:\/\/bookings\/bk-1 {2}Booking X/);
  assert.is(statusCounts([booked, booked]), '2 done');
});

summary('a declined or cancelled booking is no source: its record is linked under its own step only', () => {
  const link = (id: string, status: string) => ({ type: 'resource_link' as const, uri: `agents://bookings/${id}`, name: id, title: `Booking ${id}`, description: `Status: ${status}` });
  const declinedWithRecord: StepOutcome = {
    step: { tool: 'travel_agent', args: {}, purpose: 'Trip to Oslo' }, status: 'unfinished', route: [{ server: 'a' }],
    result: { content: [{ type: 'text', text: 'You declined the quote; nothing was booked.' }, link('bk-declined', 'declined')], structuredContent: { status: 'declined' } },
  };
  const cancelledForm: StepOutcome = {
    step: { tool: 'travel_agent', args: {}, purpose: 'Trip to Bern' }, status: 'unfinished', route: [{ server: 'b' }],
    result: { content: [{ type: 'text', text: 'You cancelled the booking form; nothing was booked.' }, link('bk-cancelled', 'cancelled')], structuredContent: { status: 'cancelled' } },
  };
  const text = combine('a goal', 'rules', [booked, declinedWithRecord, cancelledForm], 10);
  const [steps, sources] = text.split('\nSources:\n');
  assert.ok(sources, text);
  assert.match(sources!, /agents:\/\/bookings\/bk-1/);
  assert.not.match(sources!, /bk-declined|bk-cancelled/);
  assert.match(steps!, /2\. Trip to Oslo[^\n]*\n.*\n.*agents:\/\/bookings\/bk-declined/);
  assert.match(steps!, /3\. Trip to Bern[^\n]*\n.*\n.*agents:\/\/bookings\/bk-cancelled/);
  const onlyCancelled = combine('a goal', 'rules', [cancelledForm], 10);
  assert.not.match(onlyCancelled, /Sources:/);
});

summary('servers that could not be used are named with why, unless a step\'s route already says it', () => {
  const unused = [
    { server: 'junk', why: 'http://127.0.0.1:4813/mcp is not an MCP server: its answer to initialize was a body that is not JSON, not a JSON-RPC response' },
    { server: 'a', why: 'cannot reach a (connection refused); is it running?' },
  ];
  const text = combine('a goal', 'rules', [booked], 10, unused);
  assert.match(text, /\nNot used \(could not be used when the plan was made\):\n {2}junk: http:\/\/127\.0\.0\.1:4813\/mcp is not an MCP server/);
  assert.not.match(text, /\n {2}a: cannot reach/, 'a is in step 1\'s route ("after a failed")');
  assert.ok(text.indexOf('Not used') < text.indexOf('Sources:'));
  assert.not.match(combine('a goal', 'rules', [booked], 10), /Not used/);
});

summary('a source the step cites as [n] is listed as [step.n], not beside the step number', () => {
  const research: StepOutcome = {
    step: { tool: 'research_agent', args: {}, purpose: 'Research' }, status: 'done', route: [{ server: 'a' }],
    result: { content: [
      { type: 'text', text: 'Heat pumps work in the cold [1].' },
      { type: 'resource_link', uri: 'agents://reports/rp-1', name: 'r', title: 'Research report' },
      { type: 'resource_link', uri: 'agents://corpus/heat-pumps', name: 'h', title: '[1] Heat pumps in cold climates' },
    ] },
  };
  const text = combine('a goal', 'rules', [booked, research], 10);
  assert.match(text, /\n {2}\[2\] agents:\/\/reports\/rp-1 {2}Research report\n/);
  assert.match(text, /\n {2}\[2\.1\] agents:\/\/corpus\/heat-pumps {2}Heat pumps in cold climates$/);
  // Cited as listed (hostwalk): "[1]" in step 2's text pointed at [1], step 1's booking.
  assert.match(text, /2\. Research \(research_agent on a\)\n {2}Heat pumps work in the cold \[2\.1\]\./);
});

summary('a research step\'s sources are listed once, under Sources as [step.n], not also under the step', () => {
  const research: StepOutcome = {
    step: { tool: 'research_agent', args: {}, purpose: 'Research' }, status: 'done', route: [{ server: 'a' }],
    result: { content: [
      { type: 'text', text: 'Research on "x":\n\nTrains are punctual [1]. Districts differ [2].\n\nSources:\n[1] Trains (agents://corpus/trains)\n[2] Districts (agents://corpus/districts)' },
      { type: 'resource_link', uri: 'agents://reports/rp-1', name: 'r', title: 'Research report' },
      { type: 'resource_link', uri: 'agents://corpus/trains', name: 't', title: '[1] Trains' },
      { type: 'resource_link', uri: 'agents://corpus/districts', name: 'd', title: '[2] Districts' },
    ] },
  };
  const text = combine('a goal', 'rules', [research], 10);
  assert.is(text.match(/agents:\/\/corpus\/trains/g)?.length, 1, text);
  assert.is(text.match(/agents:\/\/corpus\/districts/g)?.length, 1, text);
  assert.is(text.match(/Sources:/g)?.length, 1, text);
  assert.match(text, /Trains are punctual \[1\.1\]\. Districts differ \[1\.2\]\.\n\nSources:\n {2}\[1\] agents:\/\/reports\/rp-1/);
  // A source list naming something the step does not link stays in its text.
  const other = { ...research, result: { content: [{ type: 'text' as const, text: 'Done [1].\n\nSources:\n[1] Elsewhere (https://example.org/a)' }] } };
  assert.match(combine('a goal', 'rules', [other], 10), /Sources:\n {2}\[1\] Elsewhere \(https:\/\/example\.org\/a\)/);
});

summary('a server that could not be used is named once, and not twice on its line', () => {
  const unused = [
    { server: 'dead', why: 'cannot reach dead (connection refused); is it running?' },
    { server: 'dead', why: 'cannot reach dead (connection refused); is it running?' },
    { server: 'mute', why: 'mute did not answer in time (initialize timed out after 15000 ms)' },
  ];
  const text = combine('a goal', 'rules', [booked], 10, unused);
  const block = text.split('Not used (could not be used when the plan was made):\n')[1]!.split('\n\n')[0]!;
  assert.equal(block.split('\n'), ['  cannot reach dead (connection refused); is it running?', '  mute did not answer in time (initialize timed out after 15000 ms)']);
});

summary('with a model: it is asked to combine the results, citing steps; without one, nothing is asked', async () => {
  let asked: CreateMessageParams | undefined;
  const model: SamplingProvider = {
    label: 'fake', isModel: true,
    complete: async (params): Promise<CreateMessageResult> => { asked = params; return { role: 'assistant', content: { type: 'text', text: 'Rome is booked [1]; Oslo was declined [2].' }, model: 'fake-2' }; },
  };
  const answer = await combineWithModel('a goal', [booked, declined], model, new AbortController().signal);
  assert.equal(answer, { text: 'Rome is booked [1]; Oslo was declined [2].', model: 'fake-2' });
  const prompt = JSON.stringify(asked!.messages);
  assert.match(prompt, /\[1\] Trip to Rome \(done\)/);
  assert.match(prompt, /\[2\] Trip to Oslo \(ended without doing it\)/);
  const offline: SamplingProvider = { label: 'local', isModel: false, complete: async () => { throw new Error('not asked'); } };
  assert.is(await combineWithModel('a goal', [booked], offline, new AbortController().signal), undefined);
});

summary.run();
