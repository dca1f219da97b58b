/**
 * `npm run bench [-- options]`: mcpwire against the official SDK and the raw ceiling, on
 * this machine, in one run. Prints one table of medians, writes JSON lines to
 * bench/results/<timestamp>.jsonl, and with --readme puts the table in bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatFlags, formatTable } from './report.ts';
import { runBench, type BenchReport } from './runner.ts';
import { BENCH_DIR } from './paths.ts';

const HELP = `Usage: npm run bench -- [options]

  --workload LIST   a,b,c,d,e,f,g,h,i or row ids (b-sse, b-json, f-elicit...); default all
  --impl LIST       mcpwire,sdk1,sdk2,raw (default: all four)
  --reps N          repetitions per cell; the table shows medians (default 5)
  --smoke           tiny sizes: checks that everything runs, measures nothing
  --source          run the library from its TypeScript source instead of dist/
  --out FILE        JSON lines file (default bench/results/<timestamp>.jsonl)
  --readme          write the table into bench/README.md
  --pin CPU         run every process of the run on that one CPU (taskset -c CPU): both ends of
                    a stdio pipe then hand over on one core, instead of waking each other across
                    cores, the scheduler's choice that makes h bimodal (bench/README.md)
  -h, --help        this help
`;

const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** How the run's paired rows read (none: empty). */
function pairedLegend(report: BenchReport): string {
  const ids = report.workloads.filter((w) => w.paired).map((w) => w.id);
  if (ids.length === 0) return '';
  return `Paired rows (${ids.join(', ')}): each repetition ran the reference, mcpwire and raw back to back; their ratio to the reference `
    + 'and "of raw" are the medians of the per-repetition ratios (lowest-highest, pairs).';
}

function readmeBlock(report: BenchReport, table: string, flagText: string): string {
  const m = report.machine;
  const date = new Date().toISOString().slice(0, 10);
  const legend = pairedLegend(report);
  return [
    `Run on ${date}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, SDK ${m.sdk1}; `
      + `medians of ${Math.max(...report.reps.map((r) => r.rep))} repetitions; wall time ${(report.wallMs / 1000).toFixed(0)} s.`,
    ...(legend ? ['', legend] : []),
    '',
    table,
    '',
    flagText,
  ].join('\n');
}

/** Run this same command again under `taskset -c cpu`: its cells' processes inherit the affinity. */
function pinned(cpu: string): number {
  if (!/^\d+$/.test(cpu)) throw new Error(`--pin takes one CPU number, got ${cpu}`);
  const run = spawnSync('taskset', ['-c', cpu, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, MCPWIRE_BENCH_PINNED: cpu },
  });
  if (run.error) throw new Error(`--pin needs taskset (util-linux): ${run.error.message}`);
  return run.status ?? 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string' }, impl: { type: 'string' }, reps: { type: 'string' },
      smoke: { type: 'boolean' }, source: { type: 'boolean' }, out: { type: 'string' }, readme: { type: 'boolean' },
      pin: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.pin !== undefined && process.env.MCPWIRE_BENCH_PINNED !== values.pin) return pinned(values.pin);
  const reps = Number(values.reps ?? (values.smoke ? 1 : 5));
  if (!Number.isSafeInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = values.out ?? fileURLToPath(new URL(`./results/${stamp}.jsonl`, BENCH_DIR));
  const report = await runBench({
    workloads: list(values.workload), impls: list(values.impl), reps, out,
    smoke: values.smoke === true, source: values.source === true,
    onCell: (r) => process.stderr.write(`  ${r.workload.padEnd(8)} ${r.impl.padEnd(8)} rep ${r.rep}  ${(r.wallMs / 1000).toFixed(1)} s`
      + `${r.error ? `  FAILED: ${r.error.split('\n')[0]}` : ''}${(r.lost ?? 0) + (r.duplicated ?? 0) > 0 ? `  lost ${r.lost}, duplicated ${r.duplicated}` : ''}\n`),
  });
  const table = formatTable(report.rows, report.labels, report.flags);
  const flagText = formatFlags(report.flags, report.labels);
  process.stdout.write(`\n${table}\n\n${flagText}\n\nx SDK: how many times better mcpwire is than that SDK (higher-is-better metrics: mcpwire/SDK; `
    + 'lower-is-better: SDK/mcpwire). of raw: mcpwire as a fraction of the raw ceiling, repetition by repetition, median (target 80%); '
    + `a paired target cell adds raw's own ratio.\n${pairedLegend(report) ? `${pairedLegend(report)}\n` : ''}`
    + `${values.pin === undefined ? '' : `every process pinned to CPU ${values.pin} (--pin)\n`}wall time ${(report.wallMs / 1000).toFixed(1)} s; JSON lines in ${out}\n`);
  if (values.readme) {
    const path = fileURLToPath(new URL('./README.md', BENCH_DIR));
    const text = readFileSync(path, 'utf8');
    const start = '<!-- bench-table:start -->';
    const end = '<!-- bench-table:end -->';
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a === -1 || b < a) throw new Error(`bench/README.md has no ${start} ... ${end} block`);
    writeFileSync(path, `${text.slice(0, a + start.length)}\n${readmeBlock(report, table, flagText)}\n${text.slice(b)}`);
  }
  return report.reps.some((r) => r.error !== undefined) ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 2;
});
