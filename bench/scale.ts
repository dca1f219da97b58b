/**
 * Workload s (issue #18): scale-out, mcpwire only, run by the orchestrator itself (it starts
 * several server processes, which a single-server cell does not). One repetition starts a
 * throwaway Redis, the round-robin proxy (its own process, no affinity) and six `serve
 * --http` instances: one on the memory store, one on the file store (`--state DIR`), four
 * sharing Redis. Through the proxy it measures workload c (S sessions x K echo calls at once)
 * on memory, file, and 1, 2 and 4 Redis instances, and workload e (a long stream cut at half,
 * then replayed from history with Last-Event-ID) on memory, on the file store, and on Redis
 * served by the other of two instances. Ratios are taken inside the repetition, against the
 * 1-instance memory figure. Every cell checks that nothing was lost or duplicated. Skipped,
 * with the reason printed, when redis-server is not installed. Runs the built CLI (`dist/`).
 */
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellResult } from './cells.ts';
import { cutAndReplay, EchoLoad, type ReplayResult } from './scale-load.ts';
import { cpuMicros, Fleet, freePort, REDIS } from './scale-processes.ts';

/** The longest one repetition may take; then its requests are aborted and its processes stopped. */
const CELL_MS = 150_000;

/** The c cells, in the order of their first timed round (the second runs them in reverse). */
const C_CELLS = [
  { name: 'memory', key: 'Memory' },
  { name: 'file store', key: 'File' },
  { name: 'Redis x1', key: 'Redis1' },
  { name: 'Redis x2', key: 'Redis2' },
  { name: 'Redis x4', key: 'Redis4' },
] as const;
type CKey = (typeof C_CELLS)[number]['key'];

interface Sizes { sessions: number; calls: number; warmup: number; steps: number }

function sizesOf(raw: Record<string, number>): Sizes {
  const { sessions = 1, calls = 2, warmup = 0, steps = 2 } = raw;
  return { sessions, calls, warmup, steps };
}

/** One c cell: calls/s, the server side's CPU per call (instances, plus redis-server on Redis), what it lost or repeated. */
interface CCell { callsPerSec: number; cpuUs: number | undefined; lost: number; duplicated: number }

/** One repetition's measurements. */
interface Measured { c: Record<CKey, CCell>; e: { memory: ReplayResult; file: ReplayResult; redis: ReplayResult } }

interface Instance { port: number; pid: number }

/**
 * Workload c on every cell. Warm-up first, untimed: each instance gets `warmup` calls per
 * session (the four Redis instances through the 4-instance cell; a cell whose instances are
 * all warm already only primes its sessions), which warms the proxy and this client too.
 * Then two timed rounds of `calls / 2` calls per session, the second in reverse order, so
 * drift of the machine's load weighs on every cell alike.
 */
async function measureC(proxy: { url: string; use(ports: readonly number[]): Promise<void> }, cells: Record<CKey, Instance[]>, redisPid: number, sizes: Sizes, signal: AbortSignal): Promise<Record<CKey, CCell>> {
  const loads = new Map<CKey, EchoLoad>();
  try {
    const warm = new Set<number>();
    for (const key of ['Memory', 'File', 'Redis4', 'Redis1', 'Redis2'] as const) {
      const cold = cells[key].some((i) => !warm.has(i.pid));
      await proxy.use(cells[key].map((i) => i.port));
      loads.set(key, await EchoLoad.open(proxy.url, sizes.sessions, cold ? sizes.warmup * cells[key].length : Math.ceil(sizes.warmup / 10), signal));
      for (const i of cells[key]) warm.add(i.pid);
    }
    const spent = new Map<CKey, { ms: number; cpu: number | undefined; calls: number }>(C_CELLS.map(({ key }) => [key, { ms: 0, cpu: 0, calls: 0 }]));
    const half = Math.max(1, Math.floor(sizes.calls / 2));
    for (const { key } of [...C_CELLS, ...[...C_CELLS].reverse()]) {
      const pids = [...cells[key].map((i) => i.pid), ...(key.startsWith('Redis') ? [redisPid] : [])];
      await proxy.use(cells[key].map((i) => i.port));
      const before = cpuMicros(pids);
      const ms = await loads.get(key)!.run(half);
      const after = cpuMicros(pids);
      const total = spent.get(key)!;
      total.ms += ms;
      total.calls += half * sizes.sessions;
      total.cpu = total.cpu === undefined || before === undefined || after === undefined ? undefined : total.cpu + after - before;
    }
    return Object.fromEntries(C_CELLS.map(({ key }) => {
      const { ms, cpu, calls } = spent.get(key)!;
      const load = loads.get(key)!;
      return [key, { callsPerSec: calls / (ms / 1000), cpuUs: cpu === undefined ? undefined : cpu / calls, lost: load.lost, duplicated: load.duplicated }];
    })) as Record<CKey, CCell>;
  } finally {
    await Promise.all([...loads.values()].map((l) => l.close()));
  }
}

/** Start everything, run every cell (c, then e), stop nothing (the caller's fleet does). */
async function measure(fleet: Fleet, dir: string, sizes: Sizes, signal: AbortSignal): Promise<Measured | string> {
  const redisPort = await freePort();
  let redisPid: number;
  try {
    redisPid = (await fleet.redis(redisPort, dir)).child.pid!;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return `skipped: ${REDIS} is not installed (Debian: apt-get install redis-server)`;
  }
  const proxy = await fleet.proxy();
  const redis = ['--redis', `redis://127.0.0.1:${redisPort}`, '--redis-prefix', 'bench-s:'];
  const [memory, file, ...shared] = await Promise.all([
    fleet.instance(proxy.hosts, []),
    fleet.instance(proxy.hosts, ['--state', join(dir, 'state')]),
    ...[1, 2, 3, 4].map(() => fleet.instance(proxy.hosts, redis)),
  ]);
  const cells: Record<CKey, Instance[]> = { Memory: [memory!], File: [file!], Redis1: shared.slice(0, 1), Redis2: shared.slice(0, 2), Redis4: shared };
  const c = await measureC(proxy, cells, redisPid, sizes, signal);
  const cut = Math.floor(sizes.steps / 2);
  const replay = async (instances: Instance[]) => {
    await proxy.use(instances.map((i) => i.port));
    return cutAndReplay(proxy.url, sizes.steps, cut, instances.length, signal);
  };
  const e = { memory: await replay(cells.Memory), file: await replay(cells.File), redis: await replay(cells.Redis2) };
  return { c, e };
}

/** The row's figures: calls/s, ratios to 1 instance on memory, Redis's cost per call, replay times. */
function metricsOf({ c, e }: Measured): Record<string, number> {
  const base = c.Memory;
  const metrics: Record<string, number> = {};
  for (const { key } of C_CELLS) metrics[`c${key}`] = c[key].callsPerSec;
  for (const { key } of C_CELLS.slice(1)) metrics[`x${key}`] = c[key].callsPerSec / base.callsPerSec;
  for (const { key } of C_CELLS) if (c[key].cpuUs !== undefined) metrics[`cpu${key}`] = c[key].cpuUs!;
  // The same ratios in server CPU per call: far steadier than calls/s on a busy machine.
  for (const { key } of C_CELLS.slice(1)) if (c[key].cpuUs !== undefined && base.cpuUs) metrics[`cpuX${key}`] = c[key].cpuUs! / base.cpuUs;
  // What a call costs more on Redis than in memory, one instance each: wall time per call at
  // saturation, and the server side's CPU per call (the instance, plus redis-server).
  metrics.redisCostUs = 1e6 / c.Redis1.callsPerSec - 1e6 / base.callsPerSec;
  if (c.Redis1.cpuUs !== undefined && base.cpuUs !== undefined) metrics.redisCpuCostUs = c.Redis1.cpuUs - base.cpuUs;
  metrics.eMemoryMs = e.memory.replayMs;
  metrics.eFileMs = e.file.replayMs;
  metrics.eRedisMs = e.redis.replayMs;
  metrics.eRedisVsFile = e.redis.replayMs / e.file.replayMs;
  return metrics;
}

/** What each cell lost or duplicated (all zero in a good run), as notes and one printed line. */
function checksOf({ c, e }: Measured): { lost: number; duplicated: number; notes: string[]; line: string } {
  const cells: Array<[string, { lost: number; duplicated: number }]> = [
    ...C_CELLS.map(({ name, key }) => [`c ${name}`, c[key]] as [string, CCell]),
    ['e memory', e.memory], ['e file store', e.file], ['e Redis (other instance)', e.redis],
  ];
  const notes = cells.filter(([, r]) => r.lost + r.duplicated > 0).map(([name, r]) => `${name}: ${r.lost} lost, ${r.duplicated} duplicated`);
  return {
    lost: cells.reduce((n, [, r]) => n + r.lost, 0),
    duplicated: cells.reduce((n, [, r]) => n + r.duplicated, 0),
    notes,
    line: cells.map(([name, r]) => `${name} ${r.lost + r.duplicated === 0 ? 'ok' : `${r.lost} lost/${r.duplicated} dup`}`).join(', '),
  };
}

/** One repetition of workload s with `sizes` (sessions, calls, warmup calls per session, steps of e). */
export async function runScaleCell(raw: Record<string, number>): Promise<CellResult> {
  const t = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-bench-s-'));
  const fleet = new Fleet();
  const bound = new AbortController();
  setMaxListeners(0, bound.signal); // one listener per request in flight
  const timer = setTimeout(() => bound.abort(new Error(`workload s exceeded ${CELL_MS} ms`)), CELL_MS);
  try {
    const measured = await Promise.race([
      measure(fleet, dir, sizesOf(raw), bound.signal),
      new Promise<never>((_, reject) => bound.signal.addEventListener('abort', () => reject(bound.signal.reason as Error), { once: true })),
    ]);
    if (typeof measured === 'string') {
      process.stderr.write(`  s: ${measured}\n`);
      return { notes: [measured], wallMs: Date.now() - t };
    }
    const checks = checksOf(measured);
    process.stderr.write(`  s: ${checks.line}\n`);
    return {
      metrics: metricsOf(measured), lost: checks.lost, duplicated: checks.duplicated, notes: checks.notes, wallMs: Date.now() - t,
      // The point of the Redis replay is another instance than the call's serving it.
      ...(measured.e.redis.otherInstance ? {} : { error: 'e Redis: the replay was served by the instance that ran the call' }),
    };
  } catch (error) {
    return { error: (error as Error).message, wallMs: Date.now() - t };
  } finally {
    clearTimeout(timer);
    bound.abort();
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
