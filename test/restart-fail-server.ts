// A Streamable HTTP server kept on disk as `serve --http --state` keeps it (tasks, sessions,
// stream history), for the kill -9 tests of a tool's `restart` option: `charge` is registered
// with restart: 'fail', `compute` with the default ('rerun'). Each run of either appends
// "START <tool> <key>" to DIR/runs.log (key: the task id, else the argument `key`), so a test
// counts how often each ran. `charge` then waits until stopped; `compute` waits until stopped
// on its first run and, run again for a key it has seen, answers at once.
// Usage: node --conditions=mcpwire-source --import tsx test/restart-fail-server.ts DIR
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMcpHttpHandler, createServer, type ToolContext } from 'mcpwire/server';
import { createFileEventStore, createFileTaskStore, defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';

const [dir = '.'] = process.argv.slice(2);
const runs = join(dir, 'runs.log');
const report = (what: string) => (e: Error) => process.stderr.write(`restart-fail: ${what}: ${e.message}\n`);

/** Record the start of a run; whether `key` had started before. */
async function started(tool: string, key: string): Promise<boolean> {
  const before = await readFile(runs, 'utf8').catch(() => '');
  await appendFile(runs, `START ${tool} ${key}\n`);
  return before.split('\n').includes(`START ${tool} ${key}`);
}

const untilStopped = (ctx: ToolContext) => new Promise<never>((_, reject) => {
  ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
});

await mkdir(join(dir, 'events'), { recursive: true });
const store = await createFileTaskStore({ dir: join(dir, 'tasks'), onError: report('task store') });
const server = createServer({ name: 'restart-fail', version: '1.0.0' }, { tasks: { store }, onError: report('server') });
const keyed = { type: 'object' as const, properties: { key: { type: 'string' as const } } };
server.tool<{ key?: string }>({
  name: 'charge', description: 'Charges a card: must not run twice.', inputSchema: keyed,
  execution: { taskSupport: 'optional' }, restart: 'fail',
}, async ({ key }, ctx) => {
  await started('charge', ctx.taskId ?? key ?? '?');
  return untilStopped(ctx);
});
server.tool<{ key?: string }>({
  name: 'compute', description: 'Computes: safe to run again.', inputSchema: keyed,
  execution: { taskSupport: 'optional' },
}, async ({ key }, ctx) => {
  if (await started('compute', ctx.taskId ?? key ?? '?')) return 'computed on the re-run';
  return untilStopped(ctx);
});

const eventStore = await createFileEventStore({ dir: join(dir, 'events'), onError: report('event store') });
// Listening first (port 0: the allowed Host follows the port), answering 503 until restored.
const ref: ExchangeServable = { exchange: () => Promise.resolve({ status: 503, headers: { 'retry-after': '1' }, body: 'starting' }) };
const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
const handler = createMcpHttpHandler(server, {
  allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port),
  eventStore, recoverInflight: true,
  onError: report('http'),
});
const restored = await handler.restore();
const resumed = await server.tasks!.resume();
ref.exchange = handler.exchange;
process.stderr.write(`restart-fail: listening on http://127.0.0.1:${listening.port}/mcp (restored ${restored}, resumed ${resumed})\n`);
