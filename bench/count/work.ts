/**
 * `count work`: the work a round trip (or a notification) costs, counted rather than timed, in
 * the same processes the instruction counter drives (trips-target.ts), run natively with the
 * work probe (work-probe.ts): async resources made by type (promises first), and bytes
 * allocated in all and by function. Two runs, W warm-up round trips and then N or M more; the
 * longer minus the shorter, over M - N, is one round trip's (start-up, warm-up and exit cancel).
 * Minutes at any load, where callgrind takes hours: the measure for promises and allocations.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { within, type Target } from './launch.ts';
import type { WorkCounts } from './work-probe.ts';

/** One round trip's work: the difference of two runs over the round trips between them. */
export interface WorkPerTrip {
  resources: Map<string, number>;
  bytes: number;
  byFunction: Map<string, number>;
  /** With `--stacks`: resources by type and the stack that made them (`TYPE\n  at frame...`). */
  stacks?: Map<string, number>;
}

/**
 * Run `target` natively with the probe (`probeJs`) for `warmup` and then `calls` calls; the
 * probe's counts are read from `<out>/<tag>.work.json`. An abort of `signal` kills it.
 */
export async function workRun(probeJs: string, out: string, tag: string, target: Target, warmup: number, calls: number, exitMs: number, signal: AbortSignal, stackFrames = 0): Promise<WorkCounts> {
  const file = join(out, `${tag}.work.json`);
  rmSync(file, { force: true });
  const stacks = stackFrames > 0 ? { MCPWIRE_WORK_STACKS: String(stackFrames) } : {};
  const child = spawn(process.execPath, ['--import', probeJs, ...target.nodeArgs], {
    stdio: ['pipe', 'pipe', 'pipe'], cwd: out, env: { ...process.env, ...target.env, MCPWIRE_WORK_OUT: file, ...stacks },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  child.stdin.on('error', () => {}); // a process that dies is reported by its exit
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => done(code));
    child.once('error', (error) => {
      stderr += `${error.message}\n`;
      done(null);
    });
  });
  const abandon = () => child.kill('SIGKILL');
  signal.addEventListener('abort', abandon, { once: true });
  const failed = (why: string) => new Error(`count work: ${tag}: ${why}${stderr ? `: ${stderr}` : ''}`);
  let code: number | null;
  try {
    await target.drive({ child, exited, stderr: () => stderr }, warmup, calls);
    code = await within(exited, exitMs, 'the exit');
  } catch (error) {
    child.kill('SIGKILL');
    throw failed(error instanceof Error ? error.message : String(error));
  } finally {
    signal.removeEventListener('abort', abandon);
  }
  if (code !== 0) throw failed(`the process ended with ${code}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WorkCounts;
  } catch (error) {
    throw failed(`the probe wrote no counts (${(error as Error).message})`);
  }
}

/** `more` minus `fewer` over `calls`: one round trip's work. */
export function workPerTrip(fewer: WorkCounts, more: WorkCounts, calls: number): WorkPerTrip {
  const difference = (a: Record<string, number>, b: Record<string, number>) => {
    const rows = new Map<string, number>();
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const per = ((b[key] ?? 0) - (a[key] ?? 0)) / calls;
      // Under one in 200 round trips: a start-up or exit difference, not the round trip's.
      if (Math.abs(per) >= 0.005) rows.set(key, per);
    }
    return rows;
  };
  return {
    resources: difference(fewer.resources, more.resources), bytes: (more.bytes - fewer.bytes) / calls, byFunction: difference(fewer.byFunction, more.byFunction),
    ...(fewer.stacks && more.stacks ? { stacks: difference(fewer.stacks, more.stacks) } : {}),
  };
}

/** The printed lines of one round trip's work: resources by type, bytes, the top allocating functions. */
export function workLines(work: WorkPerTrip, top: number): string[] {
  const one = (n: number) => (Math.abs(n) >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  const lines = ['async resources a round trip, by type:'];
  const types = [...work.resources].sort((a, b) => b[1] - a[1]);
  if (types.length === 0) lines.push('  none');
  for (const [type, n] of types) lines.push(`${one(n).padStart(10)}  ${type}`);
  // Each stack the probe takes allocates its call sites on the counted heap (f-elicit: ~50 KB a round trip more).
  const stackBytes = work.stacks ? '; with --stacks, the probe\'s own stack captures included: read bytes from a run without it' : '';
  lines.push(`bytes allocated a round trip (sampled every ~128 B, collected objects included${stackBytes}): ${one(work.bytes)}`);
  for (const [site, bytes] of [...work.byFunction].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, top)) {
    lines.push(`${one(bytes).padStart(10)}  ${site.slice(0, 160)}`);
  }
  if (work.stacks) {
    lines.push('async resources a round trip, by the stack that made them (innermost frame first):');
    const stacks = [...work.stacks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top);
    if (stacks.length === 0) lines.push('  none');
    for (const [stack, n] of stacks) {
      const [type, ...frames] = stack.split('\n');
      lines.push(`${one(n).padStart(10)}  ${type}`, ...frames.map((frame) => `            ${frame.trim()}`));
    }
  }
  return lines;
}
