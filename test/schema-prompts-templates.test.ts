// Prompt arguments and resource template variables from a schema: the listed arguments come
// from the schema's properties, the client's strings are checked (-32602 when they break
// it), and the handler gets the library's parsed output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import * as v from 'valibot';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

async function connect(server: McpServer) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'args-test', version: '1' });
  await client.connect(clientSide);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: number; message: string };
  }
  throw new Error('it did not reject');
}

const prompts = suite('prompt argsSchema');

prompts('zod: arguments listed from the properties; strings coerced; bad ones are -32602', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.prompt({
    name: 'review',
    argsSchema: z.object({ path: z.string().describe('File to review'), depth: z.coerce.number().int().max(3).optional() }),
  }, ({ path, depth }) => `Review ${path} to depth ${(depth ?? 1) + 1}`);
  const client = await connect(server);
  try {
    const [listed] = await client.listPrompts();
    assert.equal(listed?.arguments, [{ name: 'path', description: 'File to review', required: true }, { name: 'depth' }]);
    const got = await client.getPrompt('review', { path: 'a.ts', depth: '2' });
    assert.equal(got.messages[0]?.content, { type: 'text', text: 'Review a.ts to depth 3' });
    const bad = await rejection(client.getPrompt('review', { path: 'a.ts', depth: '9' }));
    assert.is(bad.code, -32602);
    assert.match(bad.message, /arguments of prompt review: \/depth: /);
  } finally { await client.close(); }
});

prompts('JSON Schema argsSchema is checked by ajv; arguments and argsSchema together are refused', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.prompt({ name: 'pick', argsSchema: { type: 'object', properties: { mode: { enum: ['fast', 'slow'] } }, required: ['mode'] } }, ({ mode }) => `mode ${mode}`);
  assert.throws(() => server.prompt({ name: 'both', arguments: [{ name: 'x' }], argsSchema: z.object({ x: z.string() }) } as never, () => 'x'), /give arguments or argsSchema, not both/);
  const client = await connect(server);
  try {
    assert.equal((await client.getPrompt('pick', { mode: 'fast' })).messages[0]?.content, { type: 'text', text: 'mode fast' });
    const bad = await rejection(client.getPrompt('pick', { mode: 'medium' }));
    assert.is(bad.code, -32602);
    assert.match(bad.message, /\/mode: must be equal to one of the allowed values/);
  } finally { await client.close(); }
});

const templates = suite('resource template variables schema');

templates('valibot: the reader gets the transformed variables; a bad URI is -32602', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.resourceTemplate({
    uriTemplate: 'orders://{id}', name: 'order', mimeType: 'text/plain',
    variables: v.object({ id: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number)) }),
  }, (_uri, { id }) => `order ${id * 10}`);
  const client = await connect(server);
  try {
    const read = await client.readResource('orders://7');
    assert.is((read.contents[0] as { text?: string }).text, 'order 70');
    const bad = await rejection(client.readResource('orders://seven'));
    assert.is(bad.code, -32602);
    assert.match(bad.message, /orders:\/\/seven does not fit template order: \/id: /);
  } finally { await client.close(); }
});

prompts.run();
templates.run();
