/**
 * A bench server process: `server-main.ts --impl NAME (--http [--json] [--resumable] | --stdio)`.
 * Over HTTP it prints `ready <url>` on stdout and serves until SIGTERM; over stdio it serves
 * until stdin ends. Started with `--expose-gc` so `stats {gc: true}` weighs live memory.
 */
import { parseArgs } from 'node:util';
import { implementation } from './adapters/index.ts';
import type { ServerStats, StatsSource } from './adapters/types.ts';

const { values } = parseArgs({
  options: {
    impl: { type: 'string' },
    http: { type: 'boolean' },
    stdio: { type: 'boolean' },
    json: { type: 'boolean' },
    resumable: { type: 'boolean' },
    modern: { type: 'boolean' },
    'standard-schema': { type: 'boolean' },
  },
});

const gc = (globalThis as { gc?: () => void }).gc;
const stats: StatsSource = {
  progressDone: 0,
  read(collect: boolean): ServerStats {
    if (collect && gc) {
      gc();
      gc();
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return { cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, progressDone: stats.progressDone };
  },
};

const { server } = await implementation(values.impl ?? 'mcpwire').loadServer();
if (values.stdio) {
  await server.serveStdio(stats);
  process.exit(0);
}
const running = await server.serveHttp({
  transport: 'http', json: values.json === true, resumable: values.resumable === true, standardSchema: values['standard-schema'] === true,
  ...(values.modern ? { era: 'modern' as const } : {}),
}, stats);
process.stdout.write(`ready ${running.url}\n`);
const stop = () => {
  const forced = setTimeout(() => process.exit(0), 2_000);
  forced.unref();
  void running.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
