// A tool whose output schema is not an object schema, from one definition in both eras.
// 2026-07-28 server/tools "Structured Content": any JSON value that conforms to the
// outputSchema (changelog item 10, SEP-2106). 2025-11-25 and older: `outputSchema` has
// `type: "object"` and `structuredContent` is an object (schema.json), so a 2025 client is told
// of the tool without the schema and gets a value that is not an object as its JSON text only
// (2025-11-25 server/tools: structured content is also returned as serialized JSON text).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { createServer as createSourceServer } from '../server/server.ts';
import { Exchange, request } from './modern-kit.ts';
import { rawSession, type Msg } from './raw-legacy-session.ts';
import { connectClient } from './memory-client.ts';

const usersSchema = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } as const;
const users = [{ id: '1' }, { id: '2' }];
const objectSchema = { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } as const;

/** The same tools, registered once: `make` is the source or the built createServer. */
function register(server: { tool: (...a: any[]) => unknown }): void {
  server.tool({ name: 'users', description: 'd', outputSchema: usersSchema, execution: { taskSupport: 'optional' } }, () => ({ structuredContent: users }));
  server.tool({ name: 'bad_users', description: 'd', outputSchema: usersSchema }, () => ({ structuredContent: [{ name: 'no id' }] }));
  server.tool({ name: 'summed', description: 'd', outputSchema: usersSchema }, () => ({ content: [{ type: 'text', text: 'two users' }], structuredContent: users }));
  server.tool({ name: 'word', description: 'd' }, () => ({ content: [], structuredContent: 'hello' }) as never);
  server.tool({ name: 'maybe', description: 'd', outputSchema: { anyOf: [objectSchema, { type: 'null' }] } }, () => ({ structuredContent: { x: 1 } }));
  server.tool({ name: 'rich', description: 'd', outputSchema: objectSchema }, () => ({ structuredContent: { x: 1 } }));
}

const modern = suite('2026-07-28: a non-object outputSchema is listed and its values sent (schema-checked)');

modern('the array schema is listed as registered; an array, a string and an object go out as structuredContent', async () => {
  const server = createSourceServer({ name: 's', version: '1' });
  register(server as never);
  const x = new Exchange(server);
  const listed = new Map(((await x.result(request('tools/list'))).tools as Msg[]).map((t) => [t.name, t]));
  assert.equal(listed.get('users')!.outputSchema, usersSchema);
  assert.equal(listed.get('maybe')!.outputSchema, { anyOf: [objectSchema, { type: 'null' }] });
  const got = await x.result(request('tools/call', { name: 'users', arguments: {} }));
  assert.equal(got.structuredContent, users);
  assert.equal(got.content, [{ type: 'text', text: JSON.stringify(users) }], 'also as text (SHOULD)');
  assert.is((await x.result(request('tools/call', { name: 'word', arguments: {} }))).structuredContent, 'hello');
  assert.equal((await x.result(request('tools/call', { name: 'maybe', arguments: {} }))).structuredContent, { x: 1 });
});

modern('a value the array schema refuses is the tool\'s error (MUST conform)', async () => {
  const server = createSourceServer({ name: 's', version: '1' });
  register(server as never);
  const bad = await new Exchange(server).result(request('tools/call', { name: 'bad_users', arguments: {} }));
  assert.is(bad.isError, true);
  assert.is(bad.structuredContent, undefined);
  assert.match(bad.content[0].text, /does not match its outputSchema/);
});

const legacy = suite('2025: the same tools to a 2025-11-25 and a 2025-06-18 client (schema-checked by the tap)');

for (const version of ['2025-11-25', '2025-06-18']) {
  legacy(`${version}: listed without a schema it cannot carry; non-object values only as JSON text`, async () => {
    const server = createServer({ name: 's', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
    register(server as never);
    const s = await rawSession(server, version);
    try {
      const listed = new Map(((await s.call('tools/list')).result.tools as Msg[]).map((t) => [t.name, t]));
      assert.ok(!('outputSchema' in listed.get('users')!), 'no array outputSchema for a 2025 client');
      assert.ok(!('outputSchema' in listed.get('maybe')!), 'no anyOf-rooted outputSchema for a 2025 client');
      assert.equal(listed.get('rich')!.outputSchema, objectSchema, 'an object schema is listed as before');
      const got = (await s.call('tools/call', { name: 'users', arguments: {} })).result;
      assert.ok(!('structuredContent' in got));
      assert.equal(got.content, [{ type: 'text', text: JSON.stringify(users) }]);
      const summed = (await s.call('tools/call', { name: 'summed', arguments: {} })).result;
      assert.equal(summed.content, [{ type: 'text', text: 'two users' }, { type: 'text', text: JSON.stringify(users) }], 'the JSON is added beside the tool\'s own text');
      const word = (await s.call('tools/call', { name: 'word', arguments: {} })).result;
      assert.equal(word, { content: [{ type: 'text', text: '"hello"' }] });
      assert.equal((await s.call('tools/call', { name: 'maybe', arguments: {} })).result.structuredContent, { x: 1 }, 'an object value is kept');
      assert.is((await s.call('tools/call', { name: 'bad_users', arguments: {} })).result.isError, true);
      s.tap.assertClean();
    } finally { await s.close(); await server.close(); }
  });
}

legacy('2025-11-25: a task\'s result is fitted as the call\'s would be', async () => {
  const server = createServer({ name: 's', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
  register(server as never);
  const s = await rawSession(server, '2025-11-25');
  try {
    const created = (await s.call('tools/call', { name: 'users', arguments: {}, task: { ttl: 60_000 } })).result;
    const taskId = created.task.taskId as string;
    const result = (await s.call('tasks/result', { taskId })).result;
    assert.ok(!('structuredContent' in result), JSON.stringify(result));
    assert.equal(result.content, [{ type: 'text', text: JSON.stringify(users) }]);
    s.tap.assertClean();
  } finally { await s.close(); await server.close(); }
});

legacy('our client at 2025-11-25 gets the text and no structured value', async () => {
  const server = createServer({ name: 's', version: '1' });
  register(server as never);
  const c = await connectClient(server, { version: '2025-11-25' });
  try {
    const listed = await c.client.listTools();
    assert.is(listed.find((t) => t.name === 'users')!.outputSchema, undefined);
    const got = await c.client.callTool('users', {});
    assert.is(got.structuredContent, undefined);
    assert.equal(JSON.parse((got.content[0] as { text: string }).text), users);
  } finally { await c.close(); await server.close(); }
});

modern.run();
legacy.run();
