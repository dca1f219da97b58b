// A client callback's failure is one contract in both eras (README "When a callback fails"):
// `onElicit` / `onSample` / `onRoots` throwing, or answering what cannot be sent, rejects the
// call with a CallbackError (cause: what the callback threw) and reaches onError once; the
// 2025 server is still answered -32603 with the callback's own message, and a tool that catches
// it carries on. And a completed 2026-07-28 result has the 2025 shape: no resultType, no
// per-result serverInfo, the server's own _meta kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallbackError, createClient, createHttpClientTransport, type ClientOptions, type FetchLike } from 'mcpwire/client';
import { RpcError } from 'mcpwire/protocol';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';

const URL_BASE = 'http://127.0.0.1:3000/mcp';
const FORM = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] } };

function fixture() {
  const server = createServer({ name: 'callbacks', version: '1.0.0' });
  server.tool({ name: 'ask', description: 'Asks a name.', inputSchema: { type: 'object', properties: {} } }, async (_args, ctx) => {
    const answer = await ctx.elicit(FORM);
    return `got ${String(answer.content?.name)}`;
  });
  server.tool({ name: 'ask_or_not', description: 'Asks, and goes on without an answer.', inputSchema: { type: 'object', properties: {} } }, async (_args, ctx) => {
    try {
      await ctx.elicit(FORM);
      return 'answered';
    } catch (error) {
      return `went on without it (${(error as Error).name} ${(error as RpcError).code}: ${(error as Error).message})`;
    }
  });
  server.tool({ name: 'sample', description: 'Samples.', inputSchema: { type: 'object', properties: {} } }, async (_args, ctx) => {
    await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 });
    return 'sampled';
  });
  server.tool({ name: 'roots', description: 'Lists roots.', inputSchema: { type: 'object', properties: {} } }, async (_args, ctx) => {
    const roots = await ctx.listRoots();
    return `${roots.length} roots`;
  });
  server.tool({ name: 'marked', description: 'Answers with a _meta of its own.', inputSchema: { type: 'object', properties: {} } }, async () => ({
    content: [{ type: 'text', text: 'x' }], _meta: { 'com.example/trace': 't-1' },
  }));
  server.prompt({ name: 'greet', description: 'A greeting.' }, async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }] }));
  server.resource({ uri: 'note://one', name: 'one', mimeType: 'text/plain' }, async () => ({ contents: [{ uri: 'note://one', text: 'one' }] }));
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  return { handler, fetch };
}

async function connected(era: 'legacy' | 'modern', options: ClientOptions) {
  const f = fixture();
  const errors: Error[] = [];
  const client = createClient({ name: 'embedder', version: '1' }, { era, ...options, onError: (e) => errors.push(e) });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch: f.fetch, openStandaloneStream: false }));
  return { client, errors, close: async () => { await client.close(); await f.handler.close(); } };
}

const failing = suite('a failing callback rejects the call with CallbackError in both eras');

for (const era of ['legacy', 'modern'] as const) {
  failing(`${era}: onElicit throws`, async () => {
    const thrown = new Error('user closed the form');
    const c = await connected(era, { onElicit: async () => { throw thrown; } });
    try {
      const failed = await c.client.callTool('ask', {}).catch((e: unknown) => e);
      assert.instance(failed, CallbackError);
      const error = failed as CallbackError;
      assert.is(error.code, 'MCP_ERR_CALLBACK');
      assert.is(error.callback, 'onElicit');
      assert.is(error.method, 'elicitation/create');
      assert.is(error.cause, thrown, 'the callback\'s own error is the cause');
      assert.is(error.message, 'onElicit failed answering elicitation/create: user closed the form');
      if (era === 'legacy') {
        assert.instance(error.serverError, RpcError);
        assert.is(error.serverError?.code, -32603);
        assert.is(error.serverError?.message, 'user closed the form', 'the server was answered with the callback\'s message');
      } else assert.is(error.serverError, undefined);
      assert.is(c.errors.length, 1);
      assert.instance(c.errors[0], CallbackError);
    } finally {
      await c.close();
    }
  });

  failing(`${era}: an answer that breaks the form`, async () => {
    const c = await connected(era, { onElicit: async () => ({ action: 'accept', content: { name: 3 } }) });
    try {
      const failed = await c.client.callTool('ask', {}).catch((e: unknown) => e) as CallbackError;
      assert.instance(failed, CallbackError);
      assert.is(failed.code, 'MCP_ERR_VALIDATION');
      assert.match(failed.message, /does not match the requested schema: "name" must be a string/);
      assert.is(c.errors.length, 1);
      assert.is((c.errors[0] as CallbackError).code, 'MCP_ERR_VALIDATION');
    } finally {
      await c.close();
    }
  });

  failing(`${era}: onSample throws`, async () => {
    const c = await connected(era, { onSample: async () => { throw new Error('model down'); } });
    try {
      const failed = await c.client.callTool('sample', {}).catch((e: unknown) => e) as CallbackError;
      assert.instance(failed, CallbackError);
      assert.is(failed.code, 'MCP_ERR_CALLBACK');
      assert.is(failed.callback, 'onSample');
      assert.is((failed.cause as Error).message, 'model down');
    } finally {
      await c.close();
    }
  });
}

for (const era of ['legacy', 'modern'] as const) {
  failing(`${era}: onRoots throws, or answers roots that are not file:// URIs`, async () => {
    const c = await connected(era, { onRoots: async () => { throw new Error('no workspace'); } });
    try {
      const failed = await c.client.callTool('roots', {}).catch((e: unknown) => e) as CallbackError;
      assert.instance(failed, CallbackError);
      assert.equal([failed.code, failed.callback, failed.method], ['MCP_ERR_CALLBACK', 'onRoots', 'roots/list']);
    } finally {
      await c.close();
    }
    const bad = await connected(era, { onRoots: async () => [{ uri: 'https://example.com/' }] });
    try {
      const failed = await bad.client.callTool('roots', {}).catch((e: unknown) => e) as CallbackError;
      assert.instance(failed, CallbackError);
      assert.is(failed.code, 'MCP_ERR_VALIDATION');
      assert.match(failed.message, /is not a file:\/\/ URI/);
    } finally {
      await bad.close();
    }
  });
}

failing('legacy: a tool that catches the failure carries on, and the call resolves as the server said', async () => {
  const c = await connected('legacy', { onElicit: async () => { throw new Error('no form here'); } });
  try {
    const result = await c.client.callTool('ask_or_not', {});
    assert.equal(result.content, [{ type: 'text', text: 'went on without it (RpcError -32603: no form here)' }]);
    assert.is(c.errors.length, 1, 'the failure is still told to onError');
    // Nothing is left to claim: a later failing call is its own.
    const next = await c.client.callTool('nope', {}).catch((e: unknown) => e);
    assert.instance(next, RpcError);
  } finally {
    await c.close();
  }
});

failing('an RpcError the callback throws goes to a 2025 server as it is (a declined sampling\'s -1), and is the cause in both eras', async () => {
  const declined = new RpcError(-1, 'The user declined');
  const legacy = await connected('legacy', { onElicit: async () => { throw declined; } });
  try {
    assert.equal((await legacy.client.callTool('ask_or_not', {})).content, [{ type: 'text', text: 'went on without it (RpcError -1: The user declined)' }]);
    const failed = await legacy.client.callTool('ask', {}).catch((e: unknown) => e) as CallbackError;
    assert.instance(failed, CallbackError);
    assert.is(failed.cause, declined);
    assert.is(failed.serverError?.code, -1);
    assert.is(legacy.errors.length, 0, 'an answer the callback chose is not an error to report');
  } finally {
    await legacy.close();
  }
  const modern = await connected('modern', { onElicit: async () => { throw declined; } });
  try {
    const failed = await modern.client.callTool('ask', {}).catch((e: unknown) => e) as CallbackError;
    assert.instance(failed, CallbackError);
    assert.is(failed.cause, declined);
    assert.is(modern.errors.length, 0);
  } finally {
    await modern.close();
  }
});

failing.run();

const shape = suite('a completed 2026-07-28 result has the 2025 shape');

shape('callTool, getPrompt and readResource: no resultType, no serverInfo, the server\'s own _meta kept', async () => {
  for (const era of ['legacy', 'modern'] as const) {
    const c = await connected(era, {});
    try {
      assert.equal(await c.client.callTool('marked', {}), { content: [{ type: 'text', text: 'x' }], _meta: { 'com.example/trace': 't-1' } }, era);
      assert.equal(await c.client.getPrompt('greet'), { description: 'A greeting.', messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }] }, era);
      // A read keeps the 2026-07-28 caching hints (server/utilities/caching): the caller may use them.
      const { ttlMs, cacheScope, ...read } = await c.client.readResource('note://one'); // typed: ReadResourceResult carries them
      assert.equal(read, { contents: [{ uri: 'note://one', text: 'one' }] }, era);
      assert.equal([ttlMs, cacheScope], era === 'modern' ? [0, 'private'] : [undefined, undefined]);
    } finally {
      await c.close();
    }
  }
});

shape.run();
