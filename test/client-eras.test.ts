// One client API, both eras: the same calls (tools with progress and logs, elicitation,
// sampling, roots, prompts, resources) give the same results against our server when it
// serves 2025-11-25 only, 2026-07-28 only, or both; `era: 'auto'` finds which.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike, type McpClient } from 'mcpwire/client';
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import { createHttpServerHandler } from '../transport/http/server.ts';
import type { Transport } from 'mcpwire/protocol';

const URL_BASE = 'http://127.0.0.1:3000/mcp';

function eraServer(): McpServer {
  const server = createServer({ name: 'eras', version: '1.0.0' });
  server.tool({ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    (args: { text?: string }) => `echo: ${args.text ?? ''}`);
  server.tool({ name: 'count', description: 'Counts with progress and a log.' }, async (_args, ctx) => {
    await ctx.log('info', 'counting');
    for (const step of [1, 2, 3]) await ctx.progress(step, 3);
    return 'counted';
  });
  server.tool({ name: 'book', description: 'Asks a name, a model and the roots.' }, async (_args, ctx) => {
    const form = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }, { key: 'name' });
    const model = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hotel?' } }], maxTokens: 5 }, { key: 'model' });
    const roots = await ctx.listRoots({ key: 'roots' });
    const text = model.content && !Array.isArray(model.content) && model.content.type === 'text' ? model.content.text : '?';
    return `${String(form.content?.name)} / ${text} / ${roots.map((r) => r.uri).join(',')}`;
  });
  server.resource({ uri: 'test://doc', name: 'doc', mimeType: 'text/plain' }, () => 'the doc');
  server.prompt({ name: 'greet', description: 'Greets.', arguments: [{ name: 'who', required: true }] }, (args) => `Hello ${args.who}!`);
  return server;
}

type Mode = 'legacy-only' | 'modern-only' | 'dual';

function fetchFor(mode: Mode): { fetch: FetchLike; close(): Promise<void>; posts: string[] } {
  const server = eraServer();
  const handler = mode === 'legacy-only'
    ? createHttpServerHandler({ allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0, connect: async (t: Transport) => { await server.connect(t); } })
    : createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0, ...(mode === 'modern-only' ? { eras: 'modern' as const } : {}) });
  const posts: string[] = [];
  const fetch: FetchLike = (url, init) => {
    if (init.method === 'POST' && typeof init.body === 'string') posts.push((JSON.parse(init.body) as { method?: string }).method ?? 'response');
    return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  };
  return { fetch, posts, close: () => handler.close() };
}

async function connect(fetch: FetchLike, logs: string[]): Promise<McpClient> {
  const client = createClient({ name: 'eras-client', version: '1.0.0' }, {
    era: 'auto', eraCache: false,
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    onSample: async () => ({ role: 'assistant', content: { type: 'text', text: 'Ritz' }, model: 'm' }),
    roots: [{ uri: 'file:///trips', name: 'trips' }],
    onLog: (params) => logs.push(String(params.data)),
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch, openStandaloneStream: false }));
  return client;
}

/** The same calls in any era. */
async function play(client: McpClient) {
  await client.setLoggingLevel('info');
  const progress: number[] = [];
  const tools = (await client.listTools()).map((t) => t.name).sort();
  const echo = await client.callTool('echo', { text: 'hi' });
  const count = await client.callTool('count', {}, { onProgress: (p) => progress.push(p.progress) });
  const book = await client.callTool('book', {});
  const doc = await client.readResource('test://doc');
  const prompt = await client.getPrompt('greet', { who: 'Grace' });
  const prompts = (await client.listPrompts()).map((p) => p.name);
  const resources = (await client.listResources()).map((r) => r.uri);
  return {
    tools, echo: echo.content, count: count.content, progress, book: book.content,
    doc: doc.contents.map((c) => ('text' in c ? c.text : '')), prompt: prompt.messages, prompts, resources,
  };
}

const eras = suite('one client API in both eras');

eras('legacy-only, modern-only and dual servers give the same results; auto picks the era', async () => {
  const results: Record<string, unknown> = {};
  const expectedEra: Record<Mode, string> = { 'legacy-only': 'legacy', 'modern-only': 'modern', dual: 'modern' };
  for (const mode of ['legacy-only', 'modern-only', 'dual'] as const) {
    const served = fetchFor(mode);
    const logs: string[] = [];
    const client = await connect(served.fetch, logs);
    assert.is(client.era, expectedEra[mode], `era against ${mode}`);
    assert.is(client.protocolVersion, expectedEra[mode] === 'modern' ? '2026-07-28' : '2025-11-25');
    assert.is(client.serverInfo?.name, 'eras');
    assert.is(served.posts[0], 'server/discover', 'the first request goes modern');
    if (mode === 'legacy-only') assert.is(served.posts[1], 'initialize', 'a legacy server gets initialize next');
    else assert.not.ok(served.posts.includes('initialize'), 'no initialize to a modern server');
    results[mode] = await play(client);
    assert.equal(logs, ['counting'], `the log reached onLog (${mode})`);
    await client.close();
    await served.close();
  }
  assert.equal((results['legacy-only'] as { book: unknown }).book, [{ type: 'text', text: 'Ada / Ritz / file:///trips' }]);
  assert.equal((results['legacy-only'] as { progress: unknown }).progress, [1, 2, 3]);
  assert.equal(results['modern-only'], results['legacy-only']);
  assert.equal(results.dual, results['legacy-only']);
});

eras('a pinned legacy era sends initialize first, and a pinned modern era never does', async () => {
  const served = fetchFor('dual');
  const legacy = createClient({ name: 'pinned', version: '1' }, { era: 'legacy' });
  await legacy.connect(createHttpClientTransport({ url: URL_BASE, fetch: served.fetch, openStandaloneStream: false }));
  assert.is(served.posts[0], 'initialize');
  assert.is(legacy.era, 'legacy');
  await legacy.close();
  served.posts.length = 0;
  const modern = createClient({ name: 'pinned', version: '1' }, { protocolVersion: '2026-07-28' });
  await modern.connect(createHttpClientTransport({ url: URL_BASE, fetch: served.fetch }));
  assert.is(modern.era, 'modern');
  assert.equal((await modern.callTool('echo', { text: 'x' })).content, [{ type: 'text', text: 'echo: x' }]);
  assert.equal(served.posts, ['server/discover', 'tools/call']);
  await modern.close();
  await served.close();
});

eras('legacy-first: initialize to a dual server stays legacy; a modern-only server refuses it with -32022 and the client goes modern', async () => {
  const expected: Array<[Mode, string, string[]]> = [
    ['dual', 'legacy', ['initialize', 'notifications/initialized']],
    ['modern-only', 'modern', ['initialize', 'server/discover']],
  ];
  for (const [mode, era, posts] of expected) {
    const served = fetchFor(mode);
    const client = createClient({ name: 'first', version: '1' }, { era: 'legacy-first', eraCache: false });
    await client.connect(createHttpClientTransport({ url: URL_BASE, fetch: served.fetch, openStandaloneStream: false }));
    assert.is(client.era, era, mode);
    assert.equal(served.posts.slice(0, 2), posts, mode);
    assert.equal((await client.callTool('echo', { text: mode })).content, [{ type: 'text', text: `echo: ${mode}` }]);
    await client.close();
    await served.close();
  }
});

eras.run();
