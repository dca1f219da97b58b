// 2025-11-25 server/utilities/logging, Security: "Servers SHOULD: ... Rate limit log
// messages". A tool logging in a loop sent every message to its client (session 30: 500 in,
// 500 out). Now each connection has a bucket (`logRate`, default 100 a second, bursts of 200):
// what is over it is dropped at once, counted, and said once, before the next message that
// passes. In-process: a memory pair and a clock moved by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from '../client/index.ts';
import { createMcpHttpHandler, createServer, type ServerOptions } from '../server/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import type { LoggingMessageParams } from '../protocol/index.ts';
import { createManualTimers } from '../protocol/manual-timers.ts';
import { META } from '../server/modern/envelope.ts';
import { envelope } from './modern-kit.ts';
import { messagesOf, readEvents } from './http-fixture.ts';

const test = suite('server log messages: rate limited per connection, the drops counted and said once');

async function setup(options: ServerOptions = {}) {
  const timers = createManualTimers();
  const server = createServer({ name: 's', version: '1' }, { timers, ...options });
  server.tool({ name: 'chatty', inputSchema: { type: 'object', properties: { n: { type: 'number' }, last: { type: 'string' } } } }, async ({ n, last }: { n: number; last?: 'error' }, ctx) => {
    for (let i = 0; i < n; i++) await ctx.log(i === n - 1 && last ? last : 'info', `line ${i}`);
    return 'done';
  });
  const logs: LoggingMessageParams[] = [];
  const [a, b] = createMemoryPair();
  await server.connect(b);
  const client = createClient({ name: 'c', version: '1' }, { onLog: (params) => { logs.push(params); } });
  await client.connect(a);
  const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); };
  return { timers, client, logs, settle };
}

test('a burst of 500 sends the first 200; later, one warning says 300 were dropped, then the message', async () => {
  const { timers, client, logs, settle } = await setup();
  const result = await client.callTool('chatty', { n: 500 });
  assert.equal(result.content, [{ type: 'text', text: 'done' }], 'the tool ran to its end, not held up by the drops');
  await settle();
  assert.is(logs.length, 200);
  assert.equal(logs[199], { level: 'info', data: 'line 199' });
  timers.advance(1_000); // 100 tokens back
  await client.callTool('chatty', { n: 1 });
  await settle();
  assert.equal(logs.slice(200), [
    { level: 'warning', logger: 'mcpwire', data: "300 log messages were dropped (the most severe: info): over this server's rate limit of 100 a second (bursts of 200)" },
    { level: 'info', data: 'line 0' },
  ]);
  await client.callTool('chatty', { n: 1 });
  await settle();
  assert.is(logs.length, 203, 'the count was said once');
  await client.close();
});

test('an error among the dropped is named, and the count is sent at its level', async () => {
  const { timers, client, logs, settle } = await setup({ logRate: { perSecond: 10, burst: 5 } });
  await client.callTool('chatty', { n: 20, last: 'error' });
  timers.advance(100); // a token back: the bucket's timer tells the count with it
  timers.advance(100); // and one for the next message
  await client.callTool('chatty', { n: 1 });
  await settle();
  assert.equal(logs.slice(5), [
    { level: 'error', logger: 'mcpwire', data: "15 log messages were dropped (the most severe: error): over this server's rate limit of 10 a second (bursts of 5)" },
    { level: 'info', data: 'line 0' },
  ]);
  await client.close();
});

test('logRate sets the bucket; false sends everything', async () => {
  const small = await setup({ logRate: { perSecond: 1, burst: 3 } });
  await small.client.callTool('chatty', { n: 10 });
  await small.settle();
  assert.is(small.logs.length, 3);
  await small.client.close();
  const none = await setup({ logRate: false });
  await none.client.callTool('chatty', { n: 500 });
  await none.settle();
  assert.is(none.logs.length, 500);
  await none.client.close();
});

// Session 31: a flood followed by silence was counted and never told (the count waited for a
// message that passes). Now the bucket's one timer tells it when a token is back.
test('a flood then silence: the count is told when the bucket has a token again, by one timer, cleared on close', async () => {
  const { timers, client, logs, settle } = await setup({ logRate: { perSecond: 10, burst: 5 } });
  const before = timers.armed();
  await client.callTool('chatty', { n: 50 });
  await settle();
  assert.is(logs.length, 5);
  assert.is(timers.armed(), before + 1, 'one timer for the bucket, armed at the first drop; the call\'s own timers are gone');
  timers.advance(99);
  await settle();
  assert.is(logs.length, 5, 'not before a token is back (100 ms at 10 a second)');
  timers.advance(1);
  await settle();
  assert.equal(logs.slice(5), [
    { level: 'warning', logger: 'mcpwire', data: "45 log messages were dropped (the most severe: info): over this server's rate limit of 10 a second (bursts of 5)" },
  ]);
  timers.advance(10_000);
  await client.callTool('chatty', { n: 1 });
  await settle();
  assert.equal(logs.slice(6), [{ level: 'info', data: 'line 0' }], 'said once');
  await client.callTool('chatty', { n: 50 });
  assert.is(timers.armed(), before + 1, 'armed again by the next flood');
  await client.close();
  await settle();
  assert.is(timers.armed(), before, 'cleared when the connection closed');
});

test('the bucket\'s timer keeps no process awake (let go), and tells on the platform clock', async () => {
  const pending = new Set<NodeJS.Timeout>();
  const timers = {
    setTimeout(fn: () => void, ms: number) { const h: NodeJS.Timeout = setTimeout(() => { pending.delete(h); fn(); }, ms); pending.add(h); return h; },
    clearTimeout(h: unknown) { pending.delete(h as NodeJS.Timeout); clearTimeout(h as NodeJS.Timeout); },
    now: () => performance.now(),
  };
  const { client, logs } = await setup({ timers, logRate: { perSecond: 50, burst: 2 } });
  await client.callTool('chatty', { n: 10 });
  const held = [...pending].filter((h) => h.hasRef());
  assert.is(pending.size, 1, 'one timer left after the call: the bucket\'s');
  assert.is(held.length, 0, 'not holding the process');
  assert.is(logs.length, 2);
  const wait = setTimeout(() => {}, 5_000); // the test's own hold on the process: the bucket's timer holds none
  await new Promise<void>((resolve) => { logs.push = (...items) => { const n = Array.prototype.push.apply(logs, items); resolve(); return n; }; });
  clearTimeout(wait);
  assert.is(logs[2]!.data, "8 log messages were dropped (the most severe: info): over this server's rate limit of 50 a second (bursts of 2)");
  await client.close();
});

test('a bad logRate is refused by name', () => {
  assert.throws(() => createServer({ name: 's', version: '1' }, { logRate: { perSecond: 0 } }), /logRate\.perSecond must be a positive integer, got 0/);
  assert.throws(() => createServer({ name: 's', version: '1' }, { logRate: { burst: 1.5 } }), /logRate\.burst must be a positive integer, got 1\.5/);
});

test.run();

// faults23's leftover: a 2026-07-28 request (its own bucket) that flooded and then answered
// before a token was back lost the count: it was to go on the request's stream when the bucket
// refilled, and the stream had closed with the response. Now it goes just before the response,
// without a token (one message); the timer is cleared.
const modern = suite('2026-07-28: a request that answers right after its flood');

modern('the count goes on its stream just before the response, once, and no timer is left', async () => {
  const timers = createManualTimers();
  const server = createServer({ name: 's', version: '1' }, { timers, logRate: { perSecond: 10, burst: 3 } });
  server.tool({ name: 'chatty' }, async (_args, ctx) => {
    for (let i = 0; i < 20; i++) await ctx.log('info', `line ${i}`);
    return 'done';
  });
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'] });
  const before = timers.armed();
  try {
    const res = await handler.handle(new Request('http://127.0.0.1:3000/mcp', {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'chatty' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: envelope({}, { [META.logLevel]: 'debug' }) } }),
    }));
    assert.is(res.headers.get('content-type'), 'text/event-stream');
    const messages = messagesOf(await readEvents(res));
    assert.equal(messages.map((m) => m.params?.data ?? `response ${m.id}`), [
      'line 0', 'line 1', 'line 2',
      "17 log messages were dropped (the most severe: info): over this server's rate limit of 10 a second (bursts of 3)",
      'response 5',
    ]);
    assert.is(timers.armed(), before, 'the bucket\'s timer cleared');
  } finally {
    await handler.close();
  }
});

modern.run();
