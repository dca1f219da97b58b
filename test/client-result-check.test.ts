// The client checks structuredContent: against the tool's outputSchema as listed (cached by
// listTools), or against a schema the caller passes (a Standard Schema types the result).
// A violation rejects with ToolResultError. The server below changes a tool's schema after
// the client listed it, so the client's cached schema is the one a result breaks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient, ToolResultError, type ClientOptions } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

async function connect(server: McpServer, options: ClientOptions = {}) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'result-check', version: '1' }, options);
  await client.connect(clientSide);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('it did not reject');
}

/** A server whose `total` tool lists a number schema, then answers with a string once swapped. */
function swappingServer() {
  const server = createServer({ name: 's', version: '1' });
  const remove = server.tool({ name: 'total', outputSchema: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } },
    () => ({ structuredContent: { total: 3 } }));
  const swap = () => {
    remove();
    server.tool({ name: 'total', outputSchema: { type: 'object', properties: { total: { type: 'string' } }, required: ['total'] } },
      () => ({ structuredContent: { total: 'three' } }));
  };
  return { server, swap };
}

const listed = suite('client: structuredContent checked against the listed outputSchema');

listed('a result that matches passes; one that breaks the cached schema rejects with ToolResultError', async () => {
  const { server, swap } = swappingServer();
  const client = await connect(server);
  try {
    await client.listTools();
    assert.equal((await client.callTool('total', {})).structuredContent, { total: 3 });
    swap();
    const error = await rejection(client.callTool('total', {}));
    assert.instance(error, ToolResultError);
    const e = error as ToolResultError;
    assert.is(e.code, 'MCP_ERR_VALIDATION');
    assert.is(e.tool, 'total');
    assert.equal(e.problems, ['/total: must be number']);
    assert.equal(e.result.structuredContent, { total: 'three' });
    await client.listTools(); // the new schema is cached now
    assert.equal((await client.callTool('total', {})).structuredContent, { total: 'three' });
  } finally { await client.close(); }
});

listed('validateStructuredContent: false leaves results unchecked; unlisted tools are not checked', async () => {
  const { server, swap } = swappingServer();
  const client = await connect(server, { validateStructuredContent: false });
  try {
    await client.listTools();
    swap();
    assert.equal((await client.callTool('total', {})).structuredContent, { total: 'three' });
  } finally { await client.close(); }
  const fresh = swappingServer();
  fresh.swap();
  const unlisted = await connect(fresh.server);
  try {
    assert.equal((await unlisted.callTool('total', {})).structuredContent, { total: 'three' });
  } finally { await unlisted.close(); }
});

listed('a result with no structuredContent from a tool that lists an outputSchema rejects', async () => {
  const server = createServer({ name: 's', version: '1' });
  const remove = server.tool({ name: 't', outputSchema: { type: 'object' } }, () => ({ structuredContent: {} }));
  const client = await connect(server);
  try {
    await client.listTools();
    remove();
    server.tool({ name: 't' }, () => 'plain text');
    const error = await rejection(client.callTool('t', {}));
    assert.instance(error, ToolResultError);
    assert.match((error as Error).message, /no structuredContent/);
  } finally { await client.close(); }
});

const own = suite('client: callTool with the caller\'s own Standard Schema');

own('the result is typed by the schema and carries its parsed output', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'quote' }, () => ({ content: [], structuredContent: { price: '12.5', currency: 'EUR' } }));
  const client = await connect(server);
  try {
    const result = await client.callTool('quote', {}, { outputSchema: z.object({ price: z.coerce.number(), currency: z.enum(['EUR', 'USD']) }) });
    if (result.isError) throw new Error('expected a success');
    const price: number = result.structuredContent.price;
    assert.is(price, 12.5);
    const error = await rejection(client.callTool('quote', {}, { outputSchema: z.object({ currency: z.literal('USD') }) }));
    assert.instance(error, ToolResultError);
    assert.match((error as Error).message, /\/currency: /);
  } finally { await client.close(); }
});

own('a tool error comes back unchecked, without structuredContent, and says so in isError', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'quote', outputSchema: z.object({ price: z.number() }) }, () => { throw new Error('no prices today'); });
  const client = await connect(server);
  try {
    const result = await client.callTool('quote', {}, { outputSchema: z.object({ price: z.number() }) });
    assert.is(result.isError, true);
    assert.is(result.structuredContent, undefined);
    assert.match(JSON.stringify(result.content), /no prices today/);
  } finally { await client.close(); }
});

listed.run();
own.run();
