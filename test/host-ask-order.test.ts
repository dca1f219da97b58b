// Model requests of several calls, one at a time (userwalk, session 12): the "→ answered by"
// line of a request was printed after the next request had taken the turn, so it read as the
// answer to that one; and a request of a call a plan had already ended (moved to another
// server) still waited its turn and was shown and approved, then asked again by the redirected
// step. Now the answer is printed in its request's turn, and a waiting request of an ended call
// is dropped unasked (the server is told again to stop the call).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { RpcError, type CreateMessageParams } from 'mcpwire/protocol';
import { createAskHandlers } from '../host/asks.ts';
import { createCallOutput } from '../host/calls.ts';
import type { Connection } from '../host/connection-types.ts';
import { createCallHistory } from '../host/history.ts';
import { createLocalSummariser } from '../host/sampling.ts';
import { tempDir } from './host-harness.ts';
import { scriptedTerminal } from './scripted-terminal.ts';
import { setUpAsks } from './support/asks-kit.ts';

async function setUp(options: { sharedAnswers?: boolean; notifyFails?: Error } = {}) {
  const dir = await tempDir('mcpwire-ask-order-');
  const { term, printed, asked, nextAsk } = scriptedTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const cancels: unknown[] = [];
  const conn = {
    name: 'agents', reconnects: 0, sessionId: 's-1', hold() {}, holdQuestion() {}, release() {}, releaseOnNext() {},
    ensure: async () => ({ peer: { notify: async (_method: string, params: unknown) => {
      if (options.notifyFails) throw options.notifyFails;
      cancels.push(params);
    } } }),
  } as unknown as Connection;
  // With sharedAnswers the two calls are two attempts of one plan step (the second its redirect).
  const answers = options.sharedAnswers ? new Map<string, unknown>() : undefined;
  const calls = [1, 2].map((id) => {
    const record = history.begin({ server: 'agents', serverName: 'agents', tool: id === 1 || answers ? 'travel_agent' : 'research_agent', args: {}, requestId: id });
    const call = output.add(record.n, { conn, tool: record.tool, args: {}, resumed: false, quiet: false, ...(answers ? { answers } : {}) });
    call.requestId = id;
    return { call, record };
  });
  const shutdown = new AbortController();
  const asks = createAskHandlers({
    term, output, shutdown: shutdown.signal, yes: false, provider: createLocalSummariser(), openUrl: undefined,
    history, pageLines: 1_000, recordOf: (c) => calls.find((x) => x.call === c)?.record,
  });
  const done = async () => { shutdown.abort(); await history.flush(); await dir.remove(); };
  return { conn, asks, printed, asked, nextAsk, calls, cancels, done };
}

const ask = (text: string): CreateMessageParams => ({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 60 });

const order = suite('host: model requests of several calls, one at a time');

order('each "→ answered by" line comes under its own request, before the next request is shown', async () => {
  const t = await setUp();
  try {
    const first = t.asks.sample(t.conn, 1, ask('Summarise the trip to Lisbon. Flights leave at seven.'), new AbortController().signal);
    const second = t.asks.sample(t.conn, 2, ask('Summarise the research on trains. Trains run on time.'), new AbortController().signal);
    await t.nextAsk(1);
    t.asked[0]!.answer('y');
    await t.nextAsk(2);
    const text = t.printed.join('\n');
    const answeredFirst = text.indexOf('→ answered by');
    const secondShown = text.indexOf('🧠 #2 research_agent asks the model');
    assert.ok(answeredFirst !== -1 && secondShown !== -1, text);
    assert.ok(answeredFirst < secondShown, `the first answer is printed after the second request:\n${text}`);
    t.asked[1]!.answer('y');
    await Promise.all([first, second]);
  } finally {
    await t.done();
  }
});

order('a waiting request of a call that has ended is dropped unasked, and the server told again to stop', async () => {
  const t = await setUp();
  try {
    const first = t.asks.sample(t.conn, 1, ask('Summarise the trip to Lisbon.'), new AbortController().signal);
    const second = t.asks.sample(t.conn, 2, ask('Summarise the research on trains.'), new AbortController().signal);
    const secondSettled = second.then(() => 'answered', (error: unknown) => error);
    await t.nextAsk(1);
    // A plan moves call #2's step to another server while #1's request is on screen.
    const ended = t.calls[1]!.call;
    ended.controller.abort();
    ended.status = 'cancelled';
    const outcome = await secondSettled;
    assert.instance(outcome, RpcError);
    assert.is((outcome as RpcError).code, -1);
    t.asked[0]!.answer('y');
    await first;
    assert.is(t.asked.length, 1, 'only the first request was asked');
    assert.not.match(t.printed.join('\n'), /#2 research_agent asks the model/);
    assert.equal(t.cancels, [{ requestId: 2, reason: 'the call was ended by the host; it will not be resumed' }]);
  } finally {
    await t.done();
  }
});

order('a plan step redirected while its model request is on screen: the one approval answers the redirected copy too', async () => {
  const t = await setUp({ sharedAnswers: true });
  try {
    const request = ask('Summarise the trip to Lisbon. Flights leave at seven.');
    const first = t.asks.sample(t.conn, 1, request, new AbortController().signal);
    await t.nextAsk(1);
    // The plan moves the step: attempt #1 ends with its request on screen (it stays, see asks.ts),
    // and the redirected attempt #2 asks the same and waits its turn.
    const moved = t.calls[0]!.call;
    moved.controller.abort();
    moved.status = 'cancelled';
    const second = t.asks.sample(t.conn, 2, request, new AbortController().signal);
    t.asked[0]!.answer('y');
    const a = await first;
    // Either the copy is answered, or it is put to the person a second time (the defect).
    const asked = await Promise.race([second.then(() => false), t.nextAsk(2).then(() => true)]);
    assert.not.ok(asked, `asked again:\n${t.printed.join('\n')}`);
    const b = await second;
    assert.is(t.asked.length, 1, `asked ${t.asked.length} times:\n${t.printed.join('\n')}`);
    assert.equal(b, a);
    assert.match(t.printed.join('\n'), /#2 travel_agent asked the model the same as before its plan step was redirected; sent the earlier answer/);
  } finally {
    await t.done();
  }
});

order('a plan step redirected while its form is on screen: the one answer answers the redirected copy too', async () => {
  const t = await setUp({ sharedAnswers: true });
  try {
    const form = { mode: 'form' as const, message: 'Book it?', requestedSchema: { type: 'object' as const, properties: { ok: { type: 'boolean' as const } } } };
    const first = t.asks.elicit(t.conn, 1, form, new AbortController().signal);
    await t.nextAsk(1);
    const moved = t.calls[0]!.call;
    moved.controller.abort();
    moved.status = 'cancelled';
    const second = t.asks.elicit(t.conn, 2, form, new AbortController().signal);
    t.asked[0]!.answer('d'); // decline: one keystroke, and an answer that must travel as it is
    const a = await first;
    const asked = await Promise.race([second.then(() => false), t.nextAsk(2).then(() => true)]);
    assert.not.ok(asked, `asked again:\n${t.printed.join('\n')}`);
    const b = await second;
    assert.is(a.action, 'decline');
    assert.equal(b, a);
    assert.is(t.asked.length, 1, `asked ${t.asked.length} times:\n${t.printed.join('\n')}`);
  } finally {
    await t.done();
  }
});

order('a cancel said again to a server that went down says so plainly, not "POST failed: fetch failed"', async () => {
  // What the HTTP transport throws when nothing listens any more.
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3101'), { code: 'ECONNREFUSED' });
  const t = await setUp({ notifyFails: new Error('POST failed: fetch failed', { cause: new TypeError('fetch failed', { cause: refused }) }) });
  try {
    const ended = t.calls[0]!.call;
    ended.controller.abort();
    ended.status = 'cancelled';
    const outcome = await t.asks.sample(t.conn, 1, ask('Summarise the trip.'), new AbortController().signal).catch((e: unknown) => e);
    assert.instance(outcome, RpcError);
    // The line comes once the failed notify settles: a few turns of the event loop, bounded.
    for (let turns = 0; t.printed.length === 0; turns++) {
      if (turns > 1_000) throw new Error('nothing was printed');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const said = t.printed.join('\n');
    assert.not.match(said, /fetch failed/);
    assert.match(said, /agents could not be told again to stop #1 \(unreachable: connection refused\); it is told when it next asks about #1/);
  } finally {
    await t.done();
  }
});

order.run();

// hostwalk18's walk: after `d` at Ctrl+C with two model requests (one shown, one waiting its
// turn), the lines saying each waits came in the order the questions gave their turn up (#2,
// shown, before #1): each is now said as its call is detached, after the detach's lines.
const detached = suite('host: questions of calls detached together are said in the calls\' order');

/** Calls #1 and #2 each with a model request, the one of `first` shown, then both detached in the calls' order. */
async function detachBoth(first: 1 | 2): Promise<void> {
  const t = await setUpAsks(['travel_agent', 'research_agent'], 'http');
  try {
    const requests = [];
    for (const n of first === 1 ? [1, 2] : [2, 1]) {
      const p = t.asks.sample(t.conn, n, ask(`Summarise ${n}.`), new AbortController().signal);
      p.catch(() => undefined);
      requests.push(p);
      await t.nextAsk(1);
    }
    // As `d` at Ctrl+C does (host/repl.ts): each call detached and said so, in one go.
    for (const call of t.calls) {
      t.output.detach(call);
      t.printed.push(`#${call.n} detached`);
    }
    const waits = () => t.printed.filter((line) => / waits for your approval|detached$/.test(line));
    for (let i = 0; i < 50 && waits().length < 4; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(waits(), [
      '#1 detached', '#2 detached',
      '#1 travel_agent waits for your approval of a model request; type "resume 1" to see it',
      '#2 research_agent waits for your approval of a model request; type "resume 2" to see it',
    ], t.printed.join('\n'));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.is(waits().length, 4, 'each said once');
  } finally {
    await t.done();
  }
}

detached('#1\'s request shown, #2\'s waiting its turn: #1 waits, then #2', () => detachBoth(1));
detached('#2\'s request shown, #1\'s waiting its turn: still #1, then #2', () => detachBoth(2));

detached.run();
