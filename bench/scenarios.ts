/**
 * The client side of each workload, written once against {@link BenchSession}. Each returns
 * its metrics and counts of lost and duplicated messages (a wrong echo counts as lost).
 * Warm-up work runs first, untimed, so the JIT has seen the hot paths.
 */
import { performance } from 'node:perf_hooks';
import type { BenchSession, ClientAdapter, ClientCounters, StdioCommand } from './adapters/types.ts';
import { runResume } from './resume.ts';
import { connectModern } from './adapters/modern-client.ts';
import { connectOwnModern } from './adapters/modern-own-clients.ts';

export interface ScenarioContext {
  client: ClientAdapter;
  url: string;
  stdio: StdioCommand;
  sizes: Record<string, number>;
  /** The implementation measured (the mc rows pick its own 2026-07-28 client). */
  impl?: string;
}

export interface ScenarioResult {
  metrics: Record<string, number>;
  lost: number;
  duplicated: number;
  notes: string[];
}

const size = (ctx: ScenarioContext, key: string): number => {
  const value = ctx.sizes[key];
  if (value === undefined) throw new Error(`missing size "${key}"`);
  return value;
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sequential echo calls on one session: throughput, latency, CPU per call on both sides. */
async function sequentialEcho(session: BenchSession, calls: number, warmup: number): Promise<ScenarioResult> {
  for (let i = 0; i < warmup; i++) await session.echo(`w${i}`);
  const before = await session.stats(false);
  const latencies = new Float64Array(calls);
  let lost = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    const text = `m${i}`;
    if ((await session.echo(text)) !== text) lost += 1;
    latencies[i] = performance.now() - t;
  }
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const after = await session.stats(false);
  const sorted = [...latencies].sort((x, y) => x - y);
  return {
    metrics: {
      callsPerSec: calls / (elapsed / 1_000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      cpuClientUs: (used.user + used.system) / calls,
      cpuServerUs: (after.cpuUs - before.cpuUs) / calls,
    },
    lost, duplicated: 0, notes: [],
  };
}

async function sessionsPerSecond(ctx: ScenarioContext, counters: ClientCounters): Promise<ScenarioResult> {
  const sessions = size(ctx, 'sessions');
  for (let i = 0; i < size(ctx, 'warmup'); i++) await ctx.client.connectHttp(ctx.url, counters);
  // initialize + initialized, one session after the other; the sessions stay open (the
  // server process is stopped after this run), so no DELETE runs beside the next handshake.
  const started = performance.now();
  for (let i = 0; i < sessions; i++) await ctx.client.connectHttp(ctx.url, counters);
  const elapsed = performance.now() - started;
  return { metrics: { sessionsPerSec: sessions / (elapsed / 1_000) }, lost: 0, duplicated: 0, notes: [] };
}

async function concurrentEcho(ctx: ScenarioContext, counters: ClientCounters, connect = (): Promise<BenchSession> => ctx.client.connectHttp(ctx.url, counters)): Promise<ScenarioResult> {
  const count = size(ctx, 'sessions');
  const calls = size(ctx, 'calls');
  const sessions: BenchSession[] = [];
  for (let i = 0; i < count; i++) sessions.push(await connect());
  await Promise.all(sessions.map(async (s) => { for (let i = 0; i < size(ctx, 'warmup'); i++) await s.echo(`w${i}`); }));
  // The server's CPU is read through one session's stats tool, like b's (one call each side).
  const before = await sessions[0]!.stats(false);
  let lost = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(sessions.map(async (s, k) => {
    for (let i = 0; i < calls; i++) {
      const text = `s${k}m${i}`;
      if ((await s.echo(text)) !== text) lost += 1;
    }
  }));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const after = await sessions[0]!.stats(false);
  await Promise.all(sessions.map((s) => s.close()));
  const total = count * calls;
  return {
    metrics: {
      callsPerSec: total / (elapsed / 1_000),
      cpuClientUs: (used.user + used.system) / total,
      cpuServerUs: (after.cpuUs - before.cpuUs) / total,
    },
    lost, duplicated: 0, notes: [],
  };
}

async function progressFlood(ctx: ScenarioContext, counters: ClientCounters): Promise<ScenarioResult> {
  const steps = size(ctx, 'steps');
  const session = await ctx.client.connectHttp(ctx.url, counters);
  await session.progress(size(ctx, 'warmup'), () => {});
  const seen = new Uint32Array(steps + 1);
  let received = 0;
  let outOfRange = 0;
  const started = performance.now();
  const reply = await session.progress(steps, (value) => {
    received += 1;
    if (Number.isInteger(value) && value >= 1 && value <= steps) seen[value]! += 1;
    else outOfRange += 1;
  });
  const elapsed = performance.now() - started;
  await session.close();
  let lost = 0;
  let duplicated = outOfRange;
  for (let i = 1; i <= steps; i++) {
    if (seen[i] === 0) lost += 1;
    else duplicated += seen[i]! - 1;
  }
  const notes = reply === `done ${steps}` ? [] : [`unexpected reply ${JSON.stringify(reply)}`];
  return { metrics: { notificationsPerSec: received / (elapsed / 1_000) }, lost, duplicated, notes };
}

async function roundTrips(ctx: ScenarioContext, counters: ClientCounters, kind: 'elicit' | 'sample', connect = (): Promise<BenchSession> => ctx.client.connectHttp(ctx.url, counters)): Promise<ScenarioResult> {
  const rounds = size(ctx, 'rounds');
  const session = await connect();
  await session[kind](size(ctx, 'warmup'));
  const answeredBefore = kind === 'elicit' ? counters.elicited : counters.sampled;
  const before = await session.stats(false);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const reply = await session[kind](rounds);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const after = await session.stats(false);
  const answered = (kind === 'elicit' ? counters.elicited : counters.sampled) - answeredBefore;
  await session.close();
  const served = Number(reply);
  return {
    // The CPU figures are shown where a row lists them (m-f).
    metrics: { roundTripsPerSec: rounds / (elapsed / 1_000), cpuClientUs: (used.user + used.system) / rounds, cpuServerUs: (after.cpuUs - before.cpuUs) / rounds },
    lost: Math.max(0, rounds - Math.min(served, answered)),
    duplicated: Math.max(0, answered - rounds),
    notes: served === rounds ? [] : [`server counted ${reply} answers of ${rounds}`],
  };
}

async function idleMemory(ctx: ScenarioContext, counters: ClientCounters): Promise<ScenarioResult> {
  const count = size(ctx, 'sessions');
  // Warm sessions load and compile everything a session touches; they stay open, in the baseline.
  const probe = await ctx.client.connectHttp(ctx.url, counters);
  for (let i = 0; i < size(ctx, 'warmup'); i++) await ctx.client.connectHttp(ctx.url, counters);
  await sleep(size(ctx, 'settleMs'));
  const before = await probe.stats(true);
  // Ten handshakes at a time: this row weighs sessions, it does not time their opening.
  for (let opened = 0; opened < count; opened += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - opened) }, () => ctx.client.connectHttp(ctx.url, counters)));
  }
  // Let each client's standalone GET stream open before weighing.
  await sleep(size(ctx, 'settleMs'));
  const after = await probe.stats(true);
  const perThousand = (bytes: number) => (bytes / count) * 1_000 / (1024 * 1024);
  // The sessions are left open: the server process is stopped after this run.
  return {
    metrics: { rssMbPer1000: perThousand(after.rss - before.rss), heapMbPer1000: perThousand(after.heapUsed - before.heapUsed) },
    lost: 0, duplicated: 0, notes: [],
  };
}

/** Run workload `id` from the client process. */
export async function runScenario(id: string, ctx: ScenarioContext): Promise<ScenarioResult> {
  const counters: ClientCounters = { elicited: 0, sampled: 0 };
  switch (id) {
    case 'a': return sessionsPerSecond(ctx, counters);
    case 'b-sse':
    case 'b-json':
    case 'b-sse-trace':
    case 'b-std': {
      const session = await ctx.client.connectHttp(ctx.url, counters);
      try {
        return await sequentialEcho(session, size(ctx, 'calls'), size(ctx, 'warmup'));
      } finally {
        await session.close();
      }
    }
    case 'c':
    case 'c-json': return concurrentEcho(ctx, counters);
    case 'd': return progressFlood(ctx, counters);
    case 'e': return runResume(ctx.url, size(ctx, 'steps'), size(ctx, 'cut'));
    case 'f-elicit': return roundTrips(ctx, counters, 'elicit');
    case 'f-sample': return roundTrips(ctx, counters, 'sample');
    case 'g': return idleMemory(ctx, counters);
    case 'h':
    case 'h-trace': {
      const session = await ctx.client.connectStdio(ctx.stdio, counters);
      try {
        return await sequentialEcho(session, size(ctx, 'calls'), size(ctx, 'warmup'));
      } finally {
        await session.close();
      }
    }
    // 2026-07-28 rows: the same plain-fetch stateless client against every server.
    case 'm-b-json':
    case 'm-b-sse': return sequentialEcho(connectModern(ctx.url, counters), size(ctx, 'calls'), size(ctx, 'warmup'));
    case 'm-c': return concurrentEcho(ctx, counters, async () => connectModern(ctx.url, counters));
    case 'm-f': return roundTrips(ctx, counters, 'elicit', async () => connectModern(ctx.url, counters));
    // The same rows with the implementation's own 2026-07-28 client (issue #14).
    case 'mc-b-json':
    case 'mc-b-sse': {
      const session = await connectOwnModern(ctx.impl ?? '', ctx.url, counters);
      try {
        return await sequentialEcho(session, size(ctx, 'calls'), size(ctx, 'warmup'));
      } finally {
        await session.close();
      }
    }
    case 'mc-c': return concurrentEcho(ctx, counters, () => connectOwnModern(ctx.impl ?? '', ctx.url, counters));
    case 'mc-f': return roundTrips(ctx, counters, 'elicit', () => connectOwnModern(ctx.impl ?? '', ctx.url, counters));
    default: throw new Error(`unknown workload ${id}`);
  }
}
