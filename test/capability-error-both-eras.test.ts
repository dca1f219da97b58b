// One tool definition, both eras: a handler asking a client for what it did not declare sees one
// error class. It saw an McpError (MCP_ERR_CAPABILITY) in a 2025 session and an RpcError
// (-32021) in a 2026-07-28 request, so a tool that caught one let the other through. Uncaught,
// each era's wire stays as its spec has it (2025: the tool's error result; 2026-07-28
// basic/patterns/mrtr: -32021 with data.requiredCapabilities).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/server.ts';
import { MissingCapabilityError } from '../server/index.ts';
import { createClient } from '../client/client.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { Exchange, request } from './modern-kit.ts';

const hi = [{ role: 'user' as const, content: { type: 'text' as const, text: 'hi' } }];

function server() {
  const s = createServer({ name: 's', version: '1' });
  // What a tool author writes once: fall back when the client cannot sample.
  s.tool({ name: 'careful' }, async (_a, ctx) => {
    try {
      await ctx.sample({ messages: hi, maxTokens: 5, tools: [{ name: 't', inputSchema: { type: 'object' } }] });
      return 'sampled';
    } catch (error) {
      if (!(error instanceof MissingCapabilityError)) throw error;
      return `fallback: ${error.code} ${JSON.stringify(error.requiredCapabilities)}`;
    }
  });
  s.prompt({ name: 'asking' }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ message: 'n?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } })));
  s.tool({ name: 'careless' }, async (_a, ctx) => JSON.stringify(await ctx.elicit({ message: 'n?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } })));
  return s;
}

const eras = suite('MissingCapabilityError: one class for a handler in both eras');

eras('2025-11-25: caught, the tool falls back; uncaught, the call is the tool\'s error result', async () => {
  const [a, b] = createMemoryPair();
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy', onSample: async () => ({ role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' }) });
  await server().connect(a);
  await client.connect(b);
  try {
    const caught = await client.callTool('careful', {});
    assert.equal(caught.content, [{ type: 'text', text: 'fallback: MCP_ERR_CAPABILITY {"sampling":{"tools":{}}}' }]);
    const uncaught = await client.callTool('careless', {});
    assert.is(uncaught.isError, true);
    assert.match(JSON.stringify(uncaught.content), /did not declare the elicitation capability/);
  } finally {
    await client.close();
  }
});

eras('2026-07-28: caught, the tool falls back; uncaught, the request is -32021 naming what is missing', async () => {
  const x = new Exchange(server());
  const caught = await x.result(request('tools/call', { name: 'careful' }, { sampling: {} }));
  assert.equal(caught.content, [{ type: 'text', text: 'fallback: MCP_ERR_CAPABILITY {"sampling":{"tools":{}}}' }]);
  const error = await x.error(request('tools/call', { name: 'careless' }, {}), 400);
  assert.is(error.code, -32021);
  assert.equal(error.data, { requiredCapabilities: { elicitation: {} } });
  // A prompt may ask in this era too (2026-07-28 basic/patterns/mrtr): the same answer.
  const prompt = await x.error(request('prompts/get', { name: 'asking' }, {}), 400);
  assert.is(prompt.code, -32021, prompt.message);
  assert.equal(prompt.data, { requiredCapabilities: { elicitation: {} } });
});

eras.run();
