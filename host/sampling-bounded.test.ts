// The model endpoint's replies are read within a bound (`maxReplyBytes`, default
// DEFAULT_MODEL_REPLY_BYTES, MCPWIRE_OPENAI_MAX_REPLY_BYTES): `response.json()` read an
// endless or huge reply whole, holding memory until the request's timeout (60 s by default),
// and an error reply's body was read whole before 200 characters of it were shown.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateMessageParams } from 'mcpwire/protocol';
import { createOpenAiProvider, DEFAULT_MODEL_REPLY_BYTES, providerFromEnv } from './sampling.ts';

const ask: CreateMessageParams = { maxTokens: 50, messages: [{ role: 'user', content: { type: 'text', text: 'Hello' } }] };

/** A reply body that never ends; `pulled` counts the bytes the reader asked for. */
function endless(): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`{"choices":[{"message":{"content":"${'x'.repeat(16 * 1024)}`);
  const body = new ReadableStream<Uint8Array>({ pull(controller) { pulled += chunk.byteLength; controller.enqueue(chunk); } });
  return { body, pulled: () => pulled };
}

/** `promise`, or a failure after 5 s (the unbounded read never settles). */
function within5s<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('still reading after 5 s')), 5_000); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await within5s(promise);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

const bounded = suite('sampling: the model endpoint\'s replies are read within maxReplyBytes');

bounded('an endless reply fails once past the bound, naming it; the rest is not read', async () => {
  const reply = endless();
  const provider = createOpenAiProvider({
    baseUrl: 'http://model.invalid/v1', apiKey: undefined, model: 'm', maxReplyBytes: 64 * 1024,
    fetch: (async () => new Response(reply.body, { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch,
  });
  const message = await failure(provider.complete(ask, new AbortController().signal));
  assert.match(message, /reply is larger than 65536 bytes/);
  assert.match(message, /MCPWIRE_OPENAI_MAX_REPLY_BYTES/);
  assert.ok(reply.pulled() <= 64 * 1024 + 2 * 17 * 1024, `read ${reply.pulled()} bytes`);
});

bounded('an endless error reply still fails with its status, without reading it all', async () => {
  const reply = endless();
  const provider = createOpenAiProvider({
    baseUrl: 'http://model.invalid/v1', apiKey: undefined, model: 'm', maxReplyBytes: 64 * 1024,
    fetch: (async () => new Response(reply.body, { status: 502 })) as unknown as typeof fetch,
  });
  const message = await failure(provider.complete(ask, new AbortController().signal));
  assert.match(message, /HTTP 502/);
  assert.ok(reply.pulled() <= 64 * 1024 + 2 * 17 * 1024, `read ${reply.pulled()} bytes`);
});

bounded('a reply within the bound is answered; the default is 1 MiB and the environment may change it', async () => {
  const provider = createOpenAiProvider({
    baseUrl: 'http://model.invalid/v1', apiKey: undefined, model: 'm', maxReplyBytes: 1024,
    fetch: (async () => new Response(JSON.stringify({ choices: [{ message: { content: 'Hi.' }, finish_reason: 'stop' }] }))) as unknown as typeof fetch,
  });
  const result = await within5s(provider.complete(ask, new AbortController().signal));
  assert.equal(result.content, { type: 'text', text: 'Hi.' });
  assert.is(DEFAULT_MODEL_REPLY_BYTES, 1024 * 1024);
  const small = providerFromEnv({
    MCPWIRE_OPENAI_BASE_URL: 'http://model.invalid/v1', MCPWIRE_OPENAI_MAX_REPLY_BYTES: '100',
  });
  assert.ok(small.isModel);
  assert.throws(() => providerFromEnv({ MCPWIRE_OPENAI_BASE_URL: 'http://model.invalid/v1', MCPWIRE_OPENAI_MAX_REPLY_BYTES: 'lots' }), /MCPWIRE_OPENAI_MAX_REPLY_BYTES must be a positive whole number, got "lots"/);
  assert.throws(() => providerFromEnv({ MCPWIRE_OPENAI_BASE_URL: 'http://model.invalid/v1', MCPWIRE_OPENAI_TIMEOUT_MS: '-5' }), /MCPWIRE_OPENAI_TIMEOUT_MS must be/);
});

bounded.run();
