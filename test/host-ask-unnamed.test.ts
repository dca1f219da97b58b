// A question a stdio server asks with two of its calls running: stdio ties a server's request
// to no call (2025-11-25 basic/transports), so it came as "? local asks:" and neither call's
// live line said anything of it; the person could not tell which call waited on the answer
// (hostwalk15's leftover). Now the header names each call it may be for, and each of their
// live lines says so while it is on screen. A question that names its call is unchanged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageParams, ElicitParams } from 'mcpwire/protocol';
import { waitingText } from '../host/calls.ts';
import { setUpAsks as setUp } from './support/asks-kit.ts';

const form: ElicitParams = { mode: 'form', message: 'Book London → Tokyo?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } } as ElicitParams;
const model: CreateMessageParams = { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise: trains run on time.' } }], maxTokens: 60 };

const unnamed = suite('host: a question that names no call, with several running on its server');

unnamed('a form names both calls it may be for, and both live lines say so until it is answered', async () => {
  const t = await setUp(['travel_agent', 'research_agent']);
  try {
    const answer = t.asks.elicit(t.conn, undefined, form, new AbortController().signal);
    await t.nextAsk(1);
    const text = t.printed.join('\n');
    assert.match(text, /\? local asks, for #1 travel_agent or #2 research_agent \(a stdio server's question does not say which call it is for\):/, text);
    for (const call of t.calls) assert.is(waitingText(call), 'the form below may be for it', `#${call.n}`);
    // On the live lines too (drawn with the next progress): they said nothing of it.
    for (const call of t.calls) t.output.progress(call, { progress: 6, total: 10, message: 'Waiting' });
    // At 80 columns the line with its bar does not fit: the wait comes first, whole, the rest under it.
    for (const call of t.calls) assert.match(t.live.get(`call-${call.n}`) ?? '(none)', /^#\d \w+ · the form below may be for it\n {2}[█░]+ {2}60% \(6\/10\) · [\d.]+ s · Waiting$/);
    t.asked[0]!.answer('d');
    assert.is((await answer).action, 'decline');
    for (const call of t.calls) assert.is(waitingText(call), '', `#${call.n} after the answer`);
  } finally {
    await t.done();
  }
});

unnamed('a model request names them too', async () => {
  const t = await setUp(['travel_agent', 'research_agent', 'research_agent']);
  try {
    const answer = t.asks.sample(t.conn, undefined, model, new AbortController().signal);
    await t.nextAsk(1);
    assert.match(t.printed.join('\n'), /🧠 local asks the model, for #1 travel_agent, #2 research_agent or #3 research_agent \(a stdio server's question does not say which call it is for\):/);
    assert.is(waitingText(t.calls[2]!), 'the model request below may be for it');
    t.asked[0]!.answer('y');
    await answer;
    assert.is(waitingText(t.calls[2]!), '');
  } finally {
    await t.done();
  }
});

unnamed('with one call running, the question is that call\'s, as before', async () => {
  const t = await setUp(['travel_agent']);
  try {
    const answer = t.asks.elicit(t.conn, undefined, form, new AbortController().signal);
    await t.nextAsk(1);
    assert.match(t.printed.join('\n'), /\? #1 travel_agent asks:/);
    assert.is(waitingText(t.calls[0]!), 'answer its form below');
    t.asked[0]!.answer('c');
    await answer;
  } finally {
    await t.done();
  }
});

unnamed.run();
