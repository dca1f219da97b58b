// test-runner: tsx (a bundle would load ajv at its start: these tests check when ajv loads)
// A prompt's `argsSchema` and a resource template's `variables` schema that is not plain,
// registered before ajv has loaded, are checked once it has loaded, as a tool's schemas are
// (test/lazy-ajv.test.ts): a refusal takes the prompt or template out (clients hear
// list_changed), goes to onError, and server.ready() and connect() reject with it.
// test/run.js runs each file in a process of its own; the first test runs before anything in
// this process has loaded ajv.
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type McpClient } from 'mcpwire/client';
import { createServer, type McpServer } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';

/** ajv is CommonJS: once imported, its files are in the require cache. */
const ajvLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\/]node_modules[\\/]ajv[\\/]/.test(file));

/** `dependentRequired` is not in the plain subset (server/schema-plain-subset.ts): these wait for ajv. */
const BAD_ARGS = { type: 'object', properties: { topic: { type: 'string' } }, dependentRequired: 'one' } as const;
const BAD_VARIABLES = { type: 'object', dependentRequired: { id: 'name' } } as const;
const ARGS_REFUSAL = 'invalid JSON Schema: schema is invalid: data/dependentRequired must be object';
const VARIABLES_REFUSAL = 'invalid JSON Schema: schema is invalid: data/dependentRequired/id must be array';

async function connected(server: McpServer, onListChanged: (kind: string) => void): Promise<McpClient> {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'c', version: '1' }, { onListChanged });
  await client.connect(clientSide);
  return client;
}

const deferred = suite('prompts and templates: a schema that is not plain is checked once ajv has loaded');

deferred('refused: the prompt and the template are taken out, clients hear list_changed, onError hears both, ready() and connect() reject', async () => {
  const errors: string[] = [];
  const server = createServer({ name: 's', version: '1' }, { onError: (e) => errors.push(e.message) });
  server.prompt({ name: 'plain', argsSchema: { type: 'object', properties: { topic: { type: 'string' } } } }, ({ topic }) => `About ${String(topic)}.`);
  server.resourceTemplate({ name: 'files', uriTemplate: 'file:///{name}' }, (uri) => uri);
  // A client connected before the schemas below are registered (nothing is pending yet).
  const heard: string[] = [];
  let heardBoth: () => void = () => {};
  const bothHeard = new Promise<void>((resolve) => { heardBoth = resolve; });
  const client = await connected(server, (kind) => {
    heard.push(kind);
    if (heard.filter((k) => k === 'prompts').length >= 2 && heard.filter((k) => k === 'resources').length >= 2) heardBoth();
  });
  try {
    assert.not.ok(ajvLoaded(), 'ajv loaded before the test');
    server.prompt({ name: 'bad', argsSchema: BAD_ARGS }, () => 'never');
    server.resourceTemplate({ name: 'bad-vars', uriTemplate: 'note:///{id}', variables: BAD_VARIABLES }, (uri) => uri);
    // Registration cannot wait for ajv: ready(), and a connect() made now, wait for the checks.
    const [, laterSide] = createMemoryPair();
    const refusedWith = (e: { code?: string; message: string }) => {
      assert.is(e.code, 'MCP_ERR_VALIDATION');
      assert.ok([ARGS_REFUSAL, VARIABLES_REFUSAL].includes(e.message), e.message);
    };
    await Promise.all([
      server.ready().then(() => assert.unreachable('ready() resolved'), refusedWith),
      server.connect(laterSide).then(() => assert.unreachable('connect() resolved'), refusedWith),
    ]);
    assert.ok(ajvLoaded(), 'ajv loaded for them');
    assert.equal(errors.sort(), [ARGS_REFUSAL, VARIABLES_REFUSAL].sort());
    // Each registration, then each removal, was told (a timeout here fails the file's run).
    await bothHeard;
    assert.equal((await client.listPrompts()).map((p) => p.name), ['plain']);
    assert.equal((await client.listResourceTemplates()).map((t) => t.name), ['files']);
    await server.ready(); // nothing left to check
  } finally {
    await client.close();
  }
});

deferred('once ajv is loaded, a bad prompt or template schema that is not plain is refused at registration', () => {
  const server = createServer({ name: 's', version: '1' });
  assert.throws(() => server.prompt({ name: 'bad', argsSchema: BAD_ARGS }, () => 'never'), (e: { message: string }) => e.message === ARGS_REFUSAL);
  assert.throws(() => server.resourceTemplate({ name: 'bad-vars', uriTemplate: 'note:///{id}', variables: BAD_VARIABLES }, (uri) => uri),
    (e: { message: string }) => e.message === VARIABLES_REFUSAL);
});

deferred('a good schema that is not plain checks a prompt\'s arguments with ajv', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.prompt({ name: 'brief', argsSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'], unevaluatedProperties: false } }, ({ topic }) => `About ${String(topic)}.`);
  await server.ready();
  const client = await connected(server, () => {});
  try {
    const result = await client.getPrompt('brief', { topic: 'ajv' });
    assert.equal(result.messages[0]?.content, { type: 'text', text: 'About ajv.' });
    await client.getPrompt('brief', { topic: 'a', other: 'b' }).then(() => assert.unreachable('accepted'), (e: { code?: number; message: string }) => {
      assert.is(e.code, -32602);
      assert.match(e.message, 'must NOT have unevaluated properties');
    });
  } finally {
    await client.close();
  }
});

deferred.run();
