import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageParams } from 'mcpwire/protocol';
import { createLocalSummariser, createOpenAiProvider, describeSamplingRequest, providerFromEnv } from './sampling.ts';
import { requestedSentences, summariseText } from './summarise.ts';

const research: CreateMessageParams = {
  systemPrompt: 'You write short research summaries.',
  maxTokens: 400,
  messages: [{ role: 'user', content: { type: 'text', text: [
    'Topic: urban heat', '', 'Findings:',
    '[1] Cooling cities',
    '  - Dark roofs and roads absorb sunlight and make cities warmer than the countryside.',
    '  - Trees shade streets and cool the air around them through evaporation.',
    '[2] Heat pumps',
    '  - Heat pumps move heat instead of making it, so they use far less electricity.',
    '', 'Summarise the findings in at most 2 sentences, citing sources as [n].',
  ].join('\n') } }],
};

const local = suite('sampling: the offline extractive summariser');

local('picks findings, keeps their source numbers, honours the sentence count, skips the instructions', async () => {
  const result = await createLocalSummariser().complete(research, new AbortController().signal);
  const text = (result.content as { text: string }).text;
  assert.is(result.model, 'mcpwire-local-summariser');
  assert.is(text.match(/\[\d\]\./g)?.length, 2, text);
  assert.match(text, /\[1\]\./);
  assert.match(text, /\[2\]\./);
  assert.not.match(text, /Summarise/);
});

local('plain prose, "in one sentence", and maxTokens', () => {
  const text = 'Summarize in one sentence:\n\nSolar panels turn light into power. Batteries store that power for the night. Storage makes solar power useful after dark.';
  assert.is(requestedSentences(text), 1);
  const one = summariseText(text);
  assert.is(one.split(/(?<=\.)\s/).length, 1, one);
  assert.ok(summariseText(text, { sentences: 3, maxTokens: 8 }).split(' ').length <= 7);
  assert.is(summariseText('Summarize:'), '');
});

const remote = suite('sampling: the OpenAI-compatible provider (an injected fetch; never the network)');

remote('sends the system prompt, messages and limits; maps the answer back', async () => {
  let seen: { url: string; body: Record<string, unknown>; auth: string | null } | undefined;
  const fakeFetch = (async (url: string, init: RequestInit) => {
    seen = { url, body: JSON.parse(String(init.body)), auth: new Headers(init.headers).get('authorization') };
    return new Response(JSON.stringify({ model: 'm-1', choices: [{ message: { content: 'Short answer.' }, finish_reason: 'length' }] }), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const provider = createOpenAiProvider({ baseUrl: 'http://model.invalid/v1/', apiKey: 'k', model: 'm', fetch: fakeFetch });
  const result = await provider.complete(research, new AbortController().signal);
  assert.is(seen!.url, 'http://model.invalid/v1/chat/completions');
  assert.is(seen!.auth, 'Bearer k');
  assert.equal((seen!.body.messages as Array<{ role: string }>).map((m) => m.role), ['system', 'user']);
  assert.is(seen!.body.max_tokens, 400);
  assert.equal(result, { role: 'assistant', content: { type: 'text', text: 'Short answer.' }, model: 'm-1', stopReason: 'maxTokens' });
  assert.ok(provider.isModel);
});

remote('an HTTP error is an error with the status', async () => {
  const provider = createOpenAiProvider({ baseUrl: 'http://model.invalid/v1', apiKey: undefined, model: 'm', fetch: (async () => new Response('quota', { status: 429 })) as unknown as typeof fetch });
  try {
    await provider.complete(research, new AbortController().signal);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /HTTP 429: quota/);
  }
});

remote('the environment picks the provider: local by default', () => {
  assert.not.ok(providerFromEnv({}).isModel);
  const p = providerFromEnv({ MCPWIRE_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', MCPWIRE_OPENAI_MODEL: 'small' });
  assert.ok(p.isModel);
  assert.is(p.label, 'small at 127.0.0.1:1');
});

remote('the approval view shows limits, the system prompt and every message', () => {
  const lines = describeSamplingRequest(research).join('\n');
  assert.match(lines, /up to 400 tokens/);
  assert.match(lines, /system: You write short research summaries/);
  assert.match(lines, /user: Topic: urban heat/);
});

local.run();
remote.run();
