/**
 * The instruction counter (issue #20): instructions a call, in total and per function, of the
 * bench's HTTP server (b-sse, b-json) or its stdio server or client (h), under callgrind.
 *
 *   npm run count -- http  [--mode sse|json|raw|raw-json|modern-json|modern-sse[,...]] [--max-streams N] [--sessions S]   (warm-up 10,000)
 *   npm run count -- http --side client [--mode sse|json] [--sessions S] [--impl mcpwire,raw]
 *   npm run count -- stdio [--side server|client] [--impl mcpwire,raw]      (warm-up 8,000)
 *   npm run count -- http [--side client] --workload f-elicit|f-sample|d|m-f   (per round trip or notification;
 *     m-f: the 2026-07-28 round trip, server --mode modern-json|modern-sse, client --impl mcpwire,sdk2 own clients)
 *     common: [--warmup W] [--calls 2000,6000] [--repeat 1] [--top 40] [--out DIR]
 *             [--from DIR] [--reply-timeout 1200] [--callers NAME] [--callees NAME]
 *   npm run count -- work [--side client] --workload f-elicit|f-sample|d|m-f [...]   (http's options and targets,
 *     run natively with the work probe: async resources by type and bytes allocated a round trip, work.ts)
 *     [--stacks [--stack-frames 8]]   (and the resources by the stack that made them, innermost F frames)
 *   npm run count -- compare BEFORE AFTER CALLS | BEFORE_DIR AFTER_DIR [--top 40]
 *
 * (`npm run count` builds first; `node .bench-build/count/main.js ...` runs without building.)
 * Each target (a mode or an implementation) is run twice under callgrind (launch.ts), W warm-up
 * calls and then N or M calls, the two runs side by side; the difference over M - N is printed
 * per call: start-up, warm-up and exit cancel. With two targets, the first minus the second is
 * printed per function too. `--callers NAME` prints, per function whose name contains NAME, its
 * calls a call by caller with their inclusive instructions (`--callees NAME` what it calls), so
 * a costly builtin is traced to the sites that reach it. Compare mode: compare.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { implementation } from '../adapters/index.ts';
import { readCountedRun, type CountedRun } from './callgrind-files.ts';
import { compare } from './compare.ts';
import { httpTarget, HTTP_MODES } from './http-target.ts';
import { CLIENT_MODES, httpClientTarget } from './http-client-target.ts';
import { countedRun, type Target } from './launch.ts';
import { callsPerCall, differenceOf, meanOf, perCall, type PerCall } from './per-call.ts';
import { STDIO_SIDES, stdioTarget } from './stdio-target.ts';
import { MODERN_TRIP, TRIP_WORKLOADS, tripClientTarget, tripServerTarget } from './trips-target.ts';
import { benchBuild, callPair, usage, wholeNumber } from './options.ts';
import { workLines, workPerTrip, workRun } from './work.ts';
import type { WorkCounts } from './work-probe.ts';
import { allRows, callLines, differenceLines, fmt, resultLines } from './tables.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: 'string' },
    'max-streams': { type: 'string' },
    // Sessions at once (bench c's shape); 1 (when not given) is b's single session. No
    // parseArgs default: a default would make it look given to stdio, which refuses it.
    sessions: { type: 'string' },
    side: { type: 'string' },
    /** b (sequential echo calls, the default) or a shape counted per round trip / notification. */
    workload: { type: 'string' },
    impl: { type: 'string' },
    warmup: { type: 'string' },
    calls: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    top: { type: 'string', default: '40' },
    /** Keep the runs' files in DIR (otherwise a temporary folder, removed at the end). */
    out: { type: 'string' },
    /** Read the runs an earlier `--out DIR` kept instead of running again. */
    from: { type: 'string' },
    /** Seconds the start or one answer may take under valgrind before the run is abandoned. */
    'reply-timeout': { type: 'string', default: '1200' },
    /** Who calls the functions whose names contain this, per call (with `--from`, from kept runs). */
    callers: { type: 'string' },
    /** What the functions whose names contain this call, per call. */
    callees: { type: 'string' },
    /** count work: also count the async resources by the stack that made them. */
    stacks: { type: 'boolean' },
    /** count work --stacks: how many frames of that stack, innermost first (default 8). */
    'stack-frames': { type: 'string' },
  },
});

const [given, ...rest] = positionals;
/** `work` drives http's targets, natively with the work probe instead of under callgrind. */
const work = given === 'work';
const command = work ? 'http' : given;
const top = wholeNumber('top', values.top, 1);
if (command === 'compare') {
  try {
    compare(rest, top);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  process.exit(0);
}
if (command !== 'http' && command !== 'stdio') usage(`the first argument must be http, stdio, work or compare, got ${String(command)}`);
if (work && values.workload === undefined) usage('count work takes --workload f-elicit, f-sample, d or m-f (its unit is a round trip or a notification)');
if (work && (values.callers !== undefined || values.callees !== undefined)) usage('--callers and --callees are callgrind\'s: not options of count work');
if (!work && (values.stacks !== undefined || values['stack-frames'] !== undefined)) usage('--stacks and --stack-frames are options of count work (the work probe\'s)');
if (values['stack-frames'] !== undefined && values.stacks !== true) usage('--stack-frames needs --stacks');
/** Frames of each resource's stack kept by count work --stacks (0: no stacks). */
const stackFrames = values.stacks === true ? wholeNumber('stack-frames', values['stack-frames'] ?? '8', 1) : 0;
const warmup = wholeNumber('warmup', values.warmup ?? (work ? '300' : command === 'http' ? '10000' : '8000'), 0);
const [fewer, more] = callPair(values.calls ?? (work ? '300,1300' : '2000,6000'));
const repeats = wholeNumber('repeat', values.repeat, 1);
const replyMs = wholeNumber('reply-timeout', values['reply-timeout'], 1) * 1000;
const sessions = wholeNumber('sessions', values.sessions ?? '1', 1);

const side = values.side ?? 'server';
const foreign = command === 'stdio' ? ['mode', 'max-streams', 'sessions', 'workload'] as const : side === 'client' ? ['max-streams'] as const : ['impl'] as const;
for (const name of foreign) if (values[name] !== undefined) usage(`--${name} is not an option of ${command}${command === 'http' ? ` --side ${side}` : ''}`);
const workload = values.workload ?? 'b';
if (workload !== 'b') {
  if (!(TRIP_WORKLOADS as readonly string[]).includes(workload)) usage(`--workload takes b, ${TRIP_WORKLOADS.join(', ')}, got ${workload}`);
  // One call carries the round trips: one session, SSE (a server request needs a stream), no kept-stream experiment.
  for (const name of ['sessions', 'max-streams'] as const) if (values[name] !== undefined) usage(`--${name} is not an option of --workload ${workload}`);
}
const targets: Target[] = [];
/** The compiled scripts, looked for once the options were checked. */
const scripts = () => ({ serverMain: benchBuild('server-main.js'), clientMain: benchBuild('client-main.js') });
/** `--impl`'s implementations, each known to the bench. */
// m-f's clients are the implementations' own 2026-07-28 ones (raw has none).
const impls = (): string[] => (values.impl ?? (workload === MODERN_TRIP ? 'mcpwire,sdk2' : 'mcpwire,raw')).split(',').map((impl) => {
  try {
    implementation(impl);
  } catch (error) {
    usage((error as Error).message);
  }
  return impl;
});
if (command === 'http' && side === 'client') {
  // The client's side of b (one session) or c (--sessions S at once), each implementation against its own server.
  const mode = values.mode ?? (workload === MODERN_TRIP ? 'json' : 'sse');
  if (!(CLIENT_MODES as readonly string[]).includes(mode)) usage(`--mode of --side client takes ${CLIENT_MODES.join(' or ')} (raw is --impl raw), got ${mode}`);
  if (workload === MODERN_TRIP && mode !== 'json') usage(`--workload ${workload} runs with JSON replies only (the m-f row's), got --mode ${mode}`);
  if (workload !== 'b' && workload !== MODERN_TRIP && mode !== 'sse') usage(`--workload ${workload} runs with SSE replies only, got --mode ${mode}`);
  for (const impl of impls()) targets.push(workload === 'b' ? httpClientTarget(impl, mode, sessions, scripts(), replyMs) : tripClientTarget(impl, workload, scripts(), replyMs));
} else if (command === 'http') {
  if (side !== 'server') usage(`--side takes server or client, got ${side}`);
  for (const mode of (values.mode ?? (workload === MODERN_TRIP ? 'modern-json' : 'sse')).split(',')) {
    if (!(HTTP_MODES as readonly string[]).includes(mode)) usage(`--mode takes ${HTTP_MODES.join(', ')}, got ${mode}`);
    if (workload === MODERN_TRIP && !mode.startsWith('modern-')) usage(`--workload ${workload} runs with 2026-07-28 replies only (modern-json or modern-sse), got --mode ${mode}`);
    if (workload !== 'b' && workload !== MODERN_TRIP && mode !== 'sse' && mode !== 'raw') usage(`--workload ${workload} runs with 2025-11-25 SSE replies only (sse or raw), got --mode ${mode}`);
    targets.push(workload === 'b' ? httpTarget(benchBuild('count/server.js'), mode, values['max-streams'], replyMs, sessions)
      : tripServerTarget(benchBuild('count/server.js'), mode, workload, scripts(), replyMs));
  }
} else {
  if (!(STDIO_SIDES as readonly string[]).includes(side)) usage(`--side takes ${STDIO_SIDES.join(' or ')}, got ${side}`);
  for (const impl of impls()) targets.push(stdioTarget(side, impl, scripts(), replyMs));
}

if (values.from !== undefined && !existsSync(values.from)) usage(`--from ${values.from}: no such folder`);
const out = values.from ?? values.out ?? mkdtempSync(join(tmpdir(), 'mcpwire-count-'));
mkdirSync(out, { recursive: true });
const kept = values.from !== undefined || values.out !== undefined;
console.log(`count: ${targets.map((t) => t.name).join(', ')}; warm-up ${fmt(warmup)}, runs of ${fmt(fewer)} and ${fmt(more)} calls, ${repeats} repeat(s); files in ${out}`);

if (work) {
  const probe = benchBuild('count/work-probe.js');
  try {
    for (const target of targets) {
      for (let r = 1; r <= repeats; r++) {
        const stop = new AbortController();
        const runs = [fewer, more].map((calls) => {
          const tag = `${target.name}-r${r}-${calls}`;
          if (values.from !== undefined) return Promise.resolve(JSON.parse(readFileSync(join(out, `${tag}.work.json`), 'utf8')) as WorkCounts);
          return workRun(probe, out, tag, target, warmup, calls, replyMs, stop.signal, stackFrames).catch((error: unknown) => {
            stop.abort();
            throw error;
          });
        });
        const [a, b] = await Promise.all(runs) as [WorkCounts, WorkCounts];
        console.log(`\n## ${target.name}, repeat ${r}: work a round trip (runs of ${fmt(fewer)} and ${fmt(more)} after ${fmt(warmup)} warm-up ones)`);
        console.log(workLines(workPerTrip(a, b, more - fewer), top).join('\n'));
      }
    }
  } catch (error) {
    console.error(`${(error as Error).message}\nfiles kept: ${out}`);
    process.exit(1);
  }
  if (kept) console.log(`\nkept: ${out}`);
  else rmSync(out, { recursive: true, force: true });
  process.exit(0);
}

/** One run: counted now, or read back from `--from`. */
function run(target: Target, tag: string, calls: number, signal: AbortSignal): Promise<CountedRun> {
  if (values.from !== undefined) return Promise.resolve(readCountedRun(join(out, tag)));
  return countedRun(out, tag, target, warmup, calls, replyMs, signal);
}

/** A pair of runs side by side (counts do not move with the load); one failing stops the other. */
async function pair(target: Target, r: number): Promise<[CountedRun, CountedRun]> {
  const stop = new AbortController();
  let first: unknown;
  const runs = [fewer, more].map((calls) => run(target, `${target.name}-r${r}-${calls}`, calls, stop.signal).catch((error: unknown) => {
    first ??= error;
    stop.abort();
    throw error;
  }));
  const settled = await Promise.allSettled(runs);
  if (first !== undefined) throw first;
  return settled.map((s) => (s as PromiseFulfilledResult<CountedRun>).value) as [CountedRun, CountedRun];
}

const means: PerCall[] = [];
try {
  for (const target of targets) {
    const results: PerCall[] = [];
    for (let r = 1; r <= repeats; r++) {
      const [a, b] = await pair(target, r);
      const result = perCall(a, b, more - fewer);
      results.push(result);
      // Optimized compilations that differ by more than a few: compiling still moved inside the window.
      console.log(`\n## ${target.name}, repeat ${r}: ${fmt(result.total)} instructions a call (runs of ${fmt(fewer)} and ${fmt(more)} calls after`
        + ` ${fmt(warmup)} warm-up calls, ${fmt(a.total)} and ${fmt(b.total)} in all; optimized compilations ${a.optimized} and ${b.optimized};`
        + ` ${fmt(result.noise)} a call of V8's hash seed set aside)`);
      console.log(resultLines(result, top).join('\n'));
      for (const side of ['callers', 'callees'] as const) {
        const part = values[side];
        if (part === undefined) continue;
        const rows = callsPerCall(a, b, more - fewer, part, side);
        console.log(`\n--${side} ${part}:${rows.length === 0 ? ' no call in the window' : ''}`);
        console.log(callLines(rows, side, top).join('\n'));
      }
      if (kept) writeFileSync(join(out, `${target.name}-r${r}.per-call.txt`), allRows(result));
    }
    if (repeats > 1) {
      const totals = results.map((x) => x.total);
      console.log(`\n${target.name}, ${repeats} repeats: ${totals.map(fmt).join(', ')} a call (spread ${fmt(Math.max(...totals) - Math.min(...totals))}, mean ${fmt(meanOf(results).total)})`);
    }
    means.push(meanOf(results));
  }
} catch (error) {
  console.error(`${(error as Error).message}\nfiles kept: ${out}`);
  process.exit(1);
}
if (targets.length >= 2) {
  const [x, y] = means as [PerCall, PerCall];
  console.log(`\n## ${targets[0]!.name} minus ${targets[1]!.name}: ${fmt(x.total - y.total)} instructions a call${repeats > 1 ? ' (means of the repeats)' : ''};`
    + ' functions of both (C++ and builtins, JIT code both ran), largest differences:');
  console.log(differenceLines(differenceOf(x, y), top).join('\n'));
}
if (kept) console.log(`\nkept: ${out}`);
else rmSync(out, { recursive: true, force: true });
