// ctx.elicit() and ctx.sample() are not async functions (bench f): what they refuse before
// asking still comes as a rejection, and the client's answer is checked before a tool sees it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalErrorCode, type ElicitParams } from '../protocol/index.ts';
import { createToolContext, DEFAULT_ASK_TIMEOUTS } from './context.ts';
import type { InputRequest } from './input.ts';
import { createServerRequest, type ServerRequest } from './request.ts';
import { createSchemaValidator } from './validation.ts';

const validator = createSchemaValidator();
const ASK: ElicitParams = { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } };
const MESSAGES = [{ role: 'user' as const, content: { type: 'text' as const, text: 'hi' } }];

/** A tool's context whose questions are answered with `answer` (recorded in `asked`). */
function contextAnswering(answer: unknown) {
  const asked: InputRequest[] = [];
  const input: ServerRequest['input'] = (request) => {
    asked.push(request);
    return Promise.resolve(answer as never);
  };
  const req = createServerRequest({
    method: 'tools/call', requestId: 'r1', protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {}, sampling: {} },
    clientInfo: { name: 'c', version: '1' }, signal: new AbortController().signal,
  }, { notify: async () => {}, progress: async () => {}, input });
  return { ctx: createToolContext(req, DEFAULT_ASK_TIMEOUTS, validator), asked };
}

/** What `ask()` settled with; fails the test if it threw instead of returning a promise. */
async function settled(ask: () => Promise<unknown>): Promise<{ ok: boolean; value: unknown }> {
  let promise!: Promise<unknown>;
  assert.not.throws(() => { promise = ask(); }, 'a refusal is a rejection, never a throw');
  return promise.then((value) => ({ ok: true, value }), (value: unknown) => ({ ok: false, value }));
}

const refusals = suite('ctx.elicit / ctx.sample: refused before asking, as a rejection');

refusals('sampling messages that break the tool loop: rejected with MCP_ERR_VALIDATION, nothing asked', async () => {
  const { ctx, asked } = contextAnswering({});
  const broken = [{ role: 'user' as const, content: { type: 'tool_result' as const, toolUseId: 'x', content: [] } }];
  const outcome = await settled(() => ctx.sample({ messages: broken, maxTokens: 1 }));
  assert.not.ok(outcome.ok);
  assert.is((outcome.value as { code?: string }).code, LocalErrorCode.Validation);
  assert.equal(asked, []);
});

refusals('a form that is not flat: rejected with MCP_ERR_VALIDATION, nothing asked', async () => {
  const { ctx, asked } = contextAnswering({});
  const nested = { message: 'x', requestedSchema: { type: 'object', properties: { a: { type: 'object' } } } } as unknown as ElicitParams;
  const outcome = await settled(() => ctx.elicit(nested as never));
  assert.not.ok(outcome.ok);
  assert.is((outcome.value as { code?: string }).code, LocalErrorCode.Validation);
  assert.equal(asked, []);
});

refusals('a URL that does not parse: rejected with MCP_ERR_VALIDATION', async () => {
  const { ctx, asked } = contextAnswering({});
  const outcome = await settled(() => ctx.elicit({ mode: 'url', message: 'go', url: 'not a url' }));
  assert.is((outcome.value as { code?: string }).code, LocalErrorCode.Validation);
  assert.equal(asked, []);
});

const answers = suite('ctx.elicit / ctx.sample: the client\'s answer checked before the tool sees it');

answers('an accepted form answer that matches: the answer as the client sent it', async () => {
  const answer = { action: 'accept', content: { name: 'Ada' } };
  const { ctx, asked } = contextAnswering(answer);
  const outcome = await settled(() => ctx.elicit(ASK));
  assert.ok(outcome.ok);
  assert.equal(outcome.value, answer);
  assert.is(asked[0]?.method, 'elicitation/create');
});

answers('accepted content that does not match the form: MCP_ERR_VALIDATION', async () => {
  const { ctx } = contextAnswering({ action: 'accept', content: { name: 3 } });
  const outcome = await settled(() => ctx.elicit(ASK));
  assert.not.ok(outcome.ok);
  assert.is((outcome.value as { code?: string }).code, LocalErrorCode.Validation);
});

answers('a malformed elicitation or sampling answer: MCP_ERR_PROTOCOL', async () => {
  const elicited = await settled(() => contextAnswering({ action: 'maybe' }).ctx.elicit(ASK));
  assert.is((elicited.value as { code?: string }).code, LocalErrorCode.Protocol);
  const sampled = await settled(() => contextAnswering({ role: 'robot', content: { type: 'text', text: 'x' }, model: 'm' }).ctx.sample({ messages: MESSAGES, maxTokens: 1 }));
  assert.is((sampled.value as { code?: string }).code, LocalErrorCode.Protocol);
});

answers('a well-formed sampling answer: returned as it came', async () => {
  const answer = { role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'm' };
  const { ctx, asked } = contextAnswering(answer);
  const outcome = await settled(() => ctx.sample({ messages: MESSAGES, maxTokens: 1 }));
  assert.equal(outcome.value, answer);
  assert.equal(asked, [{ method: 'sampling/createMessage', params: { messages: MESSAGES, maxTokens: 1 } }]);
});

refusals.run();
answers.run();
