// 2026-07-28 server/tools, "Output Schema": clients SHOULD validate structured results against
// the tool's outputSchema, and "Structured Content": `structuredContent` may be any JSON value
// (object, array, string, number, boolean or null) that the schema accepts. The 2026-07-28
// client checked neither the listed schema nor the caller's own (the legacy client checks
// both), and refused an array, a string or null as "not an object" (2025-11-25's rule).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { scripted } from './modern-script.ts';

const tools = [
  { name: 'obj', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
  { name: 'arr', inputSchema: { type: 'object' }, outputSchema: { type: 'array', items: { type: 'integer' } } },
  { name: 'nul', inputSchema: { type: 'object' }, outputSchema: { type: 'null' } },
  { name: 'free', inputSchema: { type: 'object' } },
  { name: 'd4', inputSchema: { type: 'object' }, outputSchema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' } },
  { name: 'net', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } } },
];

/** A 2026-07-28 client of a server whose tools answer `structured[name]`. */
async function connect(structured: Record<string, unknown>): Promise<McpClient> {
  const { fetch } = scripted((s) => {
    if (s.body.method === 'tools/list') return { tools };
    if (s.body.method !== 'tools/call') return undefined;
    const value = structured[s.body.params!.name as string];
    return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
  });
  const client = createClient({ name: 'c', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3001/mcp', fetch }));
  await client.listTools();
  return client;
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: Error & { code?: string }) => e);

const checks = suite('client 2026-07-28: structured results against the outputSchema');

checks('a result breaking the listed schema, or the caller\'s, is refused as in 2025-11-25', async () => {
  const client = await connect({ obj: { a: 1 }, arr: [1, 'two'], free: { n: 1 } });
  try {
    const listed = await failure(client.callTool('obj', {}));
    assert.is(listed?.name, 'ToolResultError', String(listed?.message));
    assert.match(listed!.message, /tool obj returned structuredContent that does not match its outputSchema: \/a: must be string/);
    assert.match((await failure(client.callTool('arr', {})))?.message ?? 'resolved', /\/1: must be integer/);
    const own = await failure(client.callTool('free', {}, { outputSchema: { type: 'object', required: ['z'] } }));
    assert.match(own?.message ?? 'resolved', /must have required property 'z'/);
  } finally {
    await client.close();
  }
});

checks('an array, null or a string is structured content in 2026-07-28', async () => {
  const client = await connect({ arr: [1, 2], nul: null, free: 'plain' });
  try {
    assert.equal((await client.callTool('arr', {})).structuredContent, [1, 2]);
    assert.is((await client.callTool('nul', {})).structuredContent, null);
    assert.is((await client.callTool('free', {})).structuredContent as unknown, 'plain');
  } finally {
    await client.close();
  }
});

checks('an unsupported dialect, or a $ref to the network, fails the call saying so (basic, JSON Schema usage)', async () => {
  const client = await connect({ d4: { a: 1 }, net: { a: 1 } });
  try {
    const d4 = await failure(client.callTool('d4', {}));
    assert.is(d4?.code, 'MCP_ERR_VALIDATION', String(d4?.message));
    assert.match(d4!.message, /tool d4: its outputSchema declares the JSON Schema dialect "http:\/\/json-schema.org\/draft-04\/schema#", which this client does not support \(2020-12, draft-07\)/);
    const net = await failure(client.callTool('net', {}));
    assert.is(net?.code, 'MCP_ERR_VALIDATION', String(net?.message));
    assert.match(net!.message, /tool net: .*https:\/\/example.com\/a.json.*external references are never fetched/);
  } finally {
    await client.close();
  }
});

checks.run();
