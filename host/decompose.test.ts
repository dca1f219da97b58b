import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageResult, Tool } from 'mcpwire/protocol';
import { checkPlan, checkSteps, decompose, decomposeByRules, readGoal } from './decompose.ts';
import type { SamplingProvider } from './sampling.ts';

const tools: Tool[] = [
  { name: 'travel_agent', inputSchema: { type: 'object', properties: { destination: {}, travellers: {}, dates: {}, budget: {} }, required: ['destination'] } },
  { name: 'research_agent', inputSchema: { type: 'object', properties: { topic: {}, depth: {} }, required: ['topic'] } },
];

const rules = suite('decompose: rules, offline');

rules('"plan a research trip to Tokyo": a trip and research on the place, in parallel', () => {
  assert.equal(decomposeByRules('plan a research trip to Tokyo', tools).steps, [
    { tool: 'travel_agent', args: { destination: 'Tokyo' }, purpose: 'Trip to Tokyo' },
    { tool: 'research_agent', args: { topic: 'Tokyo' }, purpose: 'Research: Tokyo' },
  ]);
});

rules('travellers, dates, budget and an explicit topic are read from the goal', () => {
  const facts = readGoal('book a trip to New York for 2 people 2026-05-01 to 2026-05-05 under €3,000 and research urban heat');
  assert.equal({ ...facts }, {
    place: 'New York', travellers: 2, dates: '2026-05-01/2026-05-05', budget: 3000, topic: 'urban heat', wantsTravel: true, wantsResearch: true,
  });
  const steps = decomposeByRules('book a trip to New York for 2 people 2026-05-01 to 2026-05-05 under €3,000 and research urban heat', tools).steps;
  assert.equal(steps.map((s) => s.args), [
    { destination: 'New York', travellers: 2, dates: '2026-05-01/2026-05-05', budget: 3000 },
    { topic: 'urban heat' },
  ]);
});

rules('research only, travel only, and a goal the tools cannot serve', () => {
  assert.equal(decomposeByRules('tell me about heat pumps', tools).steps.map((s) => s.tool), ['research_agent']);
  assert.equal(decomposeByRules('fly to Lisbon', tools).steps.map((s) => s.tool), ['travel_agent']);
  assert.throws(() => decomposeByRules('fly to Lisbon', [tools[0]!].map((t) => ({ ...t, name: 'x' }))), /could not split/);
});

rules('several trips: one step each with its own facts, in order ("then" waits); the rules kept only the first', () => {
  assert.equal(decomposeByRules('plan a trip to Lisbon and a trip to Tokyo', tools).steps, [
    { tool: 'travel_agent', args: { destination: 'Lisbon' }, purpose: 'Trip to Lisbon' },
    { tool: 'travel_agent', args: { destination: 'Tokyo' }, purpose: 'Trip to Tokyo' },
  ]);
  const mixed = decomposeByRules('book a trip to Oslo for 2 people, then fly to Rome and research urban heat', tools).steps;
  assert.equal(mixed.map((s) => [s.tool, s.args, s.after]), [
    ['travel_agent', { destination: 'Oslo', travellers: 2 }, undefined],
    ['travel_agent', { destination: 'Rome' }, [0]],
    ['research_agent', { topic: 'urban heat' }, undefined],
  ]);
  assert.equal(decomposeByRules('a trip to Lisbon and Porto', tools).steps.map((s) => s.args), [{ destination: 'Lisbon' }], 'one trip: "and" before a place only');
});

const model = suite('decompose: with a configured model');

const fakeModel = (reply: string): SamplingProvider => ({
  label: 'fake', isModel: true,
  complete: async (): Promise<CreateMessageResult> => ({ role: 'assistant', content: { type: 'text', text: reply }, model: 'fake-1' }),
});

model('a valid JSON plan (even in a code fence) is used', async () => {
  const reply = '```json\n{"calls":[{"tool":"research_agent","arguments":{"topic":"Kyoto gardens"},"purpose":"Gardens"}]}\n```';
  const plan = await decompose('research Kyoto gardens', tools, fakeModel(reply), new AbortController().signal);
  assert.equal(plan, { steps: [{ tool: 'research_agent', args: { topic: 'Kyoto gardens' }, purpose: 'Gardens' }], by: 'fake-1' });
});

model('an unusable answer falls back to the rules, saying why', async () => {
  const plan = await decompose('plan a trip to Rome', tools, fakeModel('{"calls":[{"tool":"teleport","arguments":{}}]}'), new AbortController().signal);
  assert.is(plan.by, 'rules');
  assert.match(plan.note!, /unknown tool "teleport"/);
  assert.throws(() => checkSteps({ calls: [{ tool: 'travel_agent', arguments: {} }] }, tools), /lacks destination/);
});

rules('"then" orders the steps: research first, the trip after it', () => {
  const steps = decomposeByRules('research urban heat then book a trip to Lisbon', tools).steps;
  assert.equal(steps.map((s) => [s.tool, s.after]), [['research_agent', undefined], ['travel_agent', [0]]]);
  const other = decomposeByRules('book a trip to Lisbon then research urban heat', tools).steps;
  assert.equal(other.map((s) => [s.tool, s.after]), [['travel_agent', undefined], ['research_agent', [0]]]);
});

rules('several research questions: one step each, in order ("then" waits); the rules kept only the first', () => {
  const two = decomposeByRules('research heat pumps then research urban trees', tools).steps;
  assert.equal(two.map((s) => [s.args, s.after]), [[{ topic: 'heat pumps' }, undefined], [{ topic: 'urban trees' }, [0]]]);
  const three = decomposeByRules('plan a trip to Lisbon and research urban heat and research Tokyo trains', tools).steps;
  assert.equal(three.map((s) => [s.tool, s.args]), [
    ['travel_agent', { destination: 'Lisbon' }], ['research_agent', { topic: 'urban heat' }], ['research_agent', { topic: 'Tokyo trains' }],
  ]);
  const listed = decomposeByRules('research grid batteries, study heat pumps and learn about geothermal energy', tools).steps;
  assert.equal(listed.map((s) => s.args.topic), ['grid batteries', 'heat pumps', 'geothermal energy']);
});

rules('a topic ends at "and" only where another request starts ("research wind and solar" was "wind")', () => {
  assert.equal(decomposeByRules('research wind and solar', tools).steps.map((s) => s.args), [{ topic: 'wind and solar' }]);
  assert.equal(decomposeByRules('research urban heat and book a trip to Lisbon', tools).steps.map((s) => s.args),
    [{ destination: 'Lisbon' }, { topic: 'urban heat' }]);
});

model('one invalid proposed call is dropped with a message; the others and their dependencies stay', async () => {
  const reply = JSON.stringify({ calls: [
    { tool: 'research_agent', arguments: { topic: 'Rome' }, purpose: 'Read up' },
    { tool: 'teleport', arguments: {}, purpose: 'Beam' },
    { tool: 'travel_agent', arguments: { destination: 'Rome' }, purpose: 'Book', after: [1, 2] },
  ] });
  const plan = await decompose('research Rome then go there', tools, fakeModel(reply), new AbortController().signal);
  assert.is(plan.by, 'fake-1');
  assert.equal(plan.steps.map((s) => [s.tool, s.after]), [['research_agent', undefined], ['travel_agent', [0]]]);
  assert.is(plan.dropped!.length, 2);
  assert.match(plan.dropped![0]!, /call 2 names an unknown tool "teleport": dropped/);
  assert.match(plan.dropped![1]!, /call 3: its dependency on call 2 was ignored/);
  assert.throws(() => checkPlan({ calls: [{ tool: 'travel_agent', arguments: [] }] }, tools), /arguments that are not an object/);
});

rules.run();
model.run();
