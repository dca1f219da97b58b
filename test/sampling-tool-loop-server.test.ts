// 2025-11-25 and 2026-07-28 client/sampling: a user message holding tool results MUST hold only
// tool results, and every assistant tool_use MUST be answered by the next user message with a
// tool_result of the same id; "Servers MUST ensure" it when they reply to a toolUse stop. Our
// client refused such a request (-32602), but ctx.sample sent whatever the tool wrote, so the
// tool learnt of its mistake only from the client. It is now refused before anything is sent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import type { SamplingMessage } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';
import { Exchange, request } from './modern-kit.ts';

const use = { type: 'tool_use' as const, id: 'u1', name: 'weather', input: { city: 'Paris' } };
const result = (id: string) => ({ type: 'tool_result' as const, toolUseId: id, content: [{ type: 'text' as const, text: '18C' }] });
const tools = [{ name: 'weather', inputSchema: { type: 'object' as const } }];
const ask = { role: 'user' as const, content: { type: 'text' as const, text: 'Weather in Paris?' } };

const broken: Record<string, SamplingMessage[]> = {
  mixed: [ask, { role: 'assistant', content: [use] }, { role: 'user', content: [result('u1'), { type: 'text', text: 'and?' }] }],
  unmatched: [ask, { role: 'assistant', content: [use] }, { role: 'user', content: [result('u2')] }],
  unanswered: [ask, { role: 'assistant', content: [use] }, { role: 'user', content: { type: 'text', text: 'never mind' } }],
};
const expected: Record<string, RegExp> = {
  mixed: /messages\[2\]: a message with tool results must contain only tool_result content/,
  unmatched: /messages\[2\]: no tool_result for tool_use \["u1"\]/,
  unanswered: /messages\[2\]: the tool_use \["u1"\] of the previous message must be answered first/,
};

function samplingServer() {
  const server = createServer({ name: 's', version: '1' });
  for (const [name, messages] of Object.entries(broken)) {
    server.tool({ name }, async (_a, ctx) => JSON.stringify(await ctx.sample({ messages, maxTokens: 50, tools })));
  }
  server.tool({ name: 'good' }, async (_a, ctx) => JSON.stringify(await ctx.sample({ messages: [ask, { role: 'assistant', content: [use] }, { role: 'user', content: [result('u1')] }], maxTokens: 50, tools })));
  return server;
}

const loop = suite('server: ctx.sample refuses a tool loop the spec forbids');

loop('2025-11-25: each broken loop is a tool error naming the fault; the client is never asked', async () => {
  let asked = 0;
  const c = await connectClient(samplingServer(), { client: { sampling: { tools: true }, onSample: async () => { asked++; return { role: 'assistant', model: 'm', content: { type: 'text', text: 'ok' } }; } } });
  try {
    for (const [name, problem] of Object.entries(expected)) {
      const answer = await c.client.callTool(name, {});
      assert.is(answer.isError, true, name);
      assert.match((answer.content[0] as { text: string }).text, problem);
    }
    assert.is(asked, 0);
    assert.not.ok((await c.client.callTool('good', {})).isError);
    assert.is(asked, 1);
  } finally {
    await c.close();
  }
});

loop('2026-07-28: the same, and nothing goes into an InputRequiredResult', async () => {
  const x = new Exchange(samplingServer());
  for (const [name, problem] of Object.entries(expected)) {
    const answer = await x.result(request('tools/call', { name }, { sampling: { tools: {} } }));
    assert.is(answer.resultType, 'complete', name);
    assert.is(answer.isError, true);
    assert.match(answer.content[0].text, problem);
  }
  assert.is((await x.result(request('tools/call', { name: 'good' }, { sampling: { tools: {} } }))).resultType, 'input_required');
});

loop.run();
