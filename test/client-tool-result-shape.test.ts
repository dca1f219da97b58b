// The client library handed a tools/call result up as it came: a server answering
// `{"content": "not an array"}` reached the caller, whose first `content.map` threw a TypeError
// (the host's renderer did; session 21's host walk). `callTool` now rejects a result that breaks
// CallToolResult's shape (2025-11-25 server/tools) with MCP_ERR_PROTOCOL saying what is wrong,
// and the session goes on.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createStdioClientTransport } from 'mcpwire/client';

const server = fileURLToPath(new URL('./malformed-result-server.mjs', import.meta.url));
const shape = suite('client: a tools/call result that is not a CallToolResult');

shape('each malformed result rejects naming the tool and the fault; a good one after them resolves', async () => {
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy' });
  await client.connect(createStdioClientTransport({ command: process.execPath, args: [server], stderr: 'ignore' }));
  try {
    const expected: Record<string, RegExp> = {
      string_content: /"content" is a string, not an array of content blocks/,
      number_text: /content block 1 \(text\) has "text" as a number, not a string/,
      null_block: /content block 1 is null, not a content block/,
      string_is_error: /"isError" is a string, not a boolean/,
    };
    for (const [tool, problem] of Object.entries(expected)) {
      const failure = await client.callTool(tool, {}).then(() => undefined, (e: Error & { code?: string }) => e);
      assert.is(failure?.code, 'MCP_ERR_PROTOCOL', tool);
      assert.match(failure?.message ?? '', new RegExp(`the result of tool ${tool} is not a tool result: `), failure?.message);
      assert.match(failure?.message ?? '', problem);
    }
    assert.equal((await client.callTool('good', {})).content, [{ type: 'text', text: 'all good' }]);
  } finally {
    await client.close();
  }
});

shape.run();
