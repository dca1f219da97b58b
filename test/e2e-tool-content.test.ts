// Tool results carry every content type, fitted to the negotiated version and schema-valid
// (through the tap) at 2025-11-25, 2025-06-18 and 2025-03-26; icons, titles and annotations
// of tools pass through untouched.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import type { ContentBlock, Tool } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';

const blocks: ContentBlock[] = [
  { type: 'text', text: 't' },
  { type: 'image', data: 'AAAA', mimeType: 'image/png' },
  { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
  { type: 'resource', resource: { uri: 'mem://r', text: 'r' } },
  { type: 'resource_link', uri: 'mem://l', name: 'l', description: 'a link', annotations: { priority: 0.2 } },
];

const tool: Tool = {
  name: 'everything', title: 'Every block', description: 'Returns every content type',
  icons: [{ src: 'https://example.com/t.svg', mimeType: 'image/svg+xml', sizes: ['any'], theme: 'light' }],
  inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, additionalProperties: false },
  annotations: { title: 'Every block', readOnlyHint: true, openWorldHint: false },
};

const content = suite('tools: content across protocol versions');

for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
  content(`every content block is schema-valid at ${version}`, async () => {
    const server = createServer({ name: 't', version: '1' });
    server.tool(tool, () => ({ content: blocks }));
    const c = await connectClient(server, { version });
    const [listed] = await c.client.listTools();
    assert.equal(listed, tool, 'icons, title, annotations and the schema are listed untouched');
    const result = await c.client.callTool('everything', {});
    if (version === '2025-03-26') {
      assert.equal(result.content.slice(0, 4), blocks.slice(0, 4));
      assert.equal(result.content[4], { type: 'text', text: 'Resource link: l <mem://l> (a link)', annotations: { priority: 0.2 } });
    } else {
      assert.equal(result.content, blocks);
    }
    await c.close();
  });
}

content.run();
