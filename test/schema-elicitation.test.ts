// ctx.elicit with a Standard Schema form: the client receives its JSON Schema, the accepted
// content is validated by the library and handed back as the library parsed it; content
// that breaks the schema rejects with MCP_ERR_VALIDATION.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import { type } from 'arktype';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient, type ClientOptions } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

async function connect(server: McpServer, options: ClientOptions) {
  const [clientSide, serverSide] = createMemoryPair();
  await server.connect(serverSide);
  const client = createClient({ name: 'elicit-test', version: '1' }, options);
  await client.connect(clientSide);
  return client;
}

const text = (r: { content: Array<{ type: string; text?: string }> }) => r.content.map((c) => c.text ?? '').join('');

const forms = suite('ctx.elicit with a Standard Schema form');

forms('zod: the client sees the JSON Schema; the tool gets the parsed content', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'seats' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'How many seats?', requestedSchema: z.object({ seats: z.coerce.number().int().min(1), note: z.string().default('none') }) });
    return answer.content ? `${answer.content.seats + 1} ${answer.content.note}` : answer.action;
  });
  const seen: unknown[] = [];
  const client = await connect(server, { onElicit: async (params) => { seen.push((params as { requestedSchema: unknown }).requestedSchema); return { action: 'accept', content: { seats: 2 } }; } });
  try {
    const result = await client.callTool('seats', {});
    assert.is(text(result), '3 none');
    const schema = seen[0] as { type: string; properties: Record<string, { type: string }> };
    assert.is(schema.type, 'object');
    assert.is(schema.properties.note?.type, 'string');
  } finally { await client.close(); }
});

forms('arktype: content that breaks the form rejects with MCP_ERR_VALIDATION (a tool error)', async () => {
  const server = createServer({ name: 's', version: '1' });
  let failure: { code?: string; message: string } | undefined;
  server.tool({ name: 'pick' }, async (_args, ctx) => {
    try {
      await ctx.elicit({ message: 'Pick', requestedSchema: type({ color: 'string', count: 'number' }) });
      return 'accepted';
    } catch (error) {
      failure = error as { code?: string; message: string };
      throw error;
    }
  });
  const client = await connect(server, { elicitation: { validateContent: false }, onElicit: async () => ({ action: 'accept', content: { color: 'green', count: 'many' } }) });
  try {
    const result = await client.callTool('pick', {});
    assert.is(result.isError, true);
    assert.is(failure?.code, 'MCP_ERR_VALIDATION');
    assert.match(failure!.message, /elicitation answer does not match the requested schema: \/count: /);
  } finally { await client.close(); }
});

forms('a declined form returns its action and no content, unvalidated', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'ask' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Name?', requestedSchema: z.object({ name: z.string() }) });
    return `${answer.action} ${answer.content === undefined}`;
  });
  const client = await connect(server, { onElicit: async () => ({ action: 'decline' }) });
  try {
    assert.is(text(await client.callTool('ask', {})), 'decline true');
  } finally { await client.close(); }
});

forms('a form that is not flat and primitive is refused before the client is asked (zod and JSON Schema)', async () => {
  // 2025-11-25 client/elicitation: "flat objects with primitive properties only".
  const server = createServer({ name: 's', version: '1' });
  const failures: Array<{ code?: string; message: string }> = [];
  server.tool({ name: 'nested' }, async (_args, ctx) => {
    for (const requestedSchema of [
      z.object({ address: z.object({ city: z.string() }) }),
      { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
    ] as const) {
      await ctx.elicit({ message: 'Where?', requestedSchema: requestedSchema as never }).catch((e: { code?: string; message: string }) => failures.push(e));
    }
    return 'done';
  });
  const [clientSide, serverSide] = createMemoryPair();
  let asked = 0;
  const start = clientSide.start.bind(clientSide);
  clientSide.start = (handlers) => start({
    onMessage: (m, extra) => {
      if ((m as { method?: string }).method === 'elicitation/create') asked++;
      handlers.onMessage(m, extra);
    },
    onClose: (error) => handlers.onClose(error),
    onError: (error) => handlers.onError(error),
    onRequestFailed: (id, error) => handlers.onRequestFailed?.(id, error),
  });
  await server.connect(serverSide);
  const client = createClient({ name: 'elicit-test', version: '1' }, { onElicit: async () => ({ action: 'cancel' }) });
  await client.connect(clientSide);
  try {
    assert.is(text(await client.callTool('nested', {})), 'done');
    assert.is(asked, 0, 'no elicitation/create was sent');
    assert.equal(failures.map((f) => f.code), ['MCP_ERR_VALIDATION', 'MCP_ERR_VALIDATION']);
    assert.match(failures[0]!.message, /property "address" has type "object"/);
    assert.match(failures[1]!.message, /property "tags": an array must be a multi-select enum/);
  } finally { await client.close(); }
});

forms('a multi-select (an enum array) is asked from 2025-11-25 on; a 2025-06-18 session refuses it before the client is asked', async () => {
  // 2025-06-18 schema: PrimitiveSchemaDefinition is string, number, boolean or a string enum;
  // enum arrays arrived in 2025-11-25 (changelog, SEP-1330).
  const multi = { type: 'object', properties: { tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } } } as const;
  const plain = { type: 'object', properties: { tag: { type: 'string', enum: ['a', 'b'] } } } as const;
  for (const protocolVersion of ['2025-06-18', '2025-11-25']) {
    const server = createServer({ name: 's', version: '1' });
    const outcomes: string[] = [];
    server.tool({ name: 'pick' }, async (_args, ctx) => {
      for (const requestedSchema of [multi, plain]) {
        await ctx.elicit({ message: 'Pick', requestedSchema: requestedSchema as never })
          .then((r) => outcomes.push(r.action), (e: { code?: string; message: string }) => outcomes.push(`${e.code}: ${e.message}`));
      }
      return 'done';
    });
    const asked: unknown[] = [];
    const client = await connect(server, { protocolVersion, onElicit: async (params) => { asked.push((params as { requestedSchema: unknown }).requestedSchema); return { action: 'decline' }; } });
    try {
      assert.is(text(await client.callTool('pick', {})), 'done');
      if (protocolVersion === '2025-06-18') {
        assert.equal(asked, [plain], 'only the single choice was sent');
        assert.match(outcomes[0]!, /^MCP_ERR_VALIDATION: .*property "tags".*2025-11-25.*2025-06-18/);
        assert.is(outcomes[1], 'decline');
      } else {
        assert.equal(asked, [multi, plain]);
        assert.equal(outcomes, ['decline', 'decline']);
      }
    } finally { await client.close(); }
  }
});

forms.run();
