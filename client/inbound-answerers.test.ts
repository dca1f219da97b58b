import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, RpcError, type CreateMessageResult } from '../protocol/index.ts';
import { createElicitationTracker } from './url-elicitation.ts';
import { createInputAnswerers, type InputAnswerer } from './inbound.ts';
import type { ClientOptions, InboundContext } from './types.ts';

const ANSWER: CreateMessageResult = { role: 'assistant', model: 'm', content: { type: 'text', text: 'ok' } };
const ctx: InboundContext = { signal: new AbortController().signal, requestId: 1, relatedRequestId: undefined, server: undefined };
const isThenable = (value: unknown) => typeof (value as { then?: unknown } | null)?.then === 'function';

/** The answerer for `method` made from `options`, and what it reported to onError. */
function answererOf(method: string, options: ClientOptions) {
  const reported: Error[] = [];
  const answerers = createInputAnswerers({
    options, capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} }, tracker: createElicitationTracker(),
    roots: () => [], report: (error) => reported.push(error), protocolVersion: () => '2025-11-25',
  });
  return { answer: answerers.get(method) as InputAnswerer, reported };
}

const sync = suite('client input answerers: a callback that answers at once is answered at once (bench f)');

sync('onSample returning its answer: the answer itself, no promise made for it', () => {
  const { answer } = answererOf('sampling/createMessage', { onSample: () => ANSWER });
  const answered = answer({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 1 }, ctx);
  assert.not.ok(isThenable(answered));
  assert.equal(answered, ANSWER);
});

sync('onElicit returning an accept: the checked answer itself, no promise', () => {
  const { answer } = answererOf('elicitation/create', { onElicit: () => ({ action: 'accept', content: { name: 'Ada' } }) });
  const params = { mode: 'form', message: 'who?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };
  const answered = answer(params, ctx);
  assert.not.ok(isThenable(answered));
  assert.equal(answered, { action: 'accept', content: { name: 'Ada' } });
});

sync('an async callback is answered through one promise, its answer checked', async () => {
  const { answer } = answererOf('sampling/createMessage', { onSample: async () => ANSWER });
  const answered = answer({ messages: [], maxTokens: 1 }, ctx);
  assert.ok(isThenable(answered));
  assert.equal(await answered, ANSWER);
});

const failing = suite('client input answerers: failures are rejections, reported once');

failing('a callback that throws at once: a rejection with a CallbackError, reported', async () => {
  const { answer, reported } = answererOf('sampling/createMessage', { onSample: () => { throw new Error('model down'); } });
  let answered: unknown;
  assert.not.throws(() => { answered = answer({ messages: [], maxTokens: 1 }, ctx); });
  const error = await (answered as Promise<unknown>).catch((e: unknown) => e);
  assert.is((error as { name?: string }).name, 'CallbackError');
  assert.match((error as Error).message, /model down/);
  assert.is(reported.length, 1);
});

failing('an answer refused after the callback (a tool_result from the model): rejected, reported', async () => {
  const { answer, reported } = answererOf('sampling/createMessage', {
    onSample: () => ({ role: 'assistant', model: 'm', content: [{ type: 'tool_result', toolUseId: 'x', content: [] }] }) as never,
  });
  const error = await Promise.resolve(answer({ messages: [], maxTokens: 1 }, ctx)).catch((e: unknown) => e);
  assert.is((error as McpError).code, 'MCP_ERR_VALIDATION');
  assert.match((error as Error).message, /tool_result/);
  assert.is(reported.length, 1);
});

failing('a request refused before the callback: an InputRefusedError, the callback not called', async () => {
  let called = false;
  const { answer } = answererOf('sampling/createMessage', { onSample: () => { called = true; return ANSWER; } });
  const error = await Promise.resolve(answer({ messages: 'no', maxTokens: 1 }, ctx)).catch((e: unknown) => e);
  assert.is((error as Error).name, 'InputRefusedError');
  assert.not.ok(called);
});

failing('an RpcError the async callback chose is the rejection, not reported', async () => {
  const { answer, reported } = answererOf('sampling/createMessage', { onSample: async () => { throw new RpcError(-1, 'declined'); } });
  const error = await Promise.resolve(answer({ messages: [], maxTokens: 1 }, ctx)).catch((e: unknown) => e);
  assert.is(((error as { cause?: unknown }).cause as RpcError).code, -1);
  assert.is(reported.length, 0);
});

sync.run();
failing.run();
