// travel_agent end to end over the memory pair: booking on accept (durable record,
// resource_link, readable and subscribable resource), every way of not confirming, prompt
// cancellation, and progress only for the client's own token.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ElicitParams, ElicitResult } from 'mcpwire/protocol';
import type { InboundContext } from 'mcpwire/client';
import { agentsFixture, type AgentsFixture } from './agents-fixture.ts';

type Answer = (params: ElicitParams, f: AgentsFixture, ctx: InboundContext) => ElicitResult | Promise<ElicitResult>;

/** A fixture whose elicitation handler is `answer` (given the fixture, to subscribe or cancel). */
async function withAnswer(answer: Answer, extra: Parameters<typeof agentsFixture>[0] = {}): Promise<AgentsFixture> {
  let f: AgentsFixture | undefined;
  const ready = agentsFixture({ ...extra, client: { ...extra.client, onElicit: (params, ctx) => answer(params, f!, ctx) } });
  f = await ready;
  return f;
}

function textOf(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

const accepted = suite('travel_agent: accept books, durably, with a resource to follow');

accepted('accept books: durable record, resource_link, readable resource, updates to a subscriber, progress per step', async () => {
  const seen: Array<{ progress: number; total?: number; message?: string }> = [];
  let subscribed = '';
  const f = await withAnswer(async (params, fx) => {
    assert.match(params.message, /Lisbon/);
    assert.match(params.message, /€/);
    subscribed = fx.uriFromLogs()!;
    await fx.subscribe(subscribed);
    return { action: 'accept', content: { confirm: true, fareClass: 'premium', notes: 'Window seats, please' } };
  });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'lisbon', travellers: 2, dates: '2026-05-01/2026-05-05' }, {
      onProgress: (p) => seen.push(p),
    });
    assert.not.ok(result.isError, textOf(result));
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.status, 'booked');
    assert.is(sc.fareClass, 'premium');
    assert.match(textOf(result), /Reference [A-Z2-9]{6}/);
    assert.match(textOf(result), /Window seats, please/);
    const link = result.content.find((c) => c.type === 'resource_link') as { uri: string; mimeType?: string } | undefined;
    assert.ok(link, 'a resource_link to the booking');
    assert.is(link!.uri, sc.uri);
    assert.is(link!.uri, subscribed);
    assert.is(link!.mimeType, 'application/json');

    const records = await f.records('bookings');
    assert.is(records.length, 1);
    assert.is(records[0]!.status, 'booked');
    assert.is(records[0]!.choice.fareClass, 'premium');
    assert.is(records[0]!.choice.total, sc.total);
    assert.equal(records[0]!.history.map((h: { status: string }) => h.status), ['searching', 'awaiting_confirmation', 'confirmed', 'booked']);

    const read = JSON.parse(await f.read(link!.uri));
    assert.is(read.status, 'booked');
    assert.is(read.reference, sc.reference);
    // Subscribed while awaiting confirmation: told of confirmed, seats, room, booked, itinerary.
    assert.ok(f.updates.filter((u) => u === link!.uri).length >= 4, `updates: ${f.updates.length}`);

    assert.equal(seen.map((p) => p.progress), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(seen.every((p) => p.total === 10 && typeof p.message === 'string' && p.message.length > 10));
    assert.match(seen[0]!.message!, /Searching flights London → Lisbon on Fri 1 May 2026/);
    assert.match(seen[8]!.message!, /Booked: reference/);
    assert.ok(f.logs.some((l) => /Booked London → Lisbon/.test(String(l.data))));
  } finally {
    await f.close();
  }
  f.taps.assertClean();
});

accepted('the form lists only fare classes within the budget, and says which are over it', async () => {
  let form: ElicitParams | undefined;
  const f = await withAnswer((params) => {
    form = params;
    return { action: 'accept', content: { confirm: true, fareClass: 'economy' } };
  });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Rome', dates: '2026-05-05', budget: 800 });
    assert.is((result.structuredContent as any).status, 'booked');
    const schema = (form as any).requestedSchema;
    assert.equal(schema.required, ['confirm', 'fareClass']);
    assert.equal(schema.properties.fareClass.oneOf.map((o: { const: string }) => o.const), ['economy', 'premium']);
    assert.match(form!.message, /business would exceed it/);
  } finally {
    await f.close();
  }
});

accepted('a 2025-06-18 client gets enum + enumNames, without a string default', async () => {
  let form: any;
  const f = await withAnswer((params) => {
    form = params;
    return { action: 'accept', content: { confirm: true, fareClass: 'business' } };
  }, { version: '2025-06-18' });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Paris' });
    assert.is((result.structuredContent as any).status, 'booked');
    assert.equal(form.requestedSchema.properties.fareClass.enum, ['economy', 'premium', 'business']);
    assert.is(form.requestedSchema.properties.fareClass.default, undefined);
    assert.is(form.requestedSchema.properties.fareClass.enumNames.length, 3);
  } finally {
    await f.close();
  }
  f.taps.assertClean();
});

accepted('a budget nothing fits ends before asking, with the cheapest price', async () => {
  let asked = false;
  const f = await withAnswer(() => { asked = true; return { action: 'cancel' }; });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Tokyo', budget: 300 });
    assert.not.ok(result.isError);
    assert.is((result.structuredContent as any).status, 'no_options');
    assert.match(textOf(result), /Nothing fits a budget of €300: the cheapest trip costs €/);
    assert.not.ok(asked);
  } finally {
    await f.close();
  }
});

accepted('bad arguments are a tool error naming what is possible, and write nothing', async () => {
  const f = await withAnswer(() => ({ action: 'cancel' }));
  try {
    const unknown = await f.client.callTool('travel_agent', { destination: 'Atlantis' });
    assert.ok(unknown.isError);
    assert.match(textOf(unknown), /Unknown destination "Atlantis".*Lisbon/);
    const past = await f.client.callTool('travel_agent', { destination: 'Lisbon', dates: '2026-01-02' });
    assert.match(textOf(past), /in the past/);
    const schema = await f.client.callTool('travel_agent', { destination: 'Lisbon', dates: 'next friday' });
    assert.ok(schema.isError);
    assert.is((await f.records('bookings')).length, 0);
  } finally {
    await f.close();
  }
});

accepted.run();

const refused = suite('travel_agent: decline, cancel, unconfirmed and errors never book');

for (const [name, answer, status] of [
  ['decline', { action: 'decline', content: { confirm: true, fareClass: 'economy', notes: 'ignored' } }, 'declined'],
  ['cancel', { action: 'cancel' }, 'cancelled'],
  ['accept without the box ticked', { action: 'accept', content: { confirm: false, fareClass: 'economy' } }, 'not_confirmed'],
] as const) {
  refused(`${name} stops and says nothing was booked`, async () => {
    const seen: number[] = [];
    const f = await withAnswer(() => answer as ElicitResult);
    try {
      const result = await f.client.callTool('travel_agent', { destination: 'Barcelona' }, { onProgress: (p) => seen.push(p.progress) });
      assert.not.ok(result.isError);
      assert.is((result.structuredContent as any).status, status);
      assert.match(textOf(result), /nothing was booked/);
      assert.not.match(textOf(result), /ignored/);
      const [rec] = await f.records('bookings');
      assert.is(rec!.status, status);
      assert.is(rec!.choice, undefined);
      assert.equal(seen, [1, 2, 3, 4, 5, 6, 10]);
    } finally {
      await f.close();
    }
  });
}

refused('an elicitation error fails closed: isError, nothing booked', async () => {
  const f = await withAnswer(() => { throw new Error('form renderer crashed'); });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Reykjavik' });
    assert.ok(result.isError);
    assert.match(textOf(result), /Could not get your confirmation .*nothing was booked/);
    const [rec] = await f.records('bookings');
    assert.is(rec!.status, 'confirmation_failed');
  } finally {
    await f.close();
  }
});

refused('an answer that does not match the form fails closed', async () => {
  const f = await withAnswer(() => ({ action: 'accept', content: { confirm: true, fareClass: 'first' } }));
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Marrakesh' });
    assert.ok(result.isError);
    assert.match(textOf(result), /does not match the requested schema/);
    assert.is((await f.records('bookings'))[0]!.status, 'confirmation_failed');
  } finally {
    await f.close();
  }
});

refused('an unanswered form times out and fails closed', async () => {
  const f = await withAnswer((_p) => new Promise<ElicitResult>(() => {}), { agents: { confirmTimeoutMs: 30 } });
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'New York' });
    assert.ok(result.isError);
    assert.match(textOf(result), /nothing was booked/);
    assert.is((await f.records('bookings'))[0]!.status, 'confirmation_failed');
  } finally {
    await f.close();
  }
});

refused('a client without elicitation is not asked, and nothing is booked', async () => {
  const f = await agentsFixture();
  try {
    const result = await f.client.callTool('travel_agent', { destination: 'Lisbon' });
    assert.ok(result.isError);
    assert.match(textOf(result), /did not declare the elicitation capability/);
    assert.not.ok(f.taps.messages.some((m) => (m.message as { method?: string }).method === 'elicitation/create'));
    assert.is((await f.records('bookings'))[0]!.status, 'confirmation_failed');
  } finally {
    await f.close();
  }
});

refused.run();

const cancel = suite('travel_agent: cancellation stops promptly and books nothing');

cancel('cancelling during a step stops at once; the booking is marked cancelled', async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  const f = await agentsFixture({ agents: { stepDelayMs: 60_000 } });
  try {
    const failure = await f.client.callTool('travel_agent', { destination: 'Lisbon' }, {
      signal: controller.signal,
      onProgress: () => { abortedAt = Date.now(); controller.abort(); },
    }).then(() => undefined, (e: Error) => e);
    assert.ok(failure, 'the call rejects');
    const uri = f.uriFromLogs()!;
    await f.subscribe(uri);
    const updated = f.nextUpdate(uri);
    if (JSON.parse(await f.read(uri)).status !== 'cancelled') await updated;
    assert.is(JSON.parse(await f.read(uri)).status, 'cancelled');
    assert.ok(Date.now() - abortedAt < 2000, 'stopped well before the 60 s step ended');
  } finally {
    await f.close();
  }
});

cancel('cancelling while the form is open withdraws the form and books nothing', async () => {
  const controller = new AbortController();
  let withdrawn: Promise<void> | undefined;
  let cancelledWrite: Promise<void> | undefined;
  let uri = '';
  const f = await withAnswer(async (_params, fx, ctx) => {
    withdrawn = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    uri = fx.uriFromLogs()!;
    await fx.subscribe(uri);
    cancelledWrite = fx.nextUpdate(uri);
    controller.abort();
    return new Promise<ElicitResult>(() => {}); // the user never answers
  });
  try {
    const failure = await f.client.callTool('travel_agent', { destination: 'Lisbon' }, { signal: controller.signal }).then(() => undefined, (e: Error) => e);
    assert.ok(failure);
    await withdrawn; // the server cancelled its form request
    await cancelledWrite; // and recorded the cancellation
    const recs = await f.records('bookings');
    assert.is(recs.length, 1);
    assert.is(recs[0]!.status, 'cancelled');
    assert.is(recs[0]!.choice, undefined);
  } finally {
    await f.close();
  }
});

cancel.run();

const tokens = suite('travel_agent: progress only for the token the client sent');

tokens('without a progress token no progress is sent; logs still are', async () => {
  const f = await withAnswer(() => ({ action: 'decline' }));
  try {
    await f.client.callTool('travel_agent', { destination: 'Paris' });
    const methods = f.taps.messages.map((m) => (m.message as { method?: string }).method);
    assert.not.ok(methods.includes('notifications/progress'));
    assert.ok(methods.includes('notifications/message'));
  } finally {
    await f.close();
  }
});

tokens('with a token, every progress notification carries exactly that token', async () => {
  const f = await withAnswer(() => ({ action: 'decline' }));
  try {
    await f.client.callTool('travel_agent', { destination: 'Paris' }, { onProgress: () => {} });
    const call = f.taps.messages.find((m) => (m.message as { method?: string }).method === 'tools/call')!.message as any;
    const token = call.params._meta.progressToken;
    assert.ok(token !== undefined);
    const progress = f.taps.messages.map((m) => m.message as any).filter((m) => m.method === 'notifications/progress');
    assert.is(progress.length, 7);
    assert.ok(progress.every((m) => m.params.progressToken === token));
  } finally {
    await f.close();
  }
});

tokens.run();
