// End to end over the in-memory pair: our client against our server, every message through
// the spec-schema tap (see test/harness.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient, type ClientOptions } from 'mcpwire/client';
import { RpcError, McpError, type LoggingMessageParams } from 'mcpwire/protocol';
import { registerDemoTools } from '../examples/demo/tools.ts';
import { linkedPair, type Tapped } from './harness.ts';

async function setup(opts: { client?: ClientOptions; version?: string; pageSize?: number; server?: (s: McpServer) => void } = {}) {
  const server = createServer({ name: 'test-server', version: '1.0.0' }, { pageSize: opts.pageSize ?? 100 });
  registerDemoTools(server);
  opts.server?.(server);
  const { clientTransport, serverTransport, taps } = linkedPair();
  const client = createClient({ name: 'test-client', version: '1.0.0' }, { ...opts.client, ...(opts.version ? { protocolVersion: opts.version } : {}) });
  const connP = server.connect(serverTransport);
  await client.connect(clientTransport);
  const conn = await connP;
  return { server, client, conn, taps };
}

async function finish(ctx: { client: { close(): Promise<void> }; taps: Tapped }) {
  await ctx.client.close();
  ctx.taps.assertClean();
}

const life = suite('lifecycle: negotiation and gating');

for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
  life(`a client asking for ${version} gets ${version}`, async () => {
    const ctx = await setup({ version });
    assert.is(ctx.client.protocolVersion, version);
    assert.is(ctx.conn.protocolVersion, version);
    assert.equal(ctx.client.serverInfo?.name, 'test-server');
    assert.ok(ctx.client.serverCapabilities?.tools);
    await finish(ctx);
  });
}

life('an unknown version is answered with our latest, which the client accepts', async () => {
  const ctx = await setup({ version: '2099-01-01' });
  assert.is(ctx.client.protocolVersion, '2025-11-25');
  await ctx.client.close();
});

life('asking for a feature the server did not declare fails locally', async () => {
  const ctx = await setup();
  const err = await ctx.client.peer.request('resources/list', undefined).catch((e) => e);
  assert.instance(err, McpError);
  assert.is(err.code, 'MCP_ERR_CAPABILITY');
  await finish(ctx);
});

life('a tool may not elicit from a client without the capability', async () => {
  const ctx = await setup();
  const result = await ctx.client.callTool('ask_user', { question: 'ok?' });
  assert.is(result.isError, true);
  assert.match(JSON.stringify(result.content), /did not declare the elicitation capability/);
  await finish(ctx);
});

life('elicitation is refused in a 2025-03-26 session', async () => {
  const ctx = await setup({ version: '2025-03-26', client: { onElicit: () => ({ action: 'accept', content: { answer: 'x' } }) } });
  const result = await ctx.client.callTool('ask_user', { question: 'ok?' });
  assert.is(result.isError, true);
  assert.match(JSON.stringify(result.content), /not part of protocol 2025-03-26/);
  await finish(ctx);
});

const tools = suite('tools: list, call, validate');

tools('tools/list pages through every tool in registration order', async () => {
  const ctx = await setup({ pageSize: 2, server: (s) => { for (let i = 0; i < 3; i++) s.tool({ name: `extra_${i}` }, () => 'x'); } });
  const names = (await ctx.client.listTools()).map((t) => t.name);
  assert.equal(names, ['echo', 'count', 'ask_user', 'summarize', 'extra_0', 'extra_1', 'extra_2']);
  const requests = ctx.taps.messages.filter((m) => m.direction === 'client-to-server' && 'method' in m.message && m.message.method === 'tools/list');
  assert.is(requests.length, 4);
  await finish(ctx);
});

tools('schemas are listed exactly as registered', async () => {
  const inputSchema = { type: 'object' as const, $schema: 'https://json-schema.org/draft/2020-12/schema', properties: { a: { type: 'array', prefixItems: [{ type: 'string' }] } }, additionalProperties: false };
  const ctx = await setup({ server: (s) => s.tool({ name: 'exact', inputSchema }, () => 'ok') });
  const listed = (await ctx.client.listTools()).find((t) => t.name === 'exact');
  assert.equal(listed?.inputSchema, inputSchema);
  await finish(ctx);
});

tools('a call returns the tool result; invalid arguments come back as isError saying what is wrong', async () => {
  const ctx = await setup();
  assert.equal(await ctx.client.callTool('echo', { text: 'hi' }), { content: [{ type: 'text', text: 'hi' }] });
  const bad = await ctx.client.callTool('echo', { text: 42 });
  assert.is(bad.isError, true);
  assert.match(JSON.stringify(bad.content), /\/text: must be string/);
  const missing = await ctx.client.callTool('echo', {});
  assert.match(JSON.stringify(missing.content), /required property 'text'/);
  await finish(ctx);
});

tools('an unknown tool is a -32602 protocol error', async () => {
  const ctx = await setup();
  const err = await ctx.client.callTool('nope', {}).catch((e) => e);
  assert.instance(err, RpcError);
  assert.is(err.code, -32602);
  await finish(ctx);
});

tools('a thrown error becomes an isError result', async () => {
  const ctx = await setup({ server: (s) => s.tool({ name: 'boom' }, () => { throw new Error('kaput'); }) });
  const result = await ctx.client.callTool('boom', {});
  assert.equal(result, { content: [{ type: 'text', text: 'kaput' }], isError: true });
  await finish(ctx);
});

tools('structured output is validated against outputSchema and mirrored as text', async () => {
  const outputSchema = { type: 'object' as const, properties: { n: { type: 'integer' } }, required: ['n'] };
  const ctx = await setup({ server: (s) => {
    s.tool({ name: 'good', outputSchema }, () => ({ content: [], structuredContent: { n: 3 } }));
    s.tool({ name: 'bad', outputSchema }, () => ({ content: [], structuredContent: { n: 'three' } }));
  } });
  const good = await ctx.client.callTool('good', {});
  assert.equal(good.structuredContent, { n: 3 });
  assert.equal(good.content, [{ type: 'text', text: '{"n":3}' }]);
  const bad = await ctx.client.callTool('bad', {});
  assert.is(bad.isError, true);
  assert.match(JSON.stringify(bad.content), /does not match its outputSchema/);
  await finish(ctx);
});

tools('adding a tool after initialize tells the client tools/list_changed', async () => {
  const seen: string[] = [];
  const ctx = await setup({ client: { onNotification: (m) => seen.push(m) } });
  let resolve!: () => void;
  const heard = new Promise<void>((r) => { resolve = r; });
  const check = setInterval(() => { if (seen.includes('notifications/tools/list_changed')) resolve(); }, 1);
  ctx.server.tool({ name: 'late' }, () => 'late');
  await heard;
  clearInterval(check);
  assert.ok((await ctx.client.listTools()).some((t) => t.name === 'late'));
  await finish(ctx);
});

const interact = suite('tools: progress, elicitation, sampling, logging, cancellation');

interact('every progress notification arrives, in order', async () => {
  const ctx = await setup();
  const seen: number[] = [];
  const result = await ctx.client.callTool('count', { steps: 50 }, { onProgress: (p) => seen.push(p.progress) });
  assert.equal(seen, Array.from({ length: 50 }, (_, i) => i + 1));
  assert.match(JSON.stringify(result.content), /counted to 50/);
  await finish(ctx);
});

interact('no progress is sent when the client did not ask for it', async () => {
  const ctx = await setup();
  await ctx.client.callTool('count', { steps: 5 });
  assert.not.ok(ctx.taps.messages.some((m) => 'method' in m.message && m.message.method === 'notifications/progress'));
  await finish(ctx);
});

interact('the elicitation answer reaches the tool; decline is reported', async () => {
  let answer: 'accept' | 'decline' = 'accept';
  const ctx = await setup({ client: { onElicit: (params) => {
    assert.is(params.message, 'Your name?');
    return answer === 'accept' ? { action: 'accept', content: { answer: 'Ada' } } : { action: 'decline' };
  } } });
  assert.match(JSON.stringify((await ctx.client.callTool('ask_user', { question: 'Your name?' })).content), /answered: Ada/);
  answer = 'decline';
  assert.match(JSON.stringify((await ctx.client.callTool('ask_user', { question: 'Your name?' })).content), /chose to decline/);
  await finish(ctx);
});

interact('an elicitation answer that breaks the requested schema fails the tool', async () => {
  // The client's own check is off, so the server's validation is what is tested.
  const ctx = await setup({ client: { onElicit: () => ({ action: 'accept', content: { wrong: 'x' } }), elicitation: { validateContent: false } } });
  const result = await ctx.client.callTool('ask_user', { question: 'Q' });
  assert.is(result.isError, true);
  assert.match(JSON.stringify(result.content), /does not match the requested schema/);
  await ctx.client.close();
});

interact('sampling goes to the client model and back', async () => {
  const ctx = await setup({ client: { onSample: (params) => {
    assert.is(params.maxTokens, 200);
    return { role: 'assistant', content: { type: 'text', text: 'short' }, model: 'fake-1', stopReason: 'endTurn' };
  } } });
  const result = await ctx.client.callTool('summarize', { text: 'a long text' });
  assert.equal(result.content, [{ type: 'text', text: 'fake-1: short' }]);
  await finish(ctx);
});

interact('logging/setLevel filters what reaches the client', async () => {
  const logs: LoggingMessageParams[] = [];
  const ctx = await setup({
    client: { onLog: (p) => logs.push(p) },
    server: (s) => s.tool({ name: 'chatty' }, async (_a, c) => {
      for (const level of ['debug', 'info', 'warning', 'error'] as const) await c.log(level, `at ${level}`, 'chatty');
      return 'ok';
    }),
  });
  await ctx.client.callTool('chatty', {});
  assert.equal(logs.map((l) => l.level), ['debug', 'info', 'warning', 'error']);
  logs.length = 0;
  await ctx.client.setLoggingLevel('warning');
  await ctx.client.callTool('chatty', {});
  assert.equal(logs.map((l) => l.level), ['warning', 'error']);
  assert.is(logs[0]?.logger, 'chatty');
  await finish(ctx);
});

interact('an unknown logging level gets -32602 (and the schema tap flags the request)', async () => {
  const ctx = await setup();
  const err = await ctx.client.peer.request('logging/setLevel', { level: 'loud' as never }).catch((e) => e);
  assert.is(err.code, -32602);
  const violations = (ctx.taps as unknown as { violations: Array<{ definition: string }> }).violations;
  assert.equal(violations.map((v) => v.definition), ['SetLevelRequest']);
  await ctx.client.close();
});

interact('aborting a call cancels the tool and the client gets MCP_ERR_ABORTED', async () => {
  let toolSignal!: AbortSignal;
  let started!: () => void;
  const running = new Promise<void>((r) => { started = r; });
  const ctx = await setup({ server: (s) => s.tool({ name: 'forever' }, (_a, c) => new Promise((_r, reject) => {
    toolSignal = c.signal;
    started();
    c.signal.addEventListener('abort', () => reject(c.signal.reason));
  })) });
  const controller = new AbortController();
  const call = ctx.client.callTool('forever', {}, { signal: controller.signal }).catch((e) => e);
  await running;
  controller.abort();
  const err = await call;
  assert.is(err.code, 'MCP_ERR_ABORTED');
  await new Promise((r) => setImmediate(r));
  assert.ok(toolSignal.aborted);
  await finish(ctx);
});

life.run();
tools.run();
interact.run();
