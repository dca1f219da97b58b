/**
 * Count the server's instructions per echo call (issue #20's b row) under callgrind:
 *
 *   npm run build && npx tsc -p tsconfig.bench.json
 *   node --import tsx bench/count/run.ts [--mode sse|json|raw] [--warmup 10000]
 *     [--calls 2000,6000] [--repeat 1] [--max-streams N] [--sessions 1] [--top 40] [--out DIR]
 *
 * Each repeat runs the server (server.ts, from `.bench-build`) twice under `valgrind
 * --tool=callgrind --dump-instr=no` with `node --single-threaded --perf-basic-prof` (V8's
 * compiler and collector then run on the main thread and are counted), drives one session of
 * `warmup + calls` sequential calls (driver.ts), stops it with SIGTERM, and subtracts: start,
 * warm-up and exit cancel, leaving the calls' own work. It prints the difference per call,
 * in total and per function (self instructions; JIT-compiled JS named from V8's perf map), and
 * the optimized compilations of each run (the perf map's `JS:*` entries): when the counts differ
 * by more than a few, compiling still moved inside the window and the warm-up is too short.
 * The callgrind files, annotations, perf maps and V8's logs stay in `--out` (default: a new temporary
 * folder; the server runs there, as `--perf-basic-prof` writes an `isolate-*.log` into its folder).
 */
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { driveSession } from './driver.ts';
import { driveSessions } from './driver-many.ts';
import { diffRuns, readRun, type CountedRun } from './annotate.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'sse' },
    warmup: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '2000,6000' },
    repeat: { type: 'string', default: '1' },
    'max-streams': { type: 'string' },
    // Sessions at once (bench c's shape, driver-many.ts); 1 is b's single session.
    sessions: { type: 'string', default: '1' },
    top: { type: 'string', default: '40' },
    out: { type: 'string' },
  },
});

const root = resolve(import.meta.dirname, '..', '..');
const serverJs = join(root, '.bench-build', 'count', 'server.js');
if (!existsSync(serverJs)) {
  process.stderr.write(`count: ${serverJs} is missing: run \`npm run build && npx tsc -p tsconfig.bench.json\` first\n`);
  process.exit(2);
}
const mode = values.mode;
const warmup = Number(values.warmup);
const [fewer, more] = values.calls.split(',').map(Number) as [number, number];
const repeats = Number(values.repeat);
const top = Number(values.top);
if (!(Number.isSafeInteger(warmup) && warmup >= 0 && Number.isSafeInteger(fewer) && Number.isSafeInteger(more) && more > fewer && fewer >= 0)) {
  process.stderr.write('count: --warmup W and --calls N,M need whole numbers with M > N\n');
  process.exit(2);
}
const out = values.out ?? mkdtempSync(join(tmpdir(), 'mcpwire-count-'));
mkdirSync(out, { recursive: true });

/** Where `--perf-basic-prof` writes `perf-<pid>.map`: fixed in V8, no flag moves it in Node 20. */
const V8_PERF_MAP_DIR = '/tmp';

/** Milliseconds a server gets to start or to exit under callgrind (it runs ~50x slower). */
const SLOW_MS = 15 * 60_000;

/** One server run under callgrind: `calls` counted calls after the warm-up. */
async function countedRun(label: string, calls: number): Promise<CountedRun> {
  const env = { ...process.env };
  if (values['max-streams'] !== undefined) env.MCPWIRE_BENCH_MAX_STREAMS = values['max-streams'];
  const child = spawn('valgrind', [
    '--tool=callgrind', '--dump-instr=no', `--callgrind-out-file=${join(out, `${label}.callgrind`)}`,
    process.execPath, '--single-threaded', '--perf-basic-prof', serverJs, '--mode', mode,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: out });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((found, failed) => {
    let seen = '';
    const timer = setTimeout(() => failed(new Error(`count: no "ready" from the server in ${SLOW_MS} ms`)), SLOW_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /ready (\S+)\n/.exec(seen);
      if (match) {
        clearTimeout(timer);
        found(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      failed(new Error(`count: the server exited (${code}) before it was ready: ${stderr}`));
    });
  });
  const sessions = Number(values.sessions);
  const driven = sessions === 1 ? await driveSession(url, warmup + calls, mode === 'raw')
    : await driveSessions(url, sessions, warmup + calls, mode === 'raw');
  if (driven.wrong !== 0) throw new Error(`count: ${driven.wrong} of ${driven.calls} echo replies were wrong`);
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'late'>((late) => setTimeout(() => late('late'), SLOW_MS).unref())]);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(`count: the server under callgrind ended with ${code}: ${stderr}`);
  }
  // valgrind keeps the pid, which names V8's map.
  const map = join(out, `${label}.perf.map`);
  const written = join(V8_PERF_MAP_DIR, `perf-${child.pid}.map`);
  copyFileSync(written, map);
  rmSync(written);
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', join(out, `${label}.callgrind`)], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(join(out, `${label}.annotated.txt`), annotated);
  return readRun(annotated, readFileSync(map, 'utf8'));
}

process.stdout.write(`count: mode ${mode}, warm-up ${warmup}, calls ${fewer} and ${more}, ${repeats} repeat(s); files in ${out}\n`);
const totals: number[] = [];
for (let r = 1; r <= repeats; r++) {
  const a = await countedRun(`r${r}-${fewer}`, fewer);
  const b = await countedRun(`r${r}-${more}`, more);
  const diff = diffRuns(a, b, more - fewer);
  totals.push(diff.total);
  process.stdout.write(`\nrepeat ${r}: ${Math.round(diff.total).toLocaleString('en')} instructions a call `
    + `(runs: ${a.total.toLocaleString('en')} and ${b.total.toLocaleString('en')}); optimized compilations ${a.optimized} and ${b.optimized}\n`);
  for (const row of diff.rows.slice(0, top)) {
    process.stdout.write(`${Math.round(row.perCall).toLocaleString('en').padStart(10)}  ${row.name}\n`);
  }
  writeFileSync(join(out, `r${r}.diff.txt`), diff.rows.map((row) => `${row.perCall.toFixed(1)}\t${row.name}`).join('\n') + '\n');
}
if (repeats > 1) {
  const rounded = totals.map((t) => Math.round(t).toLocaleString('en'));
  process.stdout.write(`\nper call, ${repeats} repeats: ${rounded.join(', ')} (spread ${Math.round(Math.max(...totals) - Math.min(...totals)).toLocaleString('en')})\n`);
}
