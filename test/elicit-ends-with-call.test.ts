// A tool's question (ctx.elicit, ctx.sample) is asked for its call: when the client cancels
// the call, or goes away, while the question waits, the question fails at once with the
// reason (MCP_ERR_ABORTED, MCP_ERR_CLOSED), and a cancelled call's question is cancelled on
// the wire in turn (2025-11-25 basic/utilities/cancellation). With or without a signal of the
// tool's own in the options. Raw JSON-RPC on the client side, which never answers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ToolContext } from 'mcpwire/server';
import { createMemoryPair } from 'mcpwire/transport';

type Ask = (ctx: ToolContext, signal: AbortSignal | undefined) => Promise<unknown>;

const FORM = { message: 'Seat?', requestedSchema: { type: 'object' as const, properties: { seat: { type: 'string' as const } } } };
const QUESTION = { messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'q' } }], maxTokens: 5 };
const asks: Record<string, Ask> = {
  elicit: (ctx, signal) => ctx.elicit(FORM, signal ? { signal } : undefined),
  sample: (ctx, signal) => ctx.sample(QUESTION, signal ? { signal } : undefined),
};

/** `promise`, or a rejection naming `what` after `ms` (no test waits on a question's own timeout). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A server whose tool asks with `ask` and reports how the question ended; a raw client that
 * calls it as request 2 and records what the server sends. `asked` resolves with the question.
 */
async function asking(ask: Ask, signal: AbortSignal | undefined) {
  const server = createServer({ name: 'asks', version: '1' });
  let ended!: (how: string) => void;
  const outcome = new Promise<string>((resolve) => { ended = resolve; });
  server.tool({ name: 'ask', description: 'Asks the client.' }, async (_args, ctx) => {
    try {
      await ask(ctx, signal);
      ended('answered');
    } catch (error) {
      ended(`${(error as { code?: string }).code}: ${(error as Error).message}`);
    }
    return 'done';
  });
  const [c, s] = createMemoryPair();
  const received: Array<{ id?: unknown; method?: string; params?: { requestId?: unknown } }> = [];
  let asked!: (id: unknown) => void;
  const question = new Promise<unknown>((resolve) => { asked = resolve; });
  await c.start({
    onMessage: (m) => {
      const msg = m as (typeof received)[number];
      received.push(msg);
      if (msg.method && msg.id !== undefined) asked(msg.id);
    },
    onClose() {},
    onError() {},
  });
  void server.connect(s);
  await c.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {}, sampling: {} }, clientInfo: { name: 'raw', version: '1' } } });
  await c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await c.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
  return { client: c, received, question: within(question, 5_000, 'the question was asked'), outcome };
}

const ends = suite('server: a tool\'s question ends with its call');

for (const [kind, ask] of Object.entries(asks)) {
  for (const explicit of [false, true]) {
    const how = `${kind}, ${explicit ? 'with a signal of the tool\'s' : 'without a signal'}`;

    ends(`${how}: the call cancelled; the question fails at once and is cancelled`, async () => {
      const { client, received, question, outcome } = await asking(ask, explicit ? new AbortController().signal : undefined);
      const id = await question;
      await client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'user gave up' } });
      const how = await within(outcome, 3_000, 'the question failed');
      assert.match(how, /^MCP_ERR_ABORTED: /);
      assert.ok(received.some((m) => m.method === 'notifications/cancelled' && m.params?.requestId === id), 'the question cancelled on the wire');
      assert.not.ok(received.some((m) => m.id === 2), 'the cancelled call is not answered');
      await client.close();
    });

    ends(`${how}: the client gone; the question fails at once with MCP_ERR_CLOSED`, async () => {
      const { client, question, outcome } = await asking(ask, explicit ? new AbortController().signal : undefined);
      await question;
      await client.close();
      assert.match(await within(outcome, 3_000, 'the question failed'), /^MCP_ERR_CLOSED: /);
    });
  }
}

ends('the tool\'s own signal aborts its question, and the call goes on to answer', async () => {
  const controller = new AbortController();
  const { client, received, question, outcome } = await asking(asks.elicit!, controller.signal);
  await question;
  controller.abort();
  assert.match(await within(outcome, 3_000, 'the question failed'), /^MCP_ERR_ABORTED: /);
  for (let i = 0; i < 100 && !received.some((m) => m.id === 2); i += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(received.some((m) => m.id === 2), 'the call answered');
  await client.close();
});

ends.run();
