/**
 * The server process of the instruction counter (run.ts starts it under callgrind):
 * `server.js --mode sse|json|raw|raw-json|modern-json|modern-sse`. It serves the bench's echo tool exactly as bench b does
 * (mcpwire's adapter: `createMcpHttpHandler` on the library's `listen`; `raw`: the raw ceiling's
 * bare `node:http` server answering in SSE, `raw-json` the same server answering in JSON, as
 * the c-json row's raw ceiling does), prints `ready <url>` and exits on SIGTERM after closing.
 *
 * Nothing is wrapped or timed here: session 31's harness replaced `writeHead`/`end` on every
 * response after its warm-up, which changed the responses' shapes inside the counted window
 * and likely caused its 60 extra Turbofan compilations there (bench/README "Session 31: bytes3").
 */
import { parseArgs } from 'node:util';
import type { ServerAdapter, StatsSource } from '../adapters/types.ts';

const { values } = parseArgs({ options: { mode: { type: 'string', default: 'sse' } } });
const mode = values.mode;
const MODES = ['sse', 'json', 'raw', 'raw-json', 'modern-json', 'modern-sse'];
if (mode === undefined || !MODES.includes(mode)) {
  process.stderr.write(`count server: --mode must be ${MODES.join(', ')}, got ${String(mode)}\n`);
  process.exit(2);
}

const stats: StatsSource = {
  progressDone: 0,
  read: () => ({ cpuUs: 0, rss: 0, heapUsed: 0, progressDone: 0 }),
};
const raw = mode === 'raw' || mode === 'raw-json';
const adapter = raw ? await import('../adapters/raw-server.ts') : await import('../adapters/mcpwire-server.ts');
const server: ServerAdapter = adapter.server;
// modern-*: the 2026-07-28 era only, as the m rows serve it (bench/workloads.ts `modern()`).
const modern = mode.startsWith('modern-');
const running = await server.serveHttp({
  transport: 'http', json: mode === 'json' || mode === 'raw-json' || mode === 'modern-json', resumable: false, ...(modern ? { era: 'modern' as const } : {}),
}, stats);
process.once('SIGTERM', () => {
  // A normal exit, so callgrind writes its counts and V8 its perf map.
  void running.close().finally(() => process.exit(0));
});
process.stdout.write(`ready ${running.url}\n`);
