// hostwalk16's leftover: a booking form left open past its server's limit was withdrawn by the
// server (notifications/cancelled) and vanished without a word, and the research call's model
// request, waiting behind it all that time, was said to wait nowhere but on its live line (the
// server gave up on it too). Now the question waiting behind another says so once, a question
// the server withdraws says so with the server's reason, and the call is marked (a plan then
// does not ask the person again elsewhere: host/plan-step.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledByPeer, type CreateMessageParams, type ElicitParams } from 'mcpwire/protocol';
import { setUpAsks } from './support/asks-kit.ts';

const form: ElicitParams = { mode: 'form', message: 'Book London → Tokyo?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } } as ElicitParams;
const model: CreateMessageParams = { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise: trains run on time.' } }], maxTokens: 60 };

const withdrawn = suite('host: a question waiting behind another, and one its server withdraws');

withdrawn('the second question says it waits; the form withdrawn by its server says so and marks its call', async () => {
  const t = await setUpAsks(['travel_agent', 'research_agent'], 'http');
  try {
    const byServer = new AbortController();
    const booking = t.asks.elicit(t.conn, 1, form, byServer.signal);
    booking.catch(() => undefined);
    await t.nextAsk(1);
    const research = t.asks.sample(t.conn, 2, model, new AbortController().signal);
    research.catch(() => undefined); // a failed assertion below leaves it to the teardown
    await new Promise((resolve) => setImmediate(resolve));
    const waits = t.printed.filter((line) => /asks too/.test(line));
    assert.equal(waits, ['… #2 research_agent asks too: its model request comes once the form above is answered'], t.printed.join('\n'));
    byServer.abort(new CancelledByPeer('elicitation/create timed out after 600000 ms'));
    await booking.catch(() => undefined);
    assert.ok(t.printed.includes('⊘ #1 travel_agent: local withdrew its form before you answered (elicitation/create timed out after 600000 ms)'), t.printed.join('\n'));
    assert.is(t.calls[0]!.withdrawnAsk, 'form');
    // The model request is shown next, and answered.
    await t.nextAsk(2);
    assert.match(t.asked[1]!.prompt, /Answer it with/);
    t.asked[1]!.answer('y');
    await research;
    assert.is(t.calls[1]!.withdrawnAsk, undefined);
  } finally {
    await t.done();
  }
});

withdrawn('a question withdrawn while it waited its turn says it was never shown', async () => {
  const t = await setUpAsks(['travel_agent', 'research_agent'], 'http');
  try {
    const booking = t.asks.elicit(t.conn, 1, form, new AbortController().signal);
    booking.catch(() => undefined);
    await t.nextAsk(1);
    const byServer = new AbortController();
    const research = t.asks.sample(t.conn, 2, model, byServer.signal);
    byServer.abort(new CancelledByPeer('sampling/createMessage timed out after 300000 ms'));
    await research.catch(() => undefined);
    assert.ok(t.printed.includes('⊘ #2 research_agent: local withdrew its model request before it was shown (sampling/createMessage timed out after 300000 ms)'), t.printed.join('\n'));
    assert.is(t.calls[1]!.withdrawnAsk, 'model request');
    t.asked[0]!.answer('d');
    assert.is((await booking).action, 'decline');
    assert.is(t.calls[0]!.withdrawnAsk, undefined, 'answered: not withdrawn');
  } finally {
    await t.done();
  }
});

withdrawn.run();
