// The client compiles a server's listed outputSchema under the same bounds the server's own
// validator applies (2026-07-28 basic, JSON Schema usage: validators SHOULD bound depth and
// subschema count). Before, a server could list a schema of any depth or size and the client
// handed it to ajv whole.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSchemaValidator, createServer } from '../server/index.ts';
import { createClient, type ClientOptions } from '../client/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import { McpError } from '../protocol/index.ts';

/** An object schema whose `v` property nests `depth` objects deep. */
function deepSchema(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { type: 'number' };
  for (let i = 0; i < depth; i++) inner = { type: 'object', properties: { v: inner } };
  return inner;
}
const deepValue = (depth: number): unknown => (depth === 0 ? 1 : { v: deepValue(depth - 1) });

async function clientOf(depth: number, options: ClientOptions) {
  // A server that allows what it lists: its own validator takes schemas up to 500 deep.
  const server = createServer({ name: 's', version: '1' }, { validator: createSchemaValidator({ maxSchemaDepth: 500 }) });
  server.tool({ name: 'deep', outputSchema: deepSchema(depth) as { type: 'object' } }, () => ({ structuredContent: deepValue(depth) as Record<string, unknown> }));
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'c', version: '1' }, { era: 'legacy', ...options });
  await client.connect(clientSide);
  await client.listTools();
  return client;
}

const bounds = suite('client: a listed outputSchema is compiled only within maxSchemaDepth / maxSchemaNodes');

bounds('a schema deeper than the default 64 rejects the call, naming the option', async () => {
  const client = await clientOf(100, {});
  const error = await client.callTool('deep', {}).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof McpError, String(error));
  assert.is((error as McpError).message, 'tool deep: its outputSchema is refused: schema is nested deeper than maxSchemaDepth (64)');
  await client.close();
});

bounds('raised by the option, the same schema checks the result', async () => {
  const client = await clientOf(100, { maxSchemaDepth: 300 });
  const result = await client.callTool('deep', {});
  assert.is(result.isError, undefined);
  await client.close();
});

bounds('maxSchemaNodes bounds a wide schema', async () => {
  const client = await clientOf(10, { maxSchemaNodes: 15 });
  const error = await client.callTool('deep', {}).then(() => undefined, (e: unknown) => e);
  assert.match(String((error as Error).message), 'schema has more than maxSchemaNodes (15) objects and arrays');
  await client.close();
});

bounds.run();
