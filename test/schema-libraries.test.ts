// Tools written with zod 4, valibot and arktype (any Standard Schema), end to end over the
// memory pair: the listed inputSchema is a valid JSON Schema 2020-12 document, input is
// validated by the library (its parsed output reaches the handler), bad input is a tool
// error, and structured output is checked against the output schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as z from 'zod';
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

const meta = new Ajv2020({ strict: false });

async function connect(server: McpServer) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'schema-test', version: '1' });
  await client.connect(clientSide);
  return client;
}

const text = (r: { content: Array<{ type: string; text?: string }> }) => r.content.map((c) => c.text ?? '').join('');

const libraries: Array<{ name: string; setup: (server: McpServer) => void }> = [
  {
    name: 'zod 4',
    setup: (server) => server.tool({
      name: 'book',
      inputSchema: z.object({ city: z.string().min(2), nights: z.number().int().default(1) }),
      outputSchema: z.object({ city: z.string(), nights: z.number() }),
    }, ({ city, nights }) => ({ structuredContent: { city: city.toUpperCase(), nights } })),
  },
  {
    // valibot has no ~standard.jsonSchema: its own converter goes in the toJsonSchema option.
    name: 'valibot (toJsonSchema option with @valibot/to-json-schema)',
    setup: (server) => server.tool({
      name: 'book',
      inputSchema: v.object({ city: v.pipe(v.string(), v.minLength(2)), nights: v.optional(v.number(), 1) }),
      outputSchema: v.object({ city: v.string(), nights: v.number() }),
      toJsonSchema: (schema, io) => toJsonSchema(schema as v.GenericSchema, { target: 'draft-2020-12', typeMode: io }),
    }, ({ city, nights }) => ({ structuredContent: { city: city.toUpperCase(), nights } })),
  },
  {
    name: 'arktype',
    setup: (server) => server.tool({
      name: 'book',
      inputSchema: type({ city: 'string >= 2', nights: 'number = 1' }),
      outputSchema: type({ city: 'string', nights: 'number' }),
    }, ({ city, nights }) => ({ structuredContent: { city: city.toUpperCase(), nights } })),
  },
];

for (const lib of libraries) {
  const test = suite(`Standard Schema tool: ${lib.name}`);

  test('the listed inputSchema and outputSchema are valid JSON Schema 2020-12 objects', async () => {
    const server = createServer({ name: 's', version: '1' });
    lib.setup(server);
    const client = await connect(server);
    try {
      const [tool] = await client.listTools();
      assert.is(tool?.inputSchema.type, 'object');
      assert.ok(meta.validateSchema(tool!.inputSchema), JSON.stringify(meta.errors));
      assert.ok(meta.validateSchema(tool!.outputSchema!), JSON.stringify(meta.errors));
      const city = (tool!.inputSchema.properties as Record<string, { type?: string; minLength?: number }>).city;
      assert.is(city?.type, 'string');
      assert.is(city?.minLength, 2, 'the library\'s own constraint reached the listed schema');
    } finally { await client.close(); }
  });

  test('valid input reaches the handler as the library parsed it (defaults applied)', async () => {
    const server = createServer({ name: 's', version: '1' });
    lib.setup(server);
    const client = await connect(server);
    try {
      const result = await client.callTool('book', { city: 'lisbon' });
      assert.not.ok(result.isError, text(result));
      assert.equal(result.structuredContent, { city: 'LISBON', nights: 1 });
    } finally { await client.close(); }
  });

  test('invalid input is a tool error naming the field, and the handler does not run', async () => {
    const server = createServer({ name: 's', version: '1' });
    lib.setup(server);
    const client = await connect(server);
    try {
      const result = await client.callTool('book', { city: 'x', nights: 'two' });
      assert.is(result.isError, true);
      assert.match(text(result), /^Invalid arguments for tool book: /);
      assert.match(text(result), /\/city: /);
      assert.match(text(result), /\/nights: /);
    } finally { await client.close(); }
  });

  test.run();
}

const output = suite('Standard Schema output and conversion errors');

output('structuredContent that breaks a zod outputSchema is a tool error', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'out', outputSchema: z.object({ n: z.number() }) }, () => ({ structuredContent: { n: 'one' } }) as never);
  const client = await connect(server);
  try {
    const result = await client.callTool('out', {});
    assert.is(result.isError, true);
    assert.match(text(result), /does not match its outputSchema: \/n: /);
  } finally { await client.close(); }
});

output('an async Standard Schema validation is awaited', async () => {
  const server = createServer({ name: 's', version: '1' });
  const slowName = z.object({ name: z.string().refine(async (s) => s !== 'taken', 'name is taken') });
  server.tool({ name: 'claim', inputSchema: slowName }, ({ name }) => `claimed ${name}`);
  const client = await connect(server);
  try {
    assert.is(text(await client.callTool('claim', { name: 'free' })), 'claimed free');
    const refused = await client.callTool('claim', { name: 'taken' });
    assert.is(refused.isError, true);
    assert.match(text(refused), /\/name: name is taken/);
  } finally { await client.close(); }
});

output('a Standard Schema with no JSON Schema export and no toJsonSchema is refused at registration', () => {
  const server = createServer({ name: 's', version: '1' });
  try {
    server.tool({ name: 'v', inputSchema: v.object({ q: v.string() }) }, ({ q }) => q);
    assert.unreachable('registered');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
    assert.match((error as Error).message, /tool v inputSchema: the valibot schema has no Standard JSON Schema export \(~standard\.jsonSchema\); pass the toJsonSchema option/);
  }
});

output('the server-wide toJsonSchema option converts, and a failing conversion is a clear error', async () => {
  const calls: string[] = [];
  const server = createServer({ name: 's', version: '1' }, {
    toJsonSchema: (_schema, io) => { calls.push(io); return { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }; },
  });
  server.tool({ name: 'v', inputSchema: v.object({ q: v.string() }) }, ({ q }) => q);
  assert.equal(calls, ['input']);
  const failing = createServer({ name: 's', version: '1' }, { toJsonSchema: () => { throw new Error('unsupported pipe'); } });
  assert.throws(() => failing.tool({ name: 'v', inputSchema: v.object({ q: v.string() }) }, ({ q }) => q), /converting the valibot schema to JSON Schema failed: unsupported pipe/);
  const client = await connect(server);
  try {
    assert.is(text(await client.callTool('v', { q: 'hi' })), 'hi');
  } finally { await client.close(); }
});

output('a Standard Schema that is not an object schema is refused', () => {
  const server = createServer({ name: 's', version: '1' });
  assert.throws(() => server.tool({ name: 's', inputSchema: z.string() as never }, () => 'x'), /inputSchema must have type "object"/);
});

output.run();
