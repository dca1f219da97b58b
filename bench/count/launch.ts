/**
 * One counted run: a node process under `valgrind --tool=callgrind --dump-instr=no`, with
 * `node --single-threaded --perf-basic-prof` (V8's compiler and collector then run on the main
 * thread and are counted; V8 writes the perf map that names its JIT code), driven through its
 * calls by a target (http-target.ts, stdio-target.ts), then read (callgrind-files.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCountedRun, type CountedRun } from './callgrind-files.ts';

/** The process being counted, as a target drives it. */
export interface Counted {
  child: ChildProcessWithoutNullStreams;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** The last 4,000 characters it wrote on stderr, for errors. */
  stderr(): string;
}

/** What is counted and how it is driven. */
export interface Target {
  /** Its name in headings and file names: `http-sse`, `stdio-server-raw`, ... */
  name: string;
  /** Node's arguments after the counter's flags: the script and its own arguments. */
  nodeArgs: string[];
  env?: Record<string, string>;
  /**
   * Make `warmup` calls and then `calls` more, and have the process exit normally: callgrind
   * writes its counts and V8 its perf map only then. A thrown error abandons the run.
   */
  drive(counted: Counted, warmup: number, calls: number): Promise<void>;
}

/** Where `--perf-basic-prof` writes `perf-<pid>.map`: fixed in V8 on Linux; no flag moves it in Node 20. */
const V8_PERF_MAP_DIR = '/tmp';

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, failed) => {
    timer = setTimeout(() => failed(new Error(`${what} took more than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Run `target` under callgrind for `warmup` and then `calls` calls, its files `<out>/<tag>.callgrind`,
 * `.perf.map` and `.valgrind.log`; the process runs in `out` (V8 writes an `isolate-*.log`
 * into its folder under `--perf-basic-prof`, which must not land in the checkout). An abort of
 * `signal` kills it.
 */
export async function countedRun(
  out: string, tag: string, target: Target, warmup: number, calls: number, exitMs: number, signal: AbortSignal,
): Promise<CountedRun> {
  const child = spawn('valgrind', [
    '--tool=callgrind', '--dump-instr=no', `--callgrind-out-file=${join(out, `${tag}.callgrind`)}`,
    `--log-file=${join(out, `${tag}.valgrind.log`)}`,
    process.execPath, '--single-threaded', '--perf-basic-prof', ...target.nodeArgs,
  ], { stdio: ['pipe', 'pipe', 'pipe'], cwd: out, env: { ...process.env, ...target.env } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  // A process that dies is reported by its exit, not by a write error on its stdin.
  child.stdin.on('error', () => {});
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => done(code));
    // valgrind missing or not runnable: no exit follows.
    child.once('error', (error) => {
      stderr += `${error.message}\n`;
      done(null);
    });
  });
  // valgrind keeps the pid, which names V8's map.
  const written = join(V8_PERF_MAP_DIR, `perf-${child.pid}.map`);
  // The other run of a pair failed: this one's counts would be of no use.
  const abandon = () => child.kill('SIGKILL');
  signal.addEventListener('abort', abandon, { once: true });
  const failed = (why: string) => new Error(`count: ${tag}: ${why}${stderr ? `: ${stderr}` : ''} (see ${join(out, `${tag}.valgrind.log`)})`);
  let code: number | null;
  try {
    await target.drive({ child, exited, stderr: () => stderr }, warmup, calls);
    code = await within(exited, exitMs, 'the exit');
  } catch (error) {
    child.kill('SIGKILL'); // nothing left running under valgrind after a failed run
    void exited.then(() => rmSync(written, { force: true }));
    throw failed(error instanceof Error ? error.message : String(error));
  } finally {
    signal.removeEventListener('abort', abandon);
  }
  if (code !== 0) {
    rmSync(written, { force: true });
    throw failed(`the process ended with ${code}`);
  }
  copyFileSync(written, join(out, `${tag}.perf.map`));
  rmSync(written);
  return readCountedRun(join(out, tag));
}
