// Multi round-trip requests (2026-07-28 basic/patterns/mrtr): ctx.elicit/sample/listRoots answer
// InputRequiredResult; the retry resumes the suspended handler, or re-runs it with the
// answers recorded in the sealed requestState when the continuation is gone; tampered,
// replayed, expired and foreign states are refused precisely. Every message validates.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Timers } from '../../protocol/index.ts';
import { createServer, type McpServer } from '../server.ts';
import { Exchange, request, retryRequest } from '../../test/modern-kit.ts';

const ELICIT = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] } };
const CAPS = { elicitation: {}, sampling: {}, roots: {} };
const accept = (name: string) => ({ action: 'accept', content: { name } });

/** A server whose tools count how often their handler started. */
function mrtrServer(): { server: McpServer; starts: Map<string, number> } {
  const starts = new Map<string, number>();
  const started = (name: string) => starts.set(name, (starts.get(name) ?? 0) + 1);
  const server = createServer({ name: 'mrtr-server', version: '1.0.0' });
  server.tool({ name: 'greet', description: 'Asks a name.' }, async (_args, ctx) => {
    started('greet');
    const answer = await ctx.elicit(ELICIT, { key: 'user_name' });
    return `Hello, ${String(answer.content?.name)}!`;
  });
  server.tool({ name: 'two_steps', description: 'Asks twice, one after the other.' }, async (_args, ctx) => {
    started('two_steps');
    const a = await ctx.elicit(ELICIT, { key: 'step1' });
    const b = await ctx.elicit(ELICIT, { key: 'step2' });
    return `${String(a.content?.name)} then ${String(b.content?.name)}`;
  });
  server.tool({ name: 'all_at_once', description: 'Asks a name and the roots together.' }, async (_args, ctx) => {
    const [name, roots] = await Promise.all([ctx.elicit(ELICIT, { key: 'user_name' }), ctx.listRoots({ key: 'client_roots' })]);
    return `${String(name.content?.name)} with ${roots.length} roots`;
  });
  server.prompt({ name: 'ask_context', description: 'A prompt that asks first.' }, async (_args, ctx) => {
    const answer = await ctx.elicit(ELICIT, { key: 'user_context' });
    return `Context: ${String(answer.content?.name)}`;
  });
  return { server, starts };
}

const KEY = new Uint8Array(32).fill(7);

async function firstRound(x: Exchange, name: string, args: Record<string, unknown> = {}) {
  const message = request('tools/call', { name, arguments: args }, CAPS);
  const result = await x.result(message);
  assert.is(result.resultType, 'input_required');
  assert.type(result.requestState, 'string');
  return { message, result };
}

const retry = (message: ReturnType<typeof request>, requestState: unknown, inputResponses: Record<string, unknown>) => retryRequest(message, requestState, inputResponses, CAPS);

const Rounds = suite('2026-07-28 MRTR: input required, then the retry');

Rounds('elicitation answers InputRequiredResult; the retry resumes the same handler', async () => {
  const { server, starts } = mrtrServer();
  const x = new Exchange(server);
  const { message, result } = await firstRound(x, 'greet');
  assert.equal(Object.keys(result.inputRequests), ['user_name']);
  assert.equal(result.inputRequests.user_name, { method: 'elicitation/create', params: ELICIT });
  const done = await x.result(retry(message, result.requestState, { user_name: accept('Ada') }));
  assert.is(done.resultType, 'complete');
  assert.equal(done.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  assert.is(starts.get('greet'), 1, 'resumed, not re-run');
});

Rounds('when the continuation is gone (another instance, same key), the handler re-runs with the recorded answers', async () => {
  const first = mrtrServer();
  const second = mrtrServer();
  const a = new Exchange(first.server, { inputRounds: { key: KEY } });
  const b = new Exchange(second.server, { inputRounds: { key: KEY } });
  const { message, result } = await firstRound(a, 'two_steps');
  const step2 = await b.result(retry(message, result.requestState, { step1: accept('Ada') }));
  assert.is(step2.resultType, 'input_required');
  assert.equal(Object.keys(step2.inputRequests), ['step2']);
  a.dispatcher.close(); // the first instance is gone
  const done = await a.result(retry(message, step2.requestState, { step2: accept('Grace') }));
  assert.equal(done.content, [{ type: 'text', text: 'Ada then Grace' }]);
  assert.is(first.starts.get('two_steps'), 2, 'instance A ran it, then re-ran it after its continuation was dropped');
  assert.is(second.starts.get('two_steps'), 1);
});

/**
 * Two first rounds of greet (`argsA`, then `argsB`) past a bound that keeps one: a's retry
 * re-runs its dropped handler (a third start), b's resumes the kept one (still three).
 */
async function oldestDroppedThenRerun(x: Exchange, starts: Map<string, number>, argsA: Record<string, unknown>, argsB: Record<string, unknown>): Promise<void> {
  const a = await firstRound(x, 'greet', argsA);
  const b = await firstRound(x, 'greet', argsB);
  const doneA = await x.result(retry(a.message, a.result.requestState, { user_name: accept('Ada') }));
  assert.equal(doneA.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  assert.is(starts.get('greet'), 3, 'two first rounds, then a re-run of the dropped one');
  const doneB = await x.result(retry(b.message, b.result.requestState, { user_name: accept('Bo') }));
  assert.equal(doneB.content, [{ type: 'text', text: 'Hello, Bo!' }]);
  assert.is(starts.get('greet'), 3, 'the kept one resumed');
}

Rounds('beyond maxContinuations the oldest suspended handler is dropped; its retry re-runs it', async () => {
  const { server, starts } = mrtrServer();
  const x = new Exchange(server, { inputRounds: { maxContinuations: 1 } });
  await oldestDroppedThenRerun(x, starts, { n: 1 }, { n: 2 });
});

Rounds('beyond maxContinuationBytes the oldest suspended handler is dropped; its retry re-runs it', async () => {
  // A suspended handler keeps its request's arguments: 1000 of 4 MB were gigabytes, bounded by count only.
  const { server, starts } = mrtrServer();
  const x = new Exchange(server, { inputRounds: { maxContinuationBytes: 1_000_000 } });
  const pad = 'x'.repeat(600_000);
  await oldestDroppedThenRerun(x, starts, { pad }, { pad }); // a and b together pass the budget: a is dropped
});

Rounds('requests made together are asked together', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'all_at_once');
  assert.equal(Object.keys(result.inputRequests).sort(), ['client_roots', 'user_name']);
  assert.equal(result.inputRequests.client_roots, { method: 'roots/list' });
  const done = await x.result(retry(message, result.requestState, { user_name: accept('Ada'), client_roots: { roots: [{ uri: 'file:///a' }] } }));
  assert.equal(done.content, [{ type: 'text', text: 'Ada with 1 roots' }]);
});

Rounds('a missing answer asks again; extra answers are ignored', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'all_at_once');
  const again = await x.result(retry(message, result.requestState, { user_name: accept('Ada'), unasked: accept('Eve') }));
  assert.is(again.resultType, 'input_required');
  assert.equal(Object.keys(again.inputRequests), ['client_roots']);
  const done = await x.result(retry(message, again.requestState, { client_roots: { roots: [] } }));
  assert.equal(done.content, [{ type: 'text', text: 'Ada with 0 roots' }]);
});

Rounds('prompts/get asks too', async () => {
  const x = new Exchange(mrtrServer().server);
  const message = request('prompts/get', { name: 'ask_context' }, CAPS);
  const result = await x.result(message);
  assert.equal(Object.keys(result.inputRequests), ['user_context']);
  const done = await x.result(retry(message, result.requestState, { user_context: accept('travel') }));
  assert.is(done.resultType, 'complete');
  assert.match(JSON.stringify(done.messages), /Context: travel/);
});

Rounds('a client that did not declare elicitation gets -32021, never an input request it cannot answer', async () => {
  const x = new Exchange(mrtrServer().server);
  const error = await x.error(request('tools/call', { name: 'greet' }, { sampling: {} }), 400);
  assert.is(error.code, -32021);
  assert.equal(error.data, { requiredCapabilities: { elicitation: {} } });
});

Rounds('a request cancelled before its handler starts never starts it', async () => {
  const { server, starts } = mrtrServer();
  const x = new Exchange(server);
  const cancel = new AbortController();
  cancel.abort(new Error('cancelled by the client'));
  const answer = await x.send(request('tools/call', { name: 'greet' }, CAPS), cancel.signal);
  assert.ok('error' in answer.message);
  assert.is(starts.get('greet'), undefined);
});

const States = suite('2026-07-28 MRTR: the sealed requestState');

async function refusal(x: Exchange, message: Record<string, unknown>): Promise<string> {
  const error = await x.error(message, 200);
  assert.is(error.code, -32602);
  return error.data.reason as string;
}

States('a changed state is refused as tampered', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'greet');
  const state = result.requestState as string;
  const tampered = `${state.slice(0, 10)}${state[10] === 'A' ? 'B' : 'A'}${state.slice(11)}`;
  assert.is(await refusal(x, retry(message, tampered, { user_name: accept('Ada') })), 'tampered');
  assert.is(await refusal(x, retry(message, 'not-a-state', { user_name: accept('Ada') })), 'malformed');
});

States('a state is single use', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'greet');
  await x.result(retry(message, result.requestState, { user_name: accept('Ada') }));
  assert.is(await refusal(x, retry(message, result.requestState, { user_name: accept('Ada') })), 'replayed');
});

States('a state for other params, or another key, is refused', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'greet', { lang: 'en' });
  const other = request('tools/call', { name: 'greet', arguments: { lang: 'fr' }, inputResponses: { user_name: accept('Ada') }, requestState: result.requestState }, CAPS);
  assert.is(await refusal(x, other), 'other-request');
  const y = new Exchange(mrtrServer().server);
  assert.is(await refusal(y, retry(message, result.requestState, { user_name: accept('Ada') })), 'tampered');
});

States('an expired state is refused', async () => {
  let now = 1_000_000;
  const timers: Timers = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  const x = new Exchange(mrtrServer().server, { timers, inputRounds: { ttlMs: 1000 } });
  const { message, result } = await firstRound(x, 'greet');
  now += 1001;
  assert.is(await refusal(x, retry(message, result.requestState, { user_name: accept('Ada') })), 'expired');
});

States('malformed inputResponses are -32602', async () => {
  const x = new Exchange(mrtrServer().server);
  const { message, result } = await firstRound(x, 'greet');
  const bad = retry(message, result.requestState, {});
  (bad.params as Record<string, unknown>).inputResponses = 42;
  const error = await x.error(bad, 200, true);
  assert.is(error.code, -32602);
});

for (const s of [Rounds, States]) s.run();
