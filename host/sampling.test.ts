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

remote('an endpoint not reached, or not answering in time, is named with why (fetch said only "fetch failed")', async () => {
  const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
  const down = createOpenAiProvider({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined, model: 'm', fetch: (async () => { throw refused; }) as unknown as typeof fetch });
  const error = await down.complete(research, new AbortController().signal).then(() => undefined, (e: Error) => e);
  assert.is(error?.message, 'cannot reach the model endpoint http://127.0.0.1:11434/v1/chat/completions (connection refused)');
  const hanging = (async (_url: string, init: RequestInit) => new Promise((_, reject) => {
    init.signal!.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
  })) as unknown as typeof fetch;
  const slow = createOpenAiProvider({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined, model: 'm', timeoutMs: 50, fetch: hanging });
  const alive = setTimeout(() => {}, 5_000); // AbortSignal.timeout's timer does not keep the process up
  const late = await slow.complete(research, new AbortController().signal).then(() => undefined, (e: Error) => e);
  clearTimeout(alive);
  assert.is(late?.message, 'the model endpoint http://127.0.0.1:11434/v1/chat/completions did not answer within 50 ms (MCPWIRE_OPENAI_TIMEOUT_MS sets it)');
  const stop = new AbortController();
  const cancelled = slow.complete(research, stop.signal).then(() => undefined, (e: Error) => e);
  stop.abort(new Error('the call ended'));
  assert.is((await cancelled)?.message, 'the call ended', "the caller's own abort is passed on as it is");
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
  const blank = describeSamplingRequest({ maxTokens: 10, messages: [{ role: 'user', content: { type: 'text', text: 'Topic: x\n\nFindings:' } }] });
  assert.equal(blank.slice(1), ['  user: Topic: x', '', '    Findings:'], 'a blank line stays blank, no trailing spaces');
});

local.run();
remote.run();

const sensible = suite('summarise: on topic, no dangling pronouns, sources cited');

sensible('a sentence that leans on the one before is never picked alone', () => {
  const text = [
    'Topic: Tokyo trains', '',
    'Tokyo trains run on time, with average delays measured in seconds.',
    'They are crowded at rush hour.',
    'Paris has a dense metro with stations every few hundred metres.',
    'This makes it easy to reach any museum.',
    '', 'Summarise in at most 2 sentences.',
  ].join('\n');
  const out = summariseText(text);
  assert.not.match(out, /^(They|This)\b/, out);
  assert.not.match(out, /Paris/, 'off topic');
  assert.match(out, /Tokyo trains run on time/);
  // With room for two, the leaning sentence comes with its antecedent, in order.
  const two = summariseText(text.replace('Paris has a dense metro with stations every few hundred metres.\nThis makes it easy to reach any museum.\n', ''));
  assert.match(two, /^Tokyo trains run on time[^.]*\. They are crowded/);
});

sensible('one sentence wanted and only a leaning one is on topic: it is not quoted without its subject', () => {
  const text = 'Topic: rail punctuality\n\nJapanese operators publish delay statistics. Their rail punctuality is famous.\n\nSummarise in one sentence.';
  const out = summariseText(text);
  assert.not.match(out, /^Their\b/, out);
});

sensible('research findings keep their citations; the README goal "research trip to Tokyo" has sources to cite', async () => {
  const { loadCorpus, indexCorpus, findings, extractiveSummary } = await import('../examples/agents/corpus.ts');
  const { bundledDataDir } = await import('../examples/agents/index.ts');
  const corpus = await loadCorpus(`${bundledDataDir()}corpus`, 'bundled');
  const index = indexCorpus(corpus);
  const ranked = index.rank('Tokyo').slice(0, 3);
  assert.ok(ranked.length >= 3, 'Tokyo has sources');
  const all = ranked.flatMap((r, i) => findings(index, r.document, 'Tokyo', 2).map((f) => ({ ...f, source: i + 1 })));
  assert.ok(all.every((f) => !/^(It|This|These|They|Those|Their)\b/.test(f.text)), 'no finding opens with a dangling pronoun');
  const summary = extractiveSummary(all, 3);
  assert.match(summary, /Tokyo/);
  assert.match(summary, /\[1\]\./);
  const prompt = `Topic: Tokyo\n\nFindings:\n${ranked.map((r, i) => `[${i + 1}] ${r.document.title}\n${all.filter((f) => f.source === i + 1).map((f) => `  - ${f.text}`).join('\n')}`).join('\n')}\n\nSummarise the findings in at most 3 sentences, citing sources as [n].`;
  const out = summariseText(prompt);
  assert.is(out.match(/\[\d\]\./g)?.length, 3, out);
  assert.match(out, /Tokyo/);
});

sensible.run();
