/**
 * The HTTP client's own CPU per call, with no server and no sockets: the real client
 * (`createClient` + `createHttpClientTransport`, from the built package) over a fake undici
 * dispatcher that answers every request on the next turn of the event loop with the bytes
 * the bench's mcpwire server sends (b-sse / c: a priming event and the response event; b-json:
 * one JSON body). What it measures is the client's share of a call beyond undici's: the
 * bench's client process also runs undici's pool, HTTP parser and socket writes.
 *
 *   node --import tsx bench/client-loop.ts [--reply sse|json] [--sessions 50] [--calls 400]
 *     [--warmup 200] [--rounds 5] [--count-promises] [--alloc]
 *
 * Each round prints the CPU µs per call (`process.cpuUsage()`) of `sessions x calls` calls,
 * each session calling in sequence and all sessions at once (c's shape; `--sessions 1` is b's).
 * `--url URL` runs the same calls against a real server (`bench/bare-server.ts`) through the
 * client's default undici pool, sockets and all; `--raw` with it makes the calls as raw's client
 * does (bench/adapters/raw-client.ts: undici's `request`, one JSON-RPC POST per call, no MCP client),
 * for the client's CPU per call against raw's with the server's speed out of the measure.
 * `--count-promises` also prints the promises made per call (an `async_hooks` promise hook
 * around each round; the loop's own `Promise.all` and async callbacks are in the count).
 * `--alloc` prints the first round's bytes allocated per call, by function (its CPU figure then
 * includes the sampler's cost). Run it under `--cpu-prof` or `valgrind --tool=callgrind` to see where the time goes.
 */
import { createHook } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import { Agent, type Dispatcher } from 'undici';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import { startAllocSampler } from './alloc-sampler.ts';

const { values } = parseArgs({
  options: {
    reply: { type: 'string', default: 'sse' },
    sessions: { type: 'string', default: '50' },
    calls: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    'count-promises': { type: 'boolean', default: false },
    alloc: { type: 'boolean', default: false },
    url: { type: 'string' },
    raw: { type: 'boolean', default: false },
  },
});
const json = values.reply === 'json';
const sessions = Number(values.sessions);
const calls = Number(values.calls);

type Headers = Record<string, string>;

/** A controller that is never paused or aborted: the fake answers in one piece. */
const controller = {
  paused: false, aborted: false, reason: null,
  abort() {}, pause() {}, resume() {},
} as unknown as Dispatcher.DispatchController;

let sessionCount = 0;
let token = 0;

/** The reply the bench's mcpwire server gives to one POST or GET. */
function answer(options: Dispatcher.DispatchOptions): { status: number; headers: Headers; body: string } {
  if (options.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: '' };
  const message = JSON.parse(String(options.body)) as { id?: number; method: string; params?: { arguments?: { text?: string } } };
  if (message.id === undefined) return { status: 202, headers: {}, body: '' };
  const result = message.method === 'initialize'
    ? { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'fake', version: '1.0.0' } }
    : { content: [{ type: 'text', text: message.params?.arguments?.text ?? '' }] };
  const out = JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
  const headers: Headers = message.method === 'initialize' ? { 'mcp-session-id': `session-${++sessionCount}` } : {};
  if (json) return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: out };
  const stream = `stream${++token}`;
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' },
    body: `id: ${stream}.0\nretry: 100\ndata:\n\nid: ${stream}.1\ndata: ${out}\n\n`,
  };
}

/** Answers on the next macrotask, as a socket read would, head and body at once. */
const fakeDispatcher = {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    setImmediate(() => {
      handler.onRequestStart?.(controller, {});
      const reply = answer(options);
      handler.onResponseStart?.(controller, reply.status, reply.headers, reply.status === 200 ? 'OK' : '');
      if (reply.body !== '') handler.onResponseData?.(controller, Buffer.from(reply.body));
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  },
} as unknown as Dispatcher;

async function connect(): Promise<McpClient> {
  const client = createClient({ name: 'loop', version: '1.0.0' });
  await client.connect(values.url === undefined
    ? createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', dispatcher: fakeDispatcher })
    : createHttpClientTransport({ url: values.url, openStandaloneStream: false }));
  return client;
}

/** A raw client's session: a JSON-RPC POST per call through undici's `request`, as raw's. */
function rawSession(url: string): McpClient {
  const { origin, pathname } = new URL(url);
  const agent = (rawAgent ??= new Agent({ bodyTimeout: 0, headersTimeout: 0 }));
  let nextId = 1;
  const callTool = async (name: string, args: Record<string, unknown>) => {
    const id = nextId++;
    const { body, headers } = await agent.request({
      origin, path: pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    });
    // An SSE reply is read as raw's does: the text, the last event's data.
    const sse = String(headers['content-type']).startsWith('text/event-stream');
    const text = await body.text();
    const reply = JSON.parse(sse ? text.slice(text.lastIndexOf('data: ') + 6) : text) as { id: number; result: unknown };
    if (reply.id !== id) throw new Error(`raw: reply for ${reply.id}, expected ${id}`);
    return reply.result;
  };
  return { callTool, close: async () => {} } as unknown as McpClient;
}
let rawAgent: Agent | undefined;

async function run(clients: readonly McpClient[], perSession: number): Promise<void> {
  await Promise.all(clients.map(async (client, k) => {
    for (let i = 0; i < perSession; i++) {
      const text = `s${k}m${i}`;
      const result = await client.callTool('echo', { text }, { timeoutMs: 600_000, maxTotalTimeoutMs: 600_000 });
      if ((result.content[0] as { text?: string } | undefined)?.text !== text) throw new Error(`wrong echo for ${text}`);
    }
  }));
}

const clients: McpClient[] = [];
for (let i = 0; i < sessions; i++) clients.push(values.raw && values.url !== undefined ? rawSession(values.url) : await connect());
await run(clients, Number(values.warmup));
let promises = 0;
const hook = createHook({ init(_id, type) { if (type === 'PROMISE') promises++; } });
for (let round = 0; round < Number(values.rounds); round++) {
  if (values['count-promises']) hook.enable();
  promises = 0;
  // `--alloc`: the first round's bytes allocated per call, by function (alloc-sampler.ts).
  const sampler = values.alloc && round === 0 ? await startAllocSampler() : undefined;
  const before = process.cpuUsage();
  await run(clients, calls);
  const used = process.cpuUsage(before);
  hook.disable();
  if (sampler) process.stdout.write(`${await sampler.stop(sessions * calls)}\n`);
  const count = values['count-promises'] ? `, ${(promises / (sessions * calls)).toFixed(2)} promises/call` : '';
  process.stdout.write(`${((used.user + used.system) / (sessions * calls)).toFixed(2)} µs/call${count}\n`);
}
await Promise.all(clients.map((c) => c.close()));
