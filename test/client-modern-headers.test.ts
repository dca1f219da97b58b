// The 2026-07-28 request headers of our HTTP client (basic/transports/streamable-http):
// standard headers on every POST, Mcp-Param-* from x-mcp-header marks with the base64 form
// for unsafe values, tools with invalid marks dropped, -32020 re-lists and retries once,
// -32022 retries once with a version both speak.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { rpcError, scripted, type Script } from './modern-script.ts';

const URL_BASE = 'http://127.0.0.1:3002/mcp';

const TOOLS = [
  {
    name: 'query', inputSchema: {
      type: 'object', properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        priority: { type: 'integer', 'x-mcp-header': 'Priority' },
        verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
        nested: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
        plain: { type: 'string' },
      },
    },
  },
  { name: 'bad_number', inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } } },
  { name: 'bad_dup', inputSchema: { type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'Same' }, b: { type: 'string', 'x-mcp-header': 'same' } } } },
  { name: 'bad_items', inputSchema: { type: 'object', properties: { l: { type: 'array', items: { type: 'string', 'x-mcp-header': 'L' } } } } },
  { name: 'bad_token', inputSchema: { type: 'object', properties: { v: { type: 'string', 'x-mcp-header': 'My Region' } } } },
  { name: 'bad_empty', inputSchema: { type: 'object', properties: { v: { type: 'string', 'x-mcp-header': '' } } } },
];

async function connect(script: Script) {
  const { fetch, seen } = scripted(script);
  const errors: Error[] = [];
  const client = createClient({ name: 'headers', version: '1' }, { era: 'modern', eraCache: false, onError: (e) => errors.push(e) });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch }));
  return { client, seen, errors };
}

const headers = suite('client: 2026-07-28 request headers');

headers('every POST carries MCP-Protocol-Version equal to _meta, Mcp-Method and Mcp-Name; no session id', async () => {
  const { client, seen } = await connect((s) => s.body.method === 'resources/read' ? { contents: [] } : undefined);
  await client.readResource('file:///ünïcode doc');
  for (const s of seen) {
    assert.is(s.headers['mcp-protocol-version'], s.body.params?._meta?.['io.modelcontextprotocol/protocolVersion']);
    assert.is(s.headers['mcp-method'], s.body.method);
    assert.not.ok('mcp-session-id' in s.headers);
  }
  const read = seen.find((s) => s.body.method === 'resources/read')!;
  assert.is(read.headers['mcp-name'], `=?base64?${Buffer.from('file:///ünïcode doc').toString('base64')}?=`);
  assert.equal(Object.keys(read.body.params!._meta).sort(), [
    'io.modelcontextprotocol/clientCapabilities', 'io.modelcontextprotocol/clientInfo', 'io.modelcontextprotocol/protocolVersion',
  ]);
  await client.close();
});

headers('Mcp-Param-* mirror the marked arguments, base64 when unsafe, none for null; invalid tools are dropped with a report', async () => {
  const { client, seen, errors } = await connect((s) => {
    if (s.body.method === 'tools/list') return { tools: TOOLS, ttlMs: 0, cacheScope: 'private' };
    if (s.body.method === 'tools/call') return { content: [] };
    return undefined;
  });
  const tools = await client.listTools();
  assert.equal(tools.map((t) => t.name), ['query']);
  assert.equal(errors.map((e) => (e as Error & { code?: string }).code), Array(5).fill('MCP_ERR_VALIDATION'));
  assert.match(errors.map((e) => e.message).join('\n'), /bad_number[\s\S]*bad_dup[\s\S]*bad_items[\s\S]*bad_token[\s\S]*bad_empty/);
  await client.callTool('query', { region: ' eu-west ', priority: 3, verbose: null, nested: { zone: 'Zürich' }, plain: 'x' });
  const call = seen.find((s) => s.body.method === 'tools/call')!;
  const params = Object.fromEntries(Object.entries(call.headers).filter(([k]) => k.startsWith('mcp-param-')));
  assert.equal(params, {
    'mcp-param-region': `=?base64?${Buffer.from(' eu-west ').toString('base64')}?=`,
    'mcp-param-priority': '3',
    'mcp-param-zone': `=?base64?${Buffer.from('Zürich').toString('base64')}?=`,
  });
  await client.close();
});

// streamable-http, value encoding: an integer travels as its "decimal string representation".
// String(n) writes 1e21 and beyond in exponent form ("1e+21"), which a server comparing strings
// (the Go SDK's) or reading decimals only refuses with -32020.
headers('an integer header is decimal digits, however large', async () => {
  const { client, seen } = await connect((s) => {
    if (s.body.method === 'tools/list') return { tools: TOOLS.slice(0, 1), ttlMs: 0, cacheScope: 'private' };
    if (s.body.method === 'tools/call') return { content: [] };
    return undefined;
  });
  await client.listTools();
  for (const priority of [1e21, -2.5e22, 123456789012, -7]) await client.callTool('query', { priority });
  const sent = seen.filter((s) => s.body.method === 'tools/call').map((s) => s.headers['mcp-param-priority']);
  assert.equal(sent, ['1000000000000000000000', '-25000000000000000000000', '123456789012', '-7']);
  await client.close();
});

headers('end to end: our server takes the large integer our client sends (it refused "1e+21" with -32020, twice)', async () => {
  const server = createServer({ name: 'big', version: '1' });
  server.tool({ name: 'count', inputSchema: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } } }, (a: { n: number }) => `n=${a.n}`);
  const handler = createMcpHttpHandler(server, { eras: 'modern', disableHostChecks: true });
  const listening = await listen(handler, { port: 0 });
  const client = createClient({ name: 'headers', version: '1' }, { era: 'modern', eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
    await client.listTools();
    const result = await client.callTool('count', { n: 1e21 });
    assert.equal(result.content, [{ type: 'text', text: 'n=1e+21' }]);
  } finally {
    await client.close();
    await listening.close();
  }
});

headers('an x-mcp-header key inside const, default, enum or examples is data, not a mark: the tool is kept, as the server keeps it', async () => {
  const DATA_TOOL = {
    name: 'data_keys', inputSchema: {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        options: { type: 'object', default: { 'x-mcp-header': 'not-a-mark' }, examples: [{ 'x-mcp-header': 'x' }] },
        pick: { enum: [{ 'x-mcp-header': 'y' }] },
        fixed: { const: { 'x-mcp-header': 'z' } },
      },
      examples: [{ region: 'eu', options: { 'x-mcp-header': 'w' } }],
    },
  };
  const { client, seen, errors } = await connect((s) => {
    if (s.body.method === 'tools/list') return { tools: [DATA_TOOL], ttlMs: 0, cacheScope: 'private' };
    if (s.body.method === 'tools/call') return { content: [] };
    return undefined;
  });
  assert.equal((await client.listTools()).map((t) => t.name), ['data_keys']);
  assert.equal(errors, []);
  await client.callTool('data_keys', { region: 'eu', options: { 'x-mcp-header': 'v' } });
  const call = seen.find((s) => s.body.method === 'tools/call')!;
  assert.equal(Object.keys(call.headers).filter((k) => k.startsWith('mcp-param-')), ['mcp-param-region']);
  await client.close();
});

headers('-32020 on tools/call re-lists the tools and retries once', async () => {
  let calls = 0;
  const { client, seen } = await connect((s) => {
    if (s.body.method === 'tools/list') return { tools: TOOLS.slice(0, 1), ttlMs: 60_000, cacheScope: 'private' };
    if (s.body.method !== 'tools/call') return undefined;
    calls++;
    if (!s.headers['mcp-param-region']) return rpcError(400, s.body.id, -32020, 'Header mismatch: Mcp-Param-Region is required');
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  const result = await client.callTool('query', { region: 'eu' });
  assert.equal(result.content, [{ type: 'text', text: 'ok' }]);
  assert.is(calls, 2);
  assert.equal(seen.map((s) => s.body.method), ['server/discover', 'tools/call', 'tools/list', 'tools/call']);
  await client.close();
});

headers('a second -32020 after the re-list is the caller\'s error: one retry, not a loop', async () => {
  let calls = 0;
  const { client, seen } = await connect((s) => {
    if (s.body.method === 'tools/list') return { tools: TOOLS.slice(0, 1), ttlMs: 0, cacheScope: 'private' };
    if (s.body.method !== 'tools/call') return undefined;
    calls++;
    return rpcError(400, s.body.id, -32020, 'Header mismatch: Mcp-Param-Region differs');
  });
  const error = await client.callTool('query', { region: 'eu' }).then(() => undefined, (e: Error & { code?: number }) => e);
  assert.is(error?.code, -32020);
  assert.is(calls, 2, 'the call and one retry');
  assert.equal(seen.map((s) => s.body.method), ['server/discover', 'tools/call', 'tools/list', 'tools/call']);
  await client.close();
});

headers('-32022 naming a version both speak is retried once with it; the same error twice is reported', async () => {
  let refused = 0;
  const { client, seen } = await connect((s) => {
    if (s.body.method === 'server/discover' && refused++ === 0) return rpcError(400, s.body.id, -32022, 'Unsupported protocol version', { supported: ['2026-07-28'], requested: 'x' });
    if (s.body.method === 'tools/list') return rpcError(400, s.body.id, -32022, 'Unsupported protocol version', { supported: ['2026-07-28'] });
    return undefined;
  });
  assert.is(client.era, 'modern');
  assert.equal(seen.map((s) => s.body.method), ['server/discover', 'server/discover']);
  assert.is.not(seen[0]!.body.id, seen[1]!.body.id);
  const error = await client.listTools().then(() => undefined, (e: Error & { code?: number }) => e);
  assert.is(error?.code, -32022);
  assert.is(seen.filter((s) => s.body.method === 'tools/list').length, 2, 'one retry, not a loop');
  await client.close();
});

headers.run();
