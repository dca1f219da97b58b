// Sampling content fitted to the negotiated version. 2025-11-25 client/sampling lets a
// message and the model's answer hold an array of blocks; 2025-06-18 and 2025-03-26 hold one
// block (their SamplingMessage and CreateMessageResult schemas). Every message crosses the
// spec-schema tap of the session's version.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import type { CreateMessageParams, CreateMessageResult } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';

const text = (t: string) => ({ type: 'text' as const, text: t });

const server = suite('the server fits the messages it asks the client to sample');

for (const version of ['2025-03-26', '2025-06-18', '2025-11-25']) {
  server(`at ${version}`, async () => {
    const s = createServer({ name: 's', version: '1' });
    const failures: string[] = [];
    s.tool({ name: 'ask' }, async (_a, ctx) => {
      for (const content of [[text('one')], [text('a'), text('b')]]) {
        await ctx.sample({ messages: [{ role: 'user', content }], maxTokens: 5 })
          .catch((e: { code?: string; message: string }) => failures.push(`${e.code}: ${e.message}`));
      }
      return 'done';
    });
    const asked: CreateMessageParams[] = [];
    const c = await connectClient(s, { version, client: { onSample: async (params) => { asked.push(params); return { role: 'assistant', model: 'm', content: text('x') }; } } });
    assert.is((await c.client.callTool('ask', {})).content[0]?.type, 'text');
    if (version === '2025-11-25') {
      assert.equal(asked.map((p) => p.messages[0]!.content), [[text('one')], [text('a'), text('b')]]);
      assert.equal(failures, []);
    } else {
      assert.equal(asked.map((p) => p.messages[0]!.content), [text('one')], 'an array of one goes as its block; two blocks are not sent');
      assert.is(failures.length, 1);
      assert.match(failures[0]!, new RegExp(`^MCP_ERR_VALIDATION: .*2 content blocks in one message need protocol 2025-11-25; this session uses ${version}`));
    }
    await c.close(); // the tap: every message valid at `version`
  });
}

server.run();

const client = suite('the client fits the answer it returns');

for (const version of ['2025-03-26', '2025-06-18', '2025-11-25']) {
  client(`at ${version}`, async () => {
    const s = createServer({ name: 's', version: '1' });
    const seen: Array<CreateMessageResult | string> = [];
    s.tool({ name: 'ask' }, async (_a, ctx) => {
      await ctx.sample({ messages: [{ role: 'user', content: text('q') }], maxTokens: 5 })
        .then((r) => seen.push(r), (e: Error) => seen.push(e.message));
      return 'done';
    });
    const answers: CreateMessageResult[] = [
      { role: 'assistant', model: 'm', content: [text('one')] },
      { role: 'assistant', model: 'm', content: [text('a'), text('b')] },
    ];
    let n = 0;
    const reported: string[] = [];
    const c = await connectClient(s, { version, client: { onSample: async () => answers[n++]!, onError: (e) => reported.push(e.message) } });
    await c.client.callTool('ask', {});
    await c.client.callTool('ask', {});
    if (version === '2025-11-25') {
      assert.equal(seen, [answers[0], answers[1]]);
    } else {
      assert.equal(seen[0], { role: 'assistant', model: 'm', content: text('one') });
      assert.match(String(seen[1]), /-32603|could not|cannot/);
      assert.ok(reported.some((m) => /2 content blocks in one message need protocol 2025-11-25/.test(m)), reported.join('\n'));
    }
    await c.close();
  });
}

client.run();
