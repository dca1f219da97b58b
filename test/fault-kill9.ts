// Fault injection (issue #10 acceptance): run calls with progress through mcpwire's own HTTP
// client against `mcpwire serve --http --state DIR`, SIGKILL the server at random points,
// restart it on the same state and port, let the client resume, and count what arrived:
// progress events lost or duplicated, results received. Loopback only, bounded by timeouts.
//
//   npm run fault:kill9 -- [--kills 20] [--mode sse|json|both|modern|all] [--seed N] [--call-timeout-ms 30000] [--verbose]
//
// `modern` is the 2026-07-28 era: a task and a listen on it per kill (fault-kill9-modern.ts).
// test/fault-kill9.test.ts runs a few kills of each mode in `npm test`.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { killed, startServe, type ServeProcess } from './serve-process.ts';
import { runModernKill9, type ModernKill9Report } from './fault-kill9-modern.ts';

/** Options of {@link runKill9}. */
export interface Kill9Options {
  mode: 'sse' | 'json';
  /** Calls made, each killed once at a random point. */
  kills: number;
  /** Progress steps per call, and the tool's delay after each (ms). */
  steps?: number;
  delayMs?: number;
  /** Seed of the kill points, so a run can be repeated. */
  seed?: number;
  /** Longest wait for one call after its kill, ms. */
  callTimeoutMs?: number;
  log?: (line: string) => void;
}

/** What a run saw. */
export interface Kill9Report {
  mode: 'sse' | 'json';
  kills: number;
  /** Progress steps that never arrived, over all calls. */
  lost: number;
  /** Progress steps that arrived more than once. */
  duplicated: number;
  /** Calls that got their result. */
  results: number;
  /** Why calls failed, one line each. */
  failures: string[];
}

/** mulberry32: a small seeded generator, so kill points can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A free loopback port (the server restarts on the same one, so the client's URL holds). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Run `kills` calls against one server, each killed with SIGKILL once (see the module comment). */
export async function runKill9(options: Kill9Options): Promise<Kill9Report> {
  const steps = options.steps ?? 40;
  const delayMs = options.delayMs ?? 5;
  const seed = options.seed ?? Date.now() % 1_000_000;
  const next = random(seed);
  const log = options.log ?? (() => {});
  const report: Kill9Report = { mode: options.mode, kills: options.kills, lost: 0, duplicated: 0, results: 0, failures: [] };
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-kill9-'));
  const port = await freePort();
  const args = ['--port', String(port), '--state', dir, ...(options.mode === 'json' ? ['--json-response'] : [])];
  let server: ServeProcess = await startServe(args);
  log(`${options.mode}: server on port ${port}, seed ${seed}`);
  const transport = createHttpClientTransport({
    url: `http://127.0.0.1:${port}/mcp`,
    openStandaloneStream: false,
    reconnect: { initialDelayMs: 100, maxDelayMs: 500, maxAttempts: 100 },
  });
  const client = createClient({ name: 'fault-kill9', version: '1.0.0' });
  try {
    await client.connect(transport);
    for (let call = 0; call < options.kills; call++) {
      // Kill after 1..steps-1 progress events, plus a random part of one step.
      const killAfter = 1 + Math.floor(next() * (steps - 1));
      const jitterMs = Math.floor(next() * (delayMs + 1));
      const seen = new Map<number, number>();
      let restarting: Promise<void> | undefined;
      const restart = async () => {
        await new Promise((r) => setTimeout(r, jitterMs));
        await killed(server.child);
        server = await startServe(args);
      };
      try {
        const result = await withTimeout(client.callTool('count', { steps, delayMs }, {
          timeoutMs: options.callTimeoutMs ?? 30_000,
          onProgress: (p) => {
            seen.set(p.progress, (seen.get(p.progress) ?? 0) + 1);
            if (seen.size === killAfter && !restarting) restarting = restart();
          },
        }), options.callTimeoutMs ?? 30_000, `call ${call}`);
        const text = (result.content[0] as { text?: string } | undefined)?.text;
        if (text === `counted to ${steps}`) report.results += 1;
        else report.failures.push(`call ${call} (kill after ${killAfter}): unexpected result ${JSON.stringify(result)}`);
      } catch (error) {
        report.failures.push(`call ${call} (kill after ${killAfter}): ${(error as Error).message}`);
      }
      if (restarting) await restarting;
      else report.failures.push(`call ${call}: ended before its kill point (${seen.size} progress events)`);
      let lost = 0;
      let duplicated = 0;
      for (let step = 1; step <= steps; step++) {
        const n = seen.get(step) ?? 0;
        if (n === 0) lost += 1;
        if (n > 1) duplicated += n - 1;
      }
      report.lost += lost;
      report.duplicated += duplicated;
      log(`${options.mode} call ${call + 1}/${options.kills}: killed after ${killAfter} events, lost ${lost}, duplicated ${duplicated}`);
    }
  } finally {
    await client.close().catch(() => { /* the server may be gone: the report says what matters */ });
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}

/** One line per mode: the figures the issue asks for. */
export function describe(r: Kill9Report): string {
  return `${r.mode}: ${r.kills} kills, ${r.lost} lost, ${r.duplicated} duplicated, ${r.results}/${r.kills} results`;
}

/** The 2026-07-28 mode's line. */
export function describeModern(r: ModernKill9Report): string {
  return `modern: ${r.kills} kills, ${r.results}/${r.kills} results, ${r.resumed} tasks resumed (run again), ${r.startedTwice} started twice (effects keyed by task id), ${r.relistened}/${r.kills} listens back with the task re-fetched`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { kills: { type: 'string' }, mode: { type: 'string' }, seed: { type: 'string' }, 'call-timeout-ms': { type: 'string' }, verbose: { type: 'boolean' } } });
  const kills = Number(values.kills ?? 20);
  const mode = values.mode ?? 'both';
  const modes = mode === 'both' || mode === 'all' ? (['sse', 'json'] as const) : mode === 'modern' ? [] : [mode as 'sse' | 'json'];
  const log = (line: string) => { if (values.verbose) console.log(line); };
  let ok = true;
  for (const legacy of modes) {
    const report = await runKill9({
      mode: legacy, kills, log,
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
      ...(values['call-timeout-ms'] !== undefined ? { callTimeoutMs: Number(values['call-timeout-ms']) } : {}),
    });
    console.log(describe(report));
    for (const f of report.failures) console.log(`  ${f}`);
    ok &&= report.lost === 0 && report.duplicated === 0 && report.results === kills;
  }
  if (mode === 'modern' || mode === 'all') {
    const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000;
    log(`modern: seed ${seed}`);
    const report = await runModernKill9({
      kills, port: await freePort(), next: random(seed), log,
      ...(values['call-timeout-ms'] !== undefined ? { callTimeoutMs: Number(values['call-timeout-ms']) } : {}),
    });
    console.log(describeModern(report));
    for (const f of report.failures) console.log(`  ${f}`);
    ok &&= report.results === kills && report.startedTwice === 0 && report.relistened === kills && report.failures.length === 0;
  }
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) process.exitCode = await main();
