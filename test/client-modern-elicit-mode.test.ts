// 2026-07-28 client/elicitation: a client declares its modes (`elicitation: {}` or
// `{ form: {} }` is form only) and the server MUST NOT ask in another. The legacy client
// refused such a request (-32602) before onElicit; the 2026-07-28 client ran onElicit with a
// URL request it had not declared and sent the answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClientOptions } from 'mcpwire/client';
import { callThroughRound, type Seen } from './modern-script.ts';

const ASKS = {
  url: { method: 'elicitation/create', params: { mode: 'url', message: 'Sign in', url: 'https://example.com/in', elicitationId: 'e1' } },
  form: { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } } },
};

function ask(which: keyof typeof ASKS, options: ClientOptions): Promise<{ outcome: unknown; seen: Seen[] }> {
  return callThroughRound({ resultType: 'input_required', inputRequests: { q: ASKS[which] } }, options);
}

const modes = suite('client 2026-07-28: an elicitation in a mode not declared');

modes('a URL request to a form-only client is refused: onElicit never runs, no answer is sent', async () => {
  let called = 0;
  const reported: string[] = [];
  const { outcome, seen } = await ask('url', { onElicit: async () => { called++; return { action: 'accept' }; }, onError: (e) => reported.push(e.message) });
  assert.instance(outcome, Error);
  assert.match((outcome as Error).message, /elicitation mode "url" was not declared by this client/);
  assert.is(called, 0);
  assert.is(seen.filter((s) => s.body.params?.inputResponses).length, 0, 'no retry carrying an answer');
  assert.ok(reported.some((m) => /elicitation mode "url" was not declared/.test(m)), reported.join('\n'));
});

modes('a form request to a URL-only client is refused; with the mode declared both are answered', async () => {
  const urlOnly = await ask('form', { onElicit: async () => ({ action: 'decline' }), elicitation: { modes: ['url'] } });
  assert.match(String((urlOnly.outcome as Error).message), /elicitation mode "form" was not declared by this client/);
  const both = await ask('url', { onElicit: async () => ({ action: 'accept' }), elicitation: { modes: ['form', 'url'] } });
  assert.equal((both.outcome as { content: unknown }).content, [{ type: 'text', text: 'done' }]);
});

modes.run();
