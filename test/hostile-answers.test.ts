// A client that answers the server's elicitation with a malformed response (`"result": 5`, an
// error object without a numeric code) gets 400 for that POST, and the question it answered
// fails at once: the call that asked ends with an error instead of waiting out the
// elicitation timeout (600 s by default). Found with a hostile client against `mcpwire serve`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { makeFixture } from './http-fixture.ts';

/** Reads an SSE body message by message. */
function messageReader(response: Response): () => Promise<Record<string, any>> {
  const reader = response.body!.getReader();
  const queue: Array<Record<string, any>> = [];
  const decoder = createSseDecoder({ onEvent: (e) => { if (e.data !== '') queue.push(JSON.parse(e.data)); }, onError: (e) => { throw e; } });
  return async () => {
    while (queue.length === 0) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the stream ended');
      decoder.push(value);
    }
    return queue.shift()!;
  };
}

const answers = suite('HTTP server: a malformed answer to the server\'s request');

for (const [what, reply] of [
  ['a result that is not an object', { result: 5 }],
  ['an error without a numeric code', { error: { code: 'x', message: 'no' } }],
] as const) {
  answers(`${what}: 400 for the POST, and the call that asked fails at once`, async () => {
    const f = makeFixture();
    try {
      const sid = await f.initialize();
      const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
      const call = await f.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_user', arguments: { question: 'Name?' } } }, headers);
      const next = messageReader(call);
      const question = await next();
      assert.is(question.method, 'elicitation/create');
      const refused = await f.post({ jsonrpc: '2.0', id: question.id, ...reply }, headers);
      assert.is(refused.status, 400);
      assert.is(((await refused.json()) as { error: { code: number } }).error.code, -32600);
      // Before: nothing more came until the elicitation timed out (the bound keeps the test short).
      let timer: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([next(), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the call was still waiting after 5 s')), 5_000); })]);
      clearTimeout(timer);
      assert.is(outcome.id, 1);
      const text = JSON.stringify(outcome);
      assert.match(text, /malformed response to request/);
    } finally {
      await f.close();
    }
  });
}

answers.run();
