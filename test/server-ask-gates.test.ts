// What the server refuses to ask a 2025-era client for (server/connection.ts checkOutbound):
// sampling with tools or with context inclusion the client did not declare, an elicitation
// mode the client did not declare, URL elicitation before 2025-11-25; and a tool name outside
// the spec's character set. Each refusal is a local MCP_ERR_CAPABILITY (or VALIDATION) and
// nothing goes on the wire. Raw JSON-RPC on the client side, so the declared capabilities are
// exactly the test's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ConnectOptions, type ToolContext } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';

type Ask = (ctx: ToolContext) => Promise<unknown>;

/** Initialize with `capabilities` at `version`, call a tool that runs `ask`; what it got and what was asked. */
async function run(version: string, capabilities: Record<string, unknown>, ask: Ask): Promise<{ outcome: string; asked: string[] }> {
  const server = createServer({ name: 'gates', version: '1' });
  server.tool({ name: 'ask', description: 'Asks the client.' }, async (_args, ctx) => {
    try {
      await ask(ctx);
      return 'answered';
    } catch (error) {
      return `refused ${(error as { code?: string }).code}: ${(error as Error).message}`;
    }
  });
  const [c, s] = createMemoryPair();
  const asked: string[] = [];
  let done!: (text: string) => void;
  const result = new Promise<string>((resolve) => { done = resolve; });
  await c.start({
    onMessage: (m) => {
      const msg = m as { id?: number | string; method?: string; result?: { content?: Array<{ text: string }> } };
      if (msg.method && msg.id !== undefined) {
        asked.push(msg.method);
        const answer = msg.method === 'sampling/createMessage' ? { role: 'assistant', content: { type: 'text', text: 'a' }, model: 'm' } : { action: 'cancel' };
        void c.send({ jsonrpc: '2.0', id: msg.id, result: answer });
      } else if (msg.id === 2) done(msg.result?.content?.[0]?.text ?? JSON.stringify(msg));
    },
    onClose() {},
    onError() {},
  });
  void server.connect(s);
  await c.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities, clientInfo: { name: 'raw', version: '1' } } });
  await c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await c.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
  const outcome = await result;
  await c.close();
  return { outcome, asked };
}

const question = { messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'q' } }], maxTokens: 5 };
const weather = { name: 'weather', inputSchema: { type: 'object' as const } };
const form = { message: 'Name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
const url = { mode: 'url' as const, message: 'Sign in', url: 'https://example.com/in' };

const gates = suite('server: asking only for what the client declared (2025-11-25 client/sampling, client/elicitation)');

gates('sampling with tools needs sampling.tools', async () => {
  const refused = await run('2025-11-25', { sampling: {} }, (ctx) => ctx.sample({ ...question, tools: [weather] }));
  assert.match(refused.outcome, /^refused MCP_ERR_CAPABILITY: .*sampling\.tools/);
  assert.equal(refused.asked, []);
  const sent = await run('2025-11-25', { sampling: { tools: {} } }, (ctx) => ctx.sample({ ...question, tools: [weather] }));
  assert.equal([sent.outcome, sent.asked], ['answered', ['sampling/createMessage']]);
});

gates('includeContext thisServer or allServers needs sampling.context; none does not', async () => {
  for (const includeContext of ['thisServer', 'allServers'] as const) {
    const refused = await run('2025-11-25', { sampling: {} }, (ctx) => ctx.sample({ ...question, includeContext }));
    assert.match(refused.outcome, /^refused MCP_ERR_CAPABILITY: .*sampling\.context/, includeContext);
    assert.equal(refused.asked, []);
  }
  const none = await run('2025-11-25', { sampling: {} }, (ctx) => ctx.sample({ ...question, includeContext: 'none' }));
  assert.is(none.outcome, 'answered');
});

gates('an elicitation mode the client did not declare is never sent ({} means form only)', async () => {
  for (const [caps, ask, mode] of [
    [{ elicitation: {} }, url, 'url'],
    [{ elicitation: { form: {} } }, url, 'url'],
    [{ elicitation: { url: {} } }, form, 'form'],
  ] as const) {
    const refused = await run('2025-11-25', caps, (ctx) => ctx.elicit(ask as never));
    assert.match(refused.outcome, new RegExp(`^refused MCP_ERR_CAPABILITY: .*mode "${mode}"`), JSON.stringify(caps));
    assert.equal(refused.asked, []);
  }
  const both = await run('2025-11-25', { elicitation: { form: {}, url: {} } }, async (ctx) => { await ctx.elicit(form); await ctx.elicit(url); });
  assert.equal([both.outcome, both.asked], ['answered', ['elicitation/create', 'elicitation/create']]);
});

gates('URL elicitation is refused on a session older than 2025-11-25', async () => {
  const refused = await run('2025-06-18', { elicitation: { url: {} } }, (ctx) => ctx.elicit(url));
  assert.match(refused.outcome, /^refused MCP_ERR_CAPABILITY: .*2025-11-25/);
  assert.equal(refused.asked, []);
});

gates('a tool name outside 1-128 characters of A-Z a-z 0-9 _ - . is refused at registration', () => {
  // 2025-11-25 server/tools: tool names SHOULD be 1 to 128 of those characters.
  const server = createServer({ name: 'names', version: '1' });
  for (const name of ['', 'has space', 'slash/name', 'é', 'x'.repeat(129)]) {
    assert.throws(() => server.tool({ name, description: 'd' }, () => 'x'), (e: { code?: string }) => e.code === 'MCP_ERR_VALIDATION', JSON.stringify(name));
  }
  for (const name of ['a', 'get_user.v2-beta', 'x'.repeat(128)]) server.tool({ name, description: 'd' }, () => 'x');
});

gates('inputSchema must be an object schema (outputSchema may be any); a name is registered once', () => {
  // 2025-11-25 server/tools: inputSchema is a JSON Schema object of type "object". An outputSchema
  // may be any schema from 2026-07-28 on (test/spec-tools-any-output.test.ts: how 2025 clients see it).
  const server = createServer({ name: 'schemas', version: '1' });
  const refused = (define: () => void, pattern: RegExp) => assert.throws(define, (e: Error & { code?: string }) => e.code === 'MCP_ERR_VALIDATION' && pattern.test(e.message));
  refused(() => server.tool({ name: 'in', description: 'd', inputSchema: { type: 'array' } as never }, () => 'x'), /inputSchema must have type "object"/);
  server.tool({ name: 'out', description: 'd', outputSchema: { type: 'array' } }, () => ({ structuredContent: [] }));
  server.tool({ name: 'once', description: 'd' }, () => 'x');
  refused(() => server.tool({ name: 'once', description: 'd' }, () => 'x'), /already registered/);
});

const order = suite('server: no requests to the client before notifications/initialized (2025-11-25 basic/lifecycle)');

/** A raw client that initializes but holds back notifications/initialized; a tool that elicits. */
async function heldBack(timeoutMs?: number, connect: ConnectOptions = {}, onError?: (e: Error) => void) {
  const server = createServer({ name: 'order', version: '1' }, onError ? { onError } : {});
  server.tool({ name: 'ask', description: 'Elicits.' }, async (_args, ctx) => {
    const answer = await ctx.elicit(form, timeoutMs === undefined ? {} : { timeoutMs }).catch((e: { code?: string }) => e.code);
    return JSON.stringify(answer);
  });
  const [c, s] = createMemoryPair();
  const seen: Array<{ id?: number | string; method?: string; result?: { content?: Array<{ text: string }> } }> = [];
  let wake: () => void = () => {};
  await c.start({ onMessage: (m) => { seen.push(m as never); wake(); }, onClose() {}, onError() {} });
  void server.connect(s, connect);
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 20); });
    return pred();
  };
  await c.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } } });
  await until(() => seen.some((m) => m.id === 1));
  await c.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
  return { c, seen, until };
}

order('an ask made before the initialized notification waits for it, then goes out', async () => {
  const { c, seen, until } = await heldBack();
  // The call is running and has asked; a ping answered after it shows the ask was held, not slow.
  await c.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
  assert.ok(await until(() => seen.some((m) => m.id === 3)));
  assert.not.ok(seen.some((m) => m.method === 'elicitation/create'), 'nothing asked before initialized');
  await c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  assert.ok(await until(() => seen.some((m) => m.method === 'elicitation/create')));
  const asked = seen.find((m) => m.method === 'elicitation/create')!;
  await c.send({ jsonrpc: '2.0', id: asked.id!, result: { action: 'accept', content: { name: 'Ada' } } });
  assert.ok(await until(() => seen.some((m) => m.id === 2)));
  assert.is(seen.find((m) => m.id === 2)?.result?.content?.[0]?.text, JSON.stringify({ action: 'accept', content: { name: 'Ada' } }));
  await c.close();
});

order('a client that never sends it gets the ask\'s own timeout, and nothing is asked', async () => {
  const { c, seen, until } = await heldBack(100);
  assert.ok(await until(() => seen.some((m) => m.id === 2)));
  assert.is(seen.find((m) => m.id === 2)?.result?.content?.[0]?.text, '"MCP_ERR_TIMEOUT"');
  assert.not.ok(seen.some((m) => m.method === 'elicitation/create'));
  await c.close();
});

order('a shared session: while the ask waits, the saved record is read again; a failed read is reported, one that says initialized lets it go', async () => {
  const answers = [Promise.reject(new Error('Redis is down')), Promise.resolve(false), Promise.resolve(true)];
  answers[0]!.catch(() => {});
  let reads = 0;
  const reported: string[] = [];
  const { c, seen, until } = await heldBack(undefined, {
    initializedRecheckMs: 10,
    initializedElsewhere: () => answers[Math.min(reads++, answers.length - 1)]!,
  }, (e) => reported.push(e.message));
  try {
    assert.ok(await until(() => seen.some((m) => m.method === 'elicitation/create')), 'asked without the notification on this connection');
    assert.is(reads, 3);
    assert.is(reported.length, 2, 'the failed read, then the one that succeeded after it');
    assert.match(reported[0]!, /cannot read the saved session .*Redis is down/);
    assert.match(reported[1]!, /can be read again, after 1 failed read over/);
    // Released: no more reads while nothing waits.
    await c.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    assert.ok(await until(() => seen.some((m) => m.id === 3)));
    await new Promise<void>((resolve) => setTimeout(resolve, 50)); // five intervals: an absence cannot be awaited
    assert.is(reads, 3);
  } finally {
    await c.close();
  }
});

order('no read of the saved record while no ask waits', async () => {
  let reads = 0;
  const { c, seen, until } = await heldBack(undefined, { initializedRecheckMs: 10, initializedElsewhere: async () => { reads++; return false; } });
  await c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  assert.ok(await until(() => seen.some((m) => m.method === 'elicitation/create')));
  const at = reads;
  await new Promise<void>((resolve) => setTimeout(resolve, 50));
  assert.is(reads, at);
  await c.close();
});

gates.run();
order.run();
