// What a JavaScript tool handler returns that is not a CallToolResult is the tool's error,
// said precisely, not an empty success: `return { rows }` went out as `{ rows, content: [] }`
// (the client saw no content and no error), and `return { content: 'hello' }` lost its text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../server/index.ts';
import { createClient } from '../client/index.ts';
import { createMemoryPair } from '../transport/index.ts';

async function call(returned: unknown) {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 't' }, (() => returned) as () => string);
  const [a, b] = createMemoryPair();
  await server.connect(b);
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  await client.connect(a);
  const result = await client.callTool('t', {});
  await client.close();
  return result;
}

const shape = suite('tool return value: not a CallToolResult is an isError result naming the fault');

shape('an object with neither content nor structuredContent', async () => {
  const result = await call({ rows: [1, 2], total: 2 });
  assert.is(result.isError, true);
  assert.equal(result.content, [{ type: 'text', text: 'tool returned an object with neither content nor structuredContent (keys: rows, total); return text, { content: [...] } or { structuredContent }' }]);
});

shape('content that is not an array', async () => {
  const result = await call({ content: 'hello' });
  assert.is(result.isError, true);
  assert.equal(result.content, [{ type: 'text', text: 'tool returned content that is not an array of content blocks (string)' }]);
});

shape('still fine: structuredContent alone (its text added), an isError result without content, content []', async () => {
  const structured = await call({ structuredContent: { a: 1 } });
  assert.equal([structured.isError, structured.content], [undefined, [{ type: 'text', text: '{"a":1}' }]]);
  const failed = await call({ isError: true });
  assert.equal([failed.isError, failed.content], [true, []]);
  const empty = await call({ content: [] });
  assert.equal([empty.isError, empty.content], [undefined, []]);
});

shape.run();
