// The travel agent, written for the 2025 era, served to a 2026-07-28 client: its
// confirmation form becomes an InputRequiredResult round trip, and the booking completes on
// the retry. Every message validates against the 2026-07-28 schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../server/index.ts';
import { registerAgents } from '../examples/agents/index.ts';
import { Exchange, request } from './modern-kit.ts';

const travel = suite('travel_agent in the 2026-07-28 era');

travel('the confirmation is an input round trip; accepting books the trip', async () => {
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-modern-agents-'));
  try {
    const server = createServer({ name: 'agents-modern', version: '1.0.0' });
    await registerAgents(server, { stateDir: state, stepDelayMs: 0, now: () => new Date('2026-04-01T09:00:00Z') });
    const x = new Exchange(server);
    const args = { destination: 'lisbon', travellers: 2, dates: '2026-05-01/2026-05-05' };
    const first = request('tools/call', { name: 'travel_agent', arguments: args }, { elicitation: {} });
    const asked = await x.result(first);
    assert.is(asked.resultType, 'input_required');
    const [key, input] = Object.entries(asked.inputRequests as Record<string, { method: string; params: { message: string; requestedSchema: { properties: Record<string, { enum?: string[]; oneOf?: Array<{ const: string }> }> } } }>)[0]!;
    assert.is(input.method, 'elicitation/create');
    assert.match(input.params.message, /Lisbon/);
    const fare = input.params.requestedSchema.properties.fareClass!;
    const fareClass = fare.enum?.[0] ?? fare.oneOf?.[0]?.const;
    const { _meta: _m, ...params } = first.params as Record<string, unknown>;
    const retry = request('tools/call', { ...params, inputResponses: { [key]: { action: 'accept', content: { confirm: true, fareClass } } }, requestState: asked.requestState }, { elicitation: {} });
    const done = await x.result(retry);
    assert.is(done.resultType, 'complete');
    assert.not.ok(done.isError, JSON.stringify(done.content));
    assert.match(JSON.stringify(done.content), /[Bb]ooked/);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});

travel.run();
