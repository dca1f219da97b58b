/**
 * Run a set of cells: repetitions outermost and the implementations rotated within each, so
 * drift on the machine (thermal, other load) spreads over every implementation alike.
 * Every repetition is written as a JSON line as soon as it ends.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname } from 'node:path';
import { makeDirs } from 'mcpwire/transport';
import { IMPLEMENTATIONS, implementation, runs } from './adapters/index.ts';
import { runCell, type CellOptions } from './cells.ts';
import { flags, summarize, type Flag, type RepRecord, type SummaryRow } from './report.ts';
import { selectWorkloads, type WorkloadSpec } from './workloads.ts';

export interface BenchOptions {
  workloads?: readonly string[];
  impls?: readonly string[];
  reps: number;
  smoke: boolean;
  source: boolean;
  /** JSON lines file; none when undefined. */
  out?: string;
  timeoutMs?: number;
  /** Cells run at once. Default 1: measurements need the machine to themselves (the smoke test runs several). */
  concurrency?: number;
  /** Told after each cell. */
  onCell?: (record: RepRecord) => void;
}

export interface BenchReport {
  machine: Machine;
  workloads: WorkloadSpec[];
  labels: Record<string, string>;
  reps: RepRecord[];
  rows: SummaryRow[];
  flags: Flag[];
  wallMs: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  sdk1: string;
}

function packageVersion(relative: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    sdk1: packageVersion('../node_modules/@modelcontextprotocol/sdk/package.json'),
  };
}

/**
 * The order of one repetition's cells: rotated by repetition. A paired workload runs its
 * reference, mcpwire and raw first, back to back, mcpwire in the middle so that both of its
 * ratios (to the reference, and "of raw") read neighbours; the three reversed every other
 * repetition, so each neighbour leads in half the pairs.
 */
export function cellOrder<T extends { name: string }>(order: readonly T[], w: WorkloadSpec, rep: number): T[] {
  const shift = (rep - 1) % Math.max(1, order.length);
  const rotated = [...order.slice(shift), ...order.slice(0, shift)];
  if (!w.paired) return rotated;
  const group = [w.compareWith ?? 'sdk1', 'mcpwire', 'raw'];
  if (rep % 2 === 0) group.reverse();
  const first = group.map((name) => rotated.find((i) => i.name === name)).filter((i): i is T => i !== undefined);
  return [...first, ...rotated.filter((i) => !first.includes(i))];
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = Date.now();
  const workloads = selectWorkloads(options.workloads ?? []);
  const impls = options.impls && options.impls.length > 0
    ? options.impls.map(implementation)
    : IMPLEMENTATIONS.filter((i) => i.byDefault);
  const labels = Object.fromEntries(impls.map((i) => [i.name, i.label]));
  const info = machine();
  const write = (line: object) => { if (options.out) appendFileSync(options.out, `${JSON.stringify(line)}\n`); };
  // Not mkdirSync({ recursive: true }): on Node 20 it loops for ever when an existing parent
  // cannot hold a folder (`--out /proc/self/x/r.jsonl`); makeDirs fails with mkdir's error.
  if (options.out) {
    const out = options.out;
    await makeDirs(dirname(out), 0o777).catch((cause: unknown) => {
      throw new Error(`--out ${out}: cannot make its folder: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    });
  }
  write({ type: 'run', startedAt: new Date(started).toISOString(), machine: info, reps: options.reps, smoke: options.smoke,
    workloads: workloads.map((w) => w.id), impls: impls.map((i) => i.name) });

  const cellOptions: CellOptions = { source: options.source, smoke: options.smoke, timeoutMs: options.timeoutMs ?? 180_000 };
  const queue: Array<{ rep: number; w: WorkloadSpec; impl: string }> = [];
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const w of workloads) {
      for (const impl of cellOrder(impls.filter((i) => runs(i, w.id)), w, rep)) queue.push({ rep, w, impl: impl.name });
    }
  }
  const reps: RepRecord[] = [];
  const worker = async () => {
    for (let cell = queue.shift(); cell; cell = queue.shift()) {
      const record: RepRecord = { workload: cell.w.id, impl: cell.impl, rep: cell.rep, ...(await runCell(cell.impl, cell.w, cellOptions)) };
      reps.push(record);
      write({ type: 'rep', ...record });
      options.onCell?.(record);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  // Show borrowed numbers under the workload that borrows them.
  const borrowed = impls.flatMap((impl) => Object.entries(impl.sameAs ?? {})
    .filter(([to]) => workloads.some((w) => w.id === to))
    .flatMap(([to, from]) => reps.filter((r) => r.impl === impl.name && r.workload === from).map((r) => ({ ...r, workload: to }))));
  const rows = summarize(workloads, [...reps, ...borrowed]);
  const flagList = flags(reps);
  for (const row of rows) write({ type: 'summary', ...row });
  const wallMs = Date.now() - started;
  write({ type: 'end', wallMs, flags: flagList });
  return { machine: info, workloads, labels, reps, rows, flags: flagList, wallMs };
}
