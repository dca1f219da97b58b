// test-runner: tsx (a bundle would load ajv at its start: these tests check when ajv loads)
// ajv loads with import() only for a schema that is not plain (issue #20 item 3,
// server/validation.ts): a server whose schemas are plain never loads it, and a schema that
// is not plain is checked once it has loaded, before the server serves (connect() waits).
// test/run.js runs each file in a process of its own, and the tests below run in order: the
// first three run before anything in this process has loaded ajv.
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';

/** ajv is CommonJS: once imported, its files are in the require cache. */
const ajvLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\/]node_modules[\\/]ajv[\\/]/.test(file));

async function call(server: McpServer, name: string, args: Record<string, unknown>) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'c', version: '1' });
  await client.connect(clientSide);
  try {
    return await client.callTool(name, args);
  } finally {
    await client.close();
  }
}

const lazy = suite('ajv: loaded only for a schema that is not plain');

lazy('a server with a plain schema checks arguments, refuses a bad plain schema at registration, and never loads ajv', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }, async ({ text }) => String(text));
  assert.throws(() => server.tool({ name: 'bad', inputSchema: { type: 'object', properties: { n: { type: 'strin' } } } }, () => 'x'),
    (e: { code?: string; message: string }) => e.code === 'MCP_ERR_VALIDATION'
      && e.message === 'invalid JSON Schema: schema is invalid: data/properties/n/type must be equal to one of the allowed values, data/properties/n/type must be array, data/properties/n/type must match a schema in anyOf');
  assert.equal((await call(server, 'echo', { text: 'hi' })).content, [{ type: 'text', text: 'hi' }]);
  const refused = await call(server, 'echo', { text: 5 });
  assert.is(refused.isError, true);
  assert.equal(refused.content, [{ type: 'text', text: 'Invalid arguments for tool echo: /text: must be string' }]);
  assert.not.ok(ajvLoaded(), 'ajv was loaded');
});

lazy('zod\'s and pydantic\'s usual shapes (pattern, anyOf with null, oneOf, $ref into $defs, a tuple) are plain: no ajv either', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({
    name: 'book',
    inputSchema: {
      type: 'object',
      $defs: { Guest: { type: 'object', properties: { email: { type: 'string', format: 'email', pattern: '^\\S+@\\S+$' }, next: { $ref: '#/$defs/Guest' } }, required: ['email'] } },
      properties: {
        guest: { $ref: '#/$defs/Guest' },
        nights: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }], default: null },
        pay: { oneOf: [{ type: 'object', properties: { kind: { const: 'card' } }, required: ['kind'] }, { type: 'object', properties: { kind: { const: 'cash' } }, required: ['kind'] }], discriminator: { propertyName: 'kind' } },
        span: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], items: false },
      },
      required: ['guest'],
    },
  }, () => 'booked');
  await server.ready();
  assert.equal((await call(server, 'book', { guest: { email: 'a@example.com' }, pay: { kind: 'cash' }, span: ['mon', 'tue'] })).content, [{ type: 'text', text: 'booked' }]);
  const refused = await call(server, 'book', { guest: { email: 'nope', next: {} }, nights: 0, pay: { kind: 'cheque' }, span: ['mon', 'tue', 'wed'] });
  assert.is(refused.isError, true);
  assert.match((refused.content[0] as { text: string }).text, '/guest/email: must match pattern "^\\S+@\\S+$"');
  assert.not.ok(ajvLoaded(), 'ajv was loaded');
});

lazy('a bad schema that is not plain, registered before ajv loaded: connect() rejects with the refusal, the tool is taken out, onError hears it', async () => {
  const errors: Error[] = [];
  const server = createServer({ name: 's', version: '1' }, { onError: (e) => errors.push(e) });
  server.tool({ name: 'ok', inputSchema: { type: 'object' } }, () => 'ok');
  server.tool({ name: 'bad', inputSchema: { type: 'object', dependentRequired: 'one' } }, () => 'x'); // not plain: cannot be checked yet
  const [, serverSide] = createMemoryPair();
  const message = 'invalid JSON Schema: schema is invalid: data/dependentRequired must be object';
  await server.connect(serverSide).then(() => assert.unreachable('connect resolved'), (e: { code?: string; message: string }) => {
    assert.is(e.code, 'MCP_ERR_VALIDATION');
    assert.is(e.message, message);
  });
  assert.is(server.getTool('bad'), undefined, 'the refused tool is out');
  assert.equal(errors.map((e) => e.message), [message]);
  assert.ok(ajvLoaded(), 'ajv loaded for it');
  await server.ready(); // nothing left to check
  assert.equal((await call(server, 'ok', {})).content, [{ type: 'text', text: 'ok' }]);
});

lazy('a good schema that is not plain checks arguments with ajv; once ajv is loaded a bad one is refused at registration again', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'pick', inputSchema: { type: 'object', properties: { n: { type: ['integer', 'null'] } }, unevaluatedProperties: false } }, () => 'picked');
  await server.ready();
  assert.is((await call(server, 'pick', { n: 'x' })).isError, true);
  assert.equal((await call(server, 'pick', { n: null })).content, [{ type: 'text', text: 'picked' }]);
  assert.is((await call(server, 'pick', { n: null, m: 1 })).isError, true);
  assert.throws(() => server.tool({ name: 'bad', inputSchema: { type: 'object', dependentRequired: 'one' } }, () => 'x'),
    (e: { code?: string }) => e.code === 'MCP_ERR_VALIDATION');
});

lazy.run();
