// travel_agent uses sampling as the reference article's travel example does: the price is
// confirmed by elicitation, then the client's model summarises the travel data before the
// booking. A client without sampling, or a failing model, still books with a plain summary.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RpcError, type CreateMessageParams } from 'mcpwire/protocol';
import { agentsFixture } from './agents-fixture.ts';

const sampling = suite('travel_agent: the model summarises the trip before booking');

const accept = () => ({ action: 'accept' as const, content: { confirm: true, fareClass: 'premium', notes: 'Quiet room' } });

sampling('confirm first, then one sampling request with the trip data; the summary is in the result and the record', async () => {
  const order: string[] = [];
  let asked: CreateMessageParams | undefined;
  const f = await agentsFixture({
    client: {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      onElicit: () => { order.push('elicit'); return accept(); },
      onSample: (params) => {
        order.push('sample');
        asked = params;
        return { role: 'assistant', content: { type: 'text', text: 'Two people fly to Tokyo in premium economy for four nights in Taitō.' }, model: 'test-model-1' };
      },
    },
  });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Tokyo', travellers: 2 });
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.status, 'booked');
    assert.equal(order, ['elicit', 'sample'], 'the price is confirmed before the model is asked');
    const prompt = JSON.stringify(asked!.messages);
    for (const fact of ['Tokyo', 'Travellers: 2', 'premium economy', 'Quiet room', 'Total price: €']) assert.ok(prompt.includes(fact), `the prompt holds ${fact}`);
    assert.is(sc.summaryMethod, 'sampling');
    assert.match(sc.summary, /premium economy for four nights/);
    assert.match(sc.message, /Summary \(by test-model-1\): Two people fly to Tokyo/);
    const [record] = await f.records('bookings');
    assert.equal(record!.summary, { text: sc.summary, method: 'sampling', model: 'test-model-1' });
  } finally {
    await f.close();
  }
});

sampling('a client without sampling: no request, a summary from the data, still booked', async () => {
  const f = await agentsFixture({ client: { capabilities: { elicitation: { form: {} } }, onElicit: accept } });
  try {
    const sc = (await f.client.callTool('travel_agent', { destination: 'Lisbon' })).structuredContent as Record<string, any>;
    assert.is(sc.status, 'booked');
    assert.is(sc.summaryMethod, 'template');
    assert.match(sc.summary, /^1 traveller from London to Lisbon, .*premium economy.*€[\d,]+ in total\.$/);
    assert.not.ok(f.taps.messages.some((m) => (m.message as { method?: string }).method === 'sampling/createMessage'));
  } finally {
    await f.close();
  }
});

sampling('the user declines the model request: the booking goes ahead with the plain summary, and says why', async () => {
  const f = await agentsFixture({
    client: {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      onElicit: accept,
      onSample: () => { throw new RpcError(-1, 'The user declined the sampling request'); },
    },
  });
  try {
    const sc = (await f.client.callTool('travel_agent', { destination: 'Rome' })).structuredContent as Record<string, any>;
    assert.is(sc.status, 'booked');
    assert.is(sc.summaryMethod, 'template');
    assert.ok(f.logs.some((l) => /Trip summary written without your model: .*declined/.test(String(l.data))));
  } finally {
    await f.close();
  }
});

sampling.run();
