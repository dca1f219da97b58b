// What our server sends a client of each 2025 revision, checked against THAT revision's schema
// (the tap) and read as such a client reads it. Extra members of a later revision (titles,
// icons, outputSchema, execution, annotations) are allowed by every schema and pass through;
// what an older client would reject or misread is fitted: content types it lacks become text,
// a capability it lacks is not declared, a titled single-select becomes enum + enumNames.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { rawSession, type Msg } from './raw-legacy-session.ts';
import { connectClient } from './memory-client.ts';

const VERSIONS = ['2025-03-26', '2025-06-18', '2025-11-25'] as const;
const icons = [{ src: 'https://example.com/i.png', mimeType: 'image/png', sizes: ['48x48'] }];
const titled = { type: 'string', title: 'Seat', oneOf: [{ const: 'w', title: 'Window' }, { const: 'a', title: 'Aisle' }], default: 'w' } as const;

/** A server with every kind of thing a list or a result can hold, and tasks on. */
function everything(): McpServer {
  const server = createServer({ name: 's', version: '1', title: 'S', icons, websiteUrl: 'https://example.com' } as never,
    { instructions: 'hi', tasks: { store: createMemoryTaskStore() } });
  server.tool({
    name: 'rich', title: 'Rich', description: 'd', icons,
    inputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
    outputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
    annotations: { title: 'Rich', readOnlyHint: true }, execution: { taskSupport: 'optional' },
  } as never, () => ({ structuredContent: { x: 1 }, content: [{ type: 'text', text: '{"x":1}' }] }) as never);
  server.tool({ name: 'blocks', description: 'd' }, () => ({ content: [
    { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
    { type: 'resource_link', uri: 'mem://l', name: 'l', title: 'L', icons, size: 3 },
    { type: 'resource', resource: { uri: 'mem://r', text: 'r' }, annotations: { lastModified: '2025-01-01T00:00:00Z', audience: ['user'] } },
  ] }) as never);
  server.tool({ name: 'ask', description: 'd' }, async (_a, ctx) => {
    const r = await ctx.elicit({ message: 'Seat?', requestedSchema: { type: 'object', properties: { seat: titled, note: { type: 'string', default: 'none' } } } } as never);
    return JSON.stringify(r.content);
  });
  server.tool({ name: 'samp', description: 'd' }, async (_a, ctx) => JSON.stringify(await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 })));
  server.tool({ name: 'logp', description: 'd' }, async (_a, ctx) => { await ctx.log('info', 'x'); await ctx.progress(1, 2, 'half'); return 'ok'; });
  server.resource({ uri: 'mem://r', name: 'r', title: 'R', icons, size: 1, mimeType: 'text/plain', annotations: { lastModified: '2025-01-01T00:00:00Z', priority: 1 } } as never, () => 'r');
  server.resourceTemplate({ uriTemplate: 'mem://t/{id}', name: 't', title: 'T', icons } as never, (_uri: string, v: Record<string, unknown>) => `t${String(v.id)}`);
  server.prompt({ name: 'p', title: 'P', icons, arguments: [{ name: 'a', title: 'A', required: false }], complete: { a: () => ['aa', 'ab'] } } as never,
    () => ({ messages: [
      { role: 'user', content: { type: 'resource_link', uri: 'mem://l', name: 'l' } },
      { role: 'assistant', content: { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' } },
    ] }) as never);
  return server;
}

const wire = suite('server: every list and result at each 2025 revision, against that revision\'s schema');

for (const version of VERSIONS) {
  wire(`${version}: lists, calls, reads, prompts, completion, logging, progress and asks are schema-valid`, async () => {
    const server = everything();
    const s = await rawSession(server, version);
    try {
      assert.is(s.init.protocolVersion, version);
      assert.is((await s.call('logging/setLevel', { level: 'debug' })).error, undefined);
      const tools = (await s.call('tools/list')).result.tools as Msg[];
      // Members a later revision added pass through: every schema allows extra members.
      assert.equal(tools[0], { name: 'rich', title: 'Rich', description: 'd', icons, inputSchema: { type: 'object', properties: { n: { type: 'integer' } } }, outputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] }, annotations: { title: 'Rich', readOnlyHint: true }, execution: { taskSupport: 'optional' } });
      assert.equal((await s.call('resources/list')).result.resources[0].icons, icons);
      assert.equal((await s.call('resources/templates/list')).result.resourceTemplates[0].title, 'T');
      assert.equal((await s.call('prompts/list')).result.prompts[0].arguments, [{ name: 'a', title: 'A', required: false }]);
      const rich = (await s.call('tools/call', { name: 'rich', arguments: {} })).result;
      assert.equal(rich.content, [{ type: 'text', text: '{"x":1}' }], 'structured content is also text (2025-06-18 server/tools SHOULD)');
      const blocks = (await s.call('tools/call', { name: 'blocks', arguments: {} })).result.content as Msg[];
      assert.is(blocks[1]!.type, version === '2025-03-26' ? 'text' : 'resource_link');
      const ask = (await s.call('tools/call', { name: 'ask', arguments: {} })).result;
      if (version === '2025-03-26') assert.match(ask.content[0].text, /elicitation\/create is not part of protocol 2025-03-26/);
      else assert.equal(JSON.parse(ask.content[0].text), { seat: 'a' });
      assert.is((await s.call('tools/call', { name: 'samp', arguments: {} })).result.isError, undefined);
      assert.is((await s.call('tools/call', { name: 'logp', arguments: {}, _meta: { progressToken: 7 } })).result.isError, undefined);
      assert.is((await s.call('resources/read', { uri: 'mem://t/3' })).result.contents[0].text, 't3');
      const prompt = (await s.call('prompts/get', { name: 'p' })).result.messages as Msg[];
      assert.is(prompt[0]!.content.type, version === '2025-03-26' ? 'text' : 'resource_link');
      assert.equal((await s.call('completion/complete', { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: 'a' } })).result.completion.values, ['aa', 'ab']);
      s.tap.assertClean();
    } finally { await s.close(); await server.close(); }
  });
}

wire('tasks are declared from 2025-11-25 on: an older client is not told of methods it would be refused', async () => {
  // 2025-11-25 basic/lifecycle (capability negotiation); ServerCapabilities has `tasks` only
  // from 2025-11-25, and tasks/* are -32601 before it.
  for (const version of VERSIONS) {
    const server = everything();
    const s = await rawSession(server, version);
    try {
      const declared = 'tasks' in (s.init.capabilities as Msg);
      assert.is(declared, version === '2025-11-25', `${version}: tasks declared`);
      const list = await s.call('tasks/list');
      assert.is(list.error?.code, declared ? undefined : -32601, `${version}: tasks/list`);
      assert.ok(s.init.capabilities.tools && s.init.capabilities.completions && s.init.capabilities.logging, `${version}: the others stay`);
    } finally { await s.close(); await server.close(); }
  }
});

const forms = suite('server: a titled single-select asked of a 2025-06-18 client');

forms('2025-06-18 gets enum + enumNames (its EnumSchema); 2025-11-25 gets the oneOf as written; both answers reach the tool', async () => {
  for (const version of ['2025-06-18', '2025-11-25']) {
    const server = everything();
    const seen: Msg[] = [];
    const c = await connectClient(server, { version, client: { onElicit: async (params) => { seen.push(params as Msg); return { action: 'accept', content: { seat: 'a' } }; } } });
    try {
      const result = await c.client.callTool('ask', {});
      assert.equal(JSON.parse((result.content[0] as { text: string }).text), { seat: 'a' });
      const seat = seen[0]!.requestedSchema.properties.seat as Msg;
      if (version === '2025-06-18') {
        assert.equal(seat, { type: 'string', title: 'Seat', default: 'w', enum: ['w', 'a'], enumNames: ['Window', 'Aisle'] });
      } else {
        assert.equal(seat, titled);
      }
    } finally { await c.close(); await server.close(); }
  }
});

forms('an answer outside the choices is still refused at 2025-06-18 (checked against the schema the tool gave)', async () => {
  const server = everything();
  const c = await connectClient(server, { version: '2025-06-18', client: { elicitation: { validateContent: false }, onElicit: async () => ({ action: 'accept', content: { seat: 'roof' } }) } });
  try {
    const result = await c.client.callTool('ask', {});
    assert.is(result.isError, true);
    assert.match((result.content[0] as { text: string }).text, /does not match the requested schema/);
  } finally { await c.close(); await server.close(); }
});

wire.run();
forms.run();
