// 2026-07-28 forbids a server's requests and a client's responses: basic/transports/stdio
// ("The server MUST NOT write JSON-RPC requests to stdout"; "The client MUST NOT write
// JSON-RPC responses") and streamable-http ("The server MUST NOT send independent JSON-RPC
// requests on this stream"; "The client MUST NOT send JSON-RPC responses"). Before, a modern
// client handled such a request as in 2025-11-25: it ran `onElicit` and wrote its answer, and
// wrote -32601 for a method it did not know. Now each is reported through `onError` and
// nothing is written.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, createStdioClientTransport, type FetchLike } from '../client/index.ts';

const fixture = fileURLToPath(new URL('../transport/stdio/fixtures/modern-asks-server.mjs', import.meta.url));
const test = suite('2026-07-28 client: a server\'s request is reported, never handled or answered');

/** Messages as one SSE body. */
const sse = (messages: unknown[]) => messages.map((m) => `data: ${JSON.stringify(m)}\n\n`).join('');

const METHODS = ['elicitation/create', 'ping', 'roots/list', 'vendor/unknown'];

function client(errors: Error[], asked: string[]) {
  return createClient({ name: 't', version: '1' }, {
    era: 'modern',
    roots: [{ uri: 'file:///tmp/r' }],
    onElicit: async () => { asked.push('elicit'); return { action: 'decline' }; },
    onError: (e) => errors.push(e),
  });
}

function assertReported(errors: Error[]): void {
  assert.equal(errors.map((e) => /the peer's request "([^"]+)" \(id [^)]*\) was dropped, not answered: in 2026-07-28 a server sends no requests/.exec(e.message)?.[1]), METHODS,
    errors.map((e) => e.message).join(' | '));
  for (const e of errors) assert.is((e as Error & { code?: string }).code, 'MCP_ERR_PROTOCOL');
}

test('over stdio: the call still ends with its result, and the server reads no response', async () => {
  const errors: Error[] = [];
  const asked: string[] = [];
  const c = client(errors, asked);
  let stderr = '';
  let exited!: () => void;
  const bye = new Promise<void>((r) => { exited = r; });
  const transport = createStdioClientTransport({
    command: process.execPath, args: [fixture], closeGraceMs: 2_000,
    stderr: (chunk) => { stderr += chunk; if (stderr.includes('bye')) exited(); },
  });
  await c.connect(transport);
  assert.is(c.era, 'modern');
  const result = await c.callTool('ask', {});
  assert.equal(result.content, [{ type: 'text', text: 'done' }]);
  await c.close();
  await bye;
  // The requests came before the call's result on the one channel: all were read by now.
  assert.not.match(stderr, /answer /, stderr);
  assert.equal(asked, [], 'onElicit never ran');
  assertReported(errors);
});

test('over stdio, a client pinned to 2026-07-28: a ping before server/discover is answered is not answered either', async () => {
  const errors: Error[] = [];
  const c = client(errors, []);
  let stderr = '';
  let exited!: () => void;
  const bye = new Promise<void>((r) => { exited = r; });
  const transport = createStdioClientTransport({
    command: process.execPath, args: [fixture, 'early'], closeGraceMs: 2_000,
    stderr: (chunk) => { stderr += chunk; if (stderr.includes('bye')) exited(); },
  });
  await c.connect(transport);
  assert.is(c.era, 'modern');
  await c.close();
  await bye;
  assert.not.match(stderr, /answer /, stderr);
  assert.equal(errors.map((e) => /^the peer's request "([^"]+)" \(id [^)]*\) was dropped/.exec(e.message)?.[1]), ['ping']);
});

test('over Streamable HTTP: requests on a call\'s stream are not answered by a POST', async () => {
  const errors: Error[] = [];
  const asked: string[] = [];
  const posted: unknown[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const message = JSON.parse(String(init.body)) as { id?: string | number; method?: string; params?: { name?: string } };
    posted.push(message);
    if (message.method === 'server/discover') {
      return Response.json({ jsonrpc: '2.0', id: message.id, result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'asks', version: '1' } } } });
    }
    if (message.method === 'tools/call') {
      const id = message.id;
      const body = sse([
        ...METHODS.map((method, i) => ({ jsonrpc: '2.0', id: `q${i}`, method, ...(method === 'elicitation/create' ? { params: { mode: 'form', message: 'Which seat?', requestedSchema: { type: 'object', properties: {} } } } : {}) })),
        { jsonrpc: '2.0', id, result: { resultType: 'complete', content: [{ type: 'text', text: 'done' }] } },
      ]);
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return new Response(null, { status: 202 });
  };
  const c = client(errors, asked);
  await c.connect(createHttpClientTransport({ url: 'http://127.0.0.1:9/mcp', fetch }));
  const result = await c.callTool('ask', {});
  assert.equal(result.content, [{ type: 'text', text: 'done' }]);
  await c.close();
  assert.equal(posted.map((m) => (m as { method?: string }).method ?? 'a response'), ['server/discover', 'tools/call']);
  assert.equal(asked, []);
  assertReported(errors);
});

test('a server that floods requests costs a few reports: one by one up to maxUnansweredReports, then the 10th, 100th, 1000th', async () => {
  const FLOOD = 1000;
  const fetch: FetchLike = async (_url, init) => {
    const message = JSON.parse(String(init.body)) as { id?: string | number; method?: string };
    if (message.method === 'server/discover') {
      return Response.json({ jsonrpc: '2.0', id: message.id, result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'flood', version: '1' } } } });
    }
    const pings = Array.from({ length: FLOOD }, (_, i) => ({ jsonrpc: '2.0', id: `f${i}`, method: 'ping' }));
    return new Response(sse([...pings, { jsonrpc: '2.0', id: message.id, result: { resultType: 'complete', content: [{ type: 'text', text: 'done' }] } }]), { headers: { 'content-type': 'text/event-stream' } });
  };
  // Past the limit, only the counts that are powers of ten: with 2, the 10th as well.
  for (const [limits, reported] of [[undefined, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99, 999]], [{ maxUnansweredReports: 2 }, [0, 1, 9, 99, 999]]] as const) {
    const errors: Error[] = [];
    const c = createClient({ name: 't', version: '1' }, { era: 'modern', onError: (e) => errors.push(e), ...(limits ? { limits } : {}) });
    await c.connect(createHttpClientTransport({ url: 'http://127.0.0.1:9/mcp', fetch }));
    await c.callTool('flood', {});
    await c.close();
    assert.equal(errors.map((e) => Number(/^the peer's request "ping" \(id "f(\d+)"\) was dropped, not answered: in 2026-07-28 a server sends no requests/.exec(e.message)?.[1])), reported,
      errors.map((e) => e.message).join(' | '));
    const max = limits?.maxUnansweredReports ?? 10;
    errors.forEach((e, i) => {
      const count = reported[i]! + 1;
      if (count <= max) assert.ok(e.message.endsWith('(basic/transports)'), e.message);
      else assert.ok(e.message.endsWith(`(basic/transports) (${count} dropped so far; reports thin out past maxUnansweredReports = ${max})`), e.message);
    });
  }
});

test.run();
