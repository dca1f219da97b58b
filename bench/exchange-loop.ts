/**
 * The legacy SSE exchange in one process, shaped like workload c: `--sessions` sessions each
 * send one tools/call per round, all at once, through `createMcpHttpHandler(...).exchange`
 * with a fake request (no sockets, no HTTP parser), past the store's `maxStreams` after the
 * warm-up. Prints the CPU (`process.cpuUsage()`) per call of the timed calls, so a change
 * to the server's per-call path can be weighed without the scheduler's noise.
 * `node --import tsx bench/exchange-loop.ts [--sessions 50] [--warmup 12000] [--calls 20000]`
 * (add `--cpu-prof` or run it under callgrind to see where the time goes). `--json` answers in
 * JSON (c-json's shape) instead of SSE; `--count-promises` also prints the promises made per
 * timed call (an `async_hooks` promise hook; the loop's own `Promise.all` and fake body included);
 * `--alloc` the bytes allocated per timed call, by allocating function (alloc-sampler.ts).
 */
import { createHook } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { startAllocSampler } from './alloc-sampler.ts';
import type { InboundRequest, ServerReply } from 'mcpwire/transport';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '12000' },
    calls: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
    'count-promises': { type: 'boolean', default: false },
    alloc: { type: 'boolean', default: false },
  },
});
const sessionCount = Number(values.sessions);

const server = createServer({ name: 'exchange-loop', version: '1.0.0' });
server.tool({ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  (args: { text: string }) => args.text);
const handler = createMcpHttpHandler(server, { responseMode: values.json ? 'json' : 'sse', maxSessions: 100_000 });

/** A request as the Node adapter would hand it over, with the headers an MCP client sends. */
function request(body: string, sessionId?: string): InboundRequest {
  const headers: Record<string, string> = {
    host: '127.0.0.1', 'content-type': 'application/json', accept: 'application/json, text/event-stream',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (sessionId) {
    headers['mcp-session-id'] = sessionId;
    headers['mcp-protocol-version'] = '2025-11-25';
  }
  return {
    method: 'POST', path: '/mcp',
    header: (name) => headers[name] ?? null,
    headerRecord: () => headers,
    text: () => Promise.resolve(body),
    toRequest: () => { throw new Error('not used'); },
  };
}

/** The reply's body, as the Node adapter would write it. */
function bodyOf(reply: ServerReply): string {
  if (reply.status !== 200) throw new Error(`status ${reply.status}: ${reply.body}`);
  const text = reply.sse ? reply.sse.takeEnded() : reply.body;
  if (text === undefined) throw new Error('the reply did not end at once');
  return text;
}

const ids: string[] = [];
for (let i = 0; i < sessionCount; i++) {
  const init = await handler.exchange(request(JSON.stringify({
    jsonrpc: '2.0', id: 0, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'loop', version: '1' } },
  })));
  bodyOf(init);
  const id = init.headers['mcp-session-id']!;
  ids.push(id);
  await handler.exchange(request('{"jsonrpc":"2.0","method":"notifications/initialized"}', id));
}

let next = 1;
async function rounds(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += sessionCount) {
    const replies = await Promise.all(ids.map((id) => handler.exchange(request(
      `{"jsonrpc":"2.0","id":${next++},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`, id))));
    for (const reply of replies) {
      if (!bodyOf(reply).includes('hello')) throw new Error('no echo in the reply');
    }
  }
}

await rounds(Number(values.warmup));
const calls = Number(values.calls);
let promises = 0;
const hook = createHook({ init(_id, type) { if (type === 'PROMISE') promises++; } });
if (values['count-promises']) hook.enable();
const sampler = values.alloc ? await startAllocSampler() : undefined;
const before = process.cpuUsage();
await rounds(calls);
const used = process.cpuUsage(before);
hook.disable();
const count = (values['count-promises'] ? `, ${(promises / calls).toFixed(2)} promises per call` : '')
  + (sampler ? ', the sampler\'s own cost included' : '');
process.stdout.write(`${((used.user + used.system) / calls).toFixed(2)} µs per call (${calls} calls, ${sessionCount} sessions)${count}\n`);
if (sampler) process.stdout.write(`${await sampler.stop(calls)}\n`);
await handler.close();
