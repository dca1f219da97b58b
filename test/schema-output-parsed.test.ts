// A tool whose outputSchema is a Standard Schema sends the schema's parsed output as its
// structuredContent, not the value as the handler returned it: `tools/list` lists the
// schema's output side (zod 4: `additionalProperties: false`, defaults required), so keys the
// library strips or defaults it fills would otherwise break the listed schema, and a client
// checking results against it (2025-11-25 server/tools: structured content; clients SHOULD
// validate) would reject a result the server had accepted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

async function connect(server: McpServer) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'output-parsed', version: '1' });
  await client.connect(clientSide);
  await client.listTools(); // the client now checks results against the listed schemas
  return client;
}

const text = (r: { content: Array<{ type: string; text?: string }> }) => r.content.map((c) => c.text ?? '').join('');

const parsed = suite('a Standard Schema outputSchema: its parsed output is what is sent');

parsed('zod 4: a key the schema strips is not sent (a row with more fields than the schema)', async () => {
  const server = createServer({ name: 's', version: '1' });
  const row = { id: 7, name: 'Lisbon', internalNote: 'do not publish' };
  server.tool({ name: 'city', outputSchema: z.object({ id: z.number(), name: z.string() }) }, () => ({ structuredContent: row }));
  const client = await connect(server);
  try {
    const result = await client.callTool('city', {});
    assert.is(result.isError, undefined);
    assert.equal(result.structuredContent, { id: 7, name: 'Lisbon' });
    assert.not.match(text(result), /internalNote/, 'the text mirror is of what was sent');
  } finally { await client.close(); }
});

parsed('zod 4: a default the schema fills is sent', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'tagged', outputSchema: z.object({ id: z.number(), tags: z.array(z.string()).default([]) }) },
    () => ({ structuredContent: { id: 1 } }));
  const client = await connect(server);
  try {
    const result = await client.callTool('tagged', {});
    assert.equal(result.structuredContent, { id: 1, tags: [] });
  } finally { await client.close(); }
});

parsed('valibot: the same (its converter lists the output side)', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({
    name: 'city',
    outputSchema: v.strictObject({ id: v.number(), kind: v.optional(v.string(), 'city') }),
    toJsonSchema: (schema, io) => toJsonSchema(schema as v.GenericSchema, { target: 'draft-2020-12', typeMode: io }),
  }, () => ({ structuredContent: { id: 3 } }));
  const client = await connect(server);
  try {
    const result = await client.callTool('city', {});
    assert.equal(result.structuredContent, { id: 3, kind: 'city' });
  } finally { await client.close(); }
});

parsed('a JSON Schema outputSchema: the value goes out as returned (nothing parses it)', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'plain', outputSchema: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] } },
    () => ({ structuredContent: { id: 1, extra: true } }));
  const client = await connect(server);
  try {
    const result = await client.callTool('plain', {});
    assert.equal(result.structuredContent, { id: 1, extra: true });
  } finally { await client.close(); }
});

parsed.run();
