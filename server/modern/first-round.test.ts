// A multi round-trip method's first round with nothing answered and its text kept (HTTP,
// stdio) runs its handler with no continuation: one is made only if the handler asks or reads
// its signal. What a client sees is the same as on the continuation's path (2026-07-28
// basic/patterns/mrtr): a question asked before the handler's first await, two asked
// together, a signal read before the ask that aborts when the suspension is dropped, a throw
// after an ask, a refused ask the handler gets past.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server.ts';
import { InputRounds } from './mrtr.ts';
import { Exchange, request, retryRequest } from '../../test/modern-kit.ts';

const ELICIT = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
const CAPS = { elicitation: {}, roots: {} };

function firstRoundServer() {
  const server = createServer({ name: 'first-round', version: '1.0.0' });
  const seen: { signal?: AbortSignal } = {};
  server.tool({ name: 'plain', description: 'Never asks.' }, async () => 'plain');
  server.tool({ name: 'ask_now', description: 'Asks before its first await.' }, (_a, ctx) =>
    ctx.elicit(ELICIT, { key: 'who' }).then((r) => `hi ${String(r.content?.name)}`));
  server.tool({ name: 'both', description: 'Asks twice together.' }, async (_a, ctx) => {
    await Promise.resolve();
    const [who, roots] = await Promise.all([ctx.elicit(ELICIT, { key: 'who' }), ctx.listRoots({ key: 'roots' })]);
    return `${String(who.content?.name)} ${roots.length}`;
  });
  server.tool({ name: 'watch', description: 'Reads its signal, then asks.' }, async (_a, ctx) => {
    seen.signal = ctx.signal;
    await Promise.resolve();
    await ctx.elicit(ELICIT, { key: 'who' });
    return 'answered';
  });
  server.tool({ name: 'ask_then_throw', description: 'Asks, then throws at once.' }, (_a, ctx) => {
    void ctx.elicit(ELICIT, { key: 'who' }).catch(() => undefined);
    throw new Error('thrown after asking');
  });
  server.tool({ name: 'ask_sampling', description: 'Asks for what the client lacks, and gets past the refusal.' }, async (_a, ctx) => {
    try {
      await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 });
      return 'sampled';
    } catch (error) {
      return `no sampling: ${(error as Error).message}`;
    }
  });
  return { server, seen };
}

const retry = (message: ReturnType<typeof request>, requestState: unknown, inputResponses: Record<string, unknown>) => retryRequest(message, requestState, inputResponses, CAPS);

const First = suite('2026-07-28 MRTR: a first round runs its handler without a continuation until it asks');

First('a call that never asks plays no round (no continuation, round request or promise chain)', async () => {
  const x = new Exchange(firstRoundServer().server, {}, { text: true });
  const original = InputRounds.prototype.play;
  let plays = 0;
  InputRounds.prototype.play = function counted(this: InputRounds, ...args: Parameters<InputRounds['play']>) {
    plays++;
    return original.apply(this, args);
  };
  try {
    const result = await x.result(request('tools/call', { name: 'plain' }, CAPS));
    assert.is(result.resultType, 'complete');
    assert.equal(result.content, [{ type: 'text', text: 'plain' }]);
  } finally {
    InputRounds.prototype.play = original;
  }
  assert.is(plays, 0);
});

First('a question asked before the first await suspends the call; the retry resumes it', async () => {
  const x = new Exchange(firstRoundServer().server, {}, { text: true });
  const message = request('tools/call', { name: 'ask_now' }, CAPS);
  const first = await x.result(message);
  assert.is(first.resultType, 'input_required');
  assert.equal(Object.keys(first.inputRequests), ['who']);
  const done = await x.result(retry(message, first.requestState, { who: { action: 'accept', content: { name: 'Ada' } } }));
  assert.equal(done.content, [{ type: 'text', text: 'hi Ada' }]);
});

First('two questions asked together go out in one input_required', async () => {
  const x = new Exchange(firstRoundServer().server, {}, { text: true });
  const message = request('tools/call', { name: 'both' }, CAPS);
  const first = await x.result(message);
  assert.equal(Object.keys(first.inputRequests).sort(), ['roots', 'who']);
  const done = await x.result(retry(message, first.requestState, { who: { action: 'accept', content: { name: 'Ada' } }, roots: { roots: [{ uri: 'file:///a' }] } }));
  assert.equal(done.content, [{ type: 'text', text: 'Ada 1' }]);
});

First('a signal read before the ask aborts when the suspended call is dropped', async () => {
  const { server, seen } = firstRoundServer();
  const x = new Exchange(server, {}, { text: true });
  const first = await x.result(request('tools/call', { name: 'watch' }, CAPS));
  assert.is(first.resultType, 'input_required');
  assert.ok(seen.signal && !seen.signal.aborted);
  x.dispatcher.close();
  assert.ok(seen.signal.aborted, 'the handler holding its signal learns it was dropped');
});

First('a handler that throws right after asking fails the call (not a result of undefined)', async () => {
  const x = new Exchange(firstRoundServer().server, {}, { text: true });
  const answer = await x.send(request('tools/call', { name: 'ask_then_throw' }, CAPS));
  const result = (answer.message as { result?: Record<string, any> }).result;
  assert.ok(result, JSON.stringify(answer.message));
  assert.is(result.isError, true);
  assert.match(JSON.stringify(result.content), /thrown after asking/);
});

First('an ask refused for a missing capability that the handler gets past completes the call', async () => {
  const x = new Exchange(firstRoundServer().server, {}, { text: true });
  const result = await x.result(request('tools/call', { name: 'ask_sampling' }, CAPS));
  assert.is(result.resultType, 'complete');
  assert.match(result.content[0].text, /^no sampling: Missing required client capability: sampling/);
});

First('a call cancelled before it starts runs nothing', async () => {
  const { server, seen } = firstRoundServer();
  const x = new Exchange(server, {}, { text: true });
  const controller = new AbortController();
  controller.abort(new Error('gone before the start'));
  const answer = await x.send(request('tools/call', { name: 'watch' }, CAPS), controller.signal);
  assert.ok('error' in answer.message, JSON.stringify(answer.message));
  assert.is(seen.signal, undefined, 'the handler did not run');
});

First.run();
