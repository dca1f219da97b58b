/**
 * One cell = one repetition of one workload for one implementation: a fresh server process
 * (HTTP workloads; stdio clients start their own) and a fresh client process, on 127.0.0.1,
 * both bounded by a timeout and stopped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientJob } from './client-main.ts';
import { COMPILED, entryScript } from './paths.ts';
import type { ScenarioResult } from './scenarios.ts';
import { runScaleCell } from './scale.ts';
import type { WorkloadSpec } from './workloads.ts';

const serverMain = entryScript('server-main');
/** The CLI, for `mcpwire trace` in the path (its compiled dist/, like the library). */
const cli = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const clientMain = entryScript('client-main');

export interface CellOptions {
  /** Run the library from its TypeScript source (`--conditions=mcpwire-source`) instead of dist/. */
  source: boolean;
  smoke: boolean;
  timeoutMs: number;
}

export interface CellResult extends Partial<ScenarioResult> {
  error?: string;
  wallMs: number;
}

/** Compiled bench scripts run on plain Node (tsx costs ~0.2 s per process, two per cell). */
function nodeArgs(options: CellOptions): string[] {
  return [...(options.source ? ['--conditions=mcpwire-source'] : []), ...(COMPILED && !options.source ? [] : ['--import', 'tsx'])];
}

function serverArgs(impl: string, workload: WorkloadSpec, options: CellOptions): string[] {
  const flags = workload.serve.transport === 'stdio'
    ? ['--stdio']
    : ['--http', ...(workload.serve.json ? ['--json'] : []), ...(workload.serve.resumable ? ['--resumable'] : []), ...(workload.serve.era === 'modern' ? ['--modern'] : []),
      ...(workload.serve.standardSchema ? ['--standard-schema'] : [])];
  return [...nodeArgs(options), '--expose-gc', serverMain, '--impl', impl, ...flags];
}

/** Start an HTTP server process and wait for its `ready <url>` line. */
function startServer(args: string[], log: (text: string) => void): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.setEncoding('utf8').on('data', log);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('server did not start within 30 s')); }, 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code} before it was ready`)); });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /^ready (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
  });
}

/** Start `mcpwire trace --target url` (live view off) and wait for its own URL. */
function startTracer(target: string, log: (text: string) => void): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'trace', '--quiet', '--target', target], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('tracer did not start within 30 s')); }, 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`tracer exited with ${code} before it was ready`)); });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log(chunk);
      text += chunk;
      const match = /listening on (\S+),/.exec(text);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: match[1]! });
      }
    });
  });
}

/** Stop a bench process at once: its state is of no use after the cell (a server with 1 000 sessions closes slowly). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

interface ClientProcess {
  child: ChildProcess;
  /** Hand the job over; resolves with the result line. */
  run(job: ClientJob): Promise<ScenarioResult>;
}

/** Start a client process for `impl`: it loads the implementation while the server starts. */
function startClient(impl: string, options: CellOptions, log: (text: string) => void): ClientProcess {
  const child = spawn(process.execPath, [...nodeArgs(options), clientMain, impl], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr!.setEncoding('utf8').on('data', log);
  child.stdin!.on('error', () => {}); // a client that died early is reported by its exit
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    async run(job) {
      child.stdin!.end(`${JSON.stringify(job)}\n`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`client exceeded ${options.timeoutMs} ms`)); }, options.timeoutMs);
      });
      try {
        const { code, signal } = await Promise.race([exited, timeout]);
        const line = out.trim().split('\n').at(-1);
        if (code === 0 && line) {
          try {
            return JSON.parse(line) as ScenarioResult;
          } catch { /* fall through to the error below */ }
        }
        throw new Error(`client ${signal ? `killed by ${signal}` : `exited with ${code}`}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The library's dist/ was missing at start: someone is rebuilding it (`npm run build` empties it first). */
const DIST_MISSING = /ERR_MODULE_NOT_FOUND[^\n]*\/dist\//;

const distEntry = new URL('../dist/server/index.js', import.meta.url);

/** Wait (up to a minute) while dist/ is being rebuilt. */
async function distReady(options: CellOptions): Promise<void> {
  for (let i = 0; i < 120 && !options.source && !existsSync(distEntry); i++) await new Promise((resolve) => setTimeout(resolve, 500));
}

export async function runCell(impl: string, workload: WorkloadSpec, options: CellOptions): Promise<CellResult> {
  for (let attempt = 1; ; attempt++) {
    await distReady(options);
    const result = await runCellOnce(impl, workload, options);
    if (attempt >= 4 || result.error === undefined || !DIST_MISSING.test(result.error)) return result;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

async function runCellOnce(impl: string, workload: WorkloadSpec, options: CellOptions): Promise<CellResult> {
  if (workload.serve.scale) return runScaleCell(options.smoke ? workload.smoke : workload.full);
  const started = Date.now();
  let log = '';
  const append = (text: string) => { if (log.length < 20_000) log += text; };
  let server: ChildProcess | undefined;
  let tracer: ChildProcess | undefined;
  const client = startClient(impl, options, append);
  try {
    let url = '';
    if (workload.serve.transport === 'http') {
      const running = await startServer(serverArgs(impl, workload, options), append);
      server = running.child;
      url = running.url;
      if (workload.serve.trace) {
        const traced = await startTracer(url, append);
        tracer = traced.child;
        url = traced.url;
      }
    }
    const stdioArgs = serverArgs(impl, workload, options);
    const job: ClientJob = {
      impl, workload: workload.id, url,
      stdio: workload.serve.trace
        ? { command: process.execPath, args: [cli, 'trace', '--quiet', '--', process.execPath, ...stdioArgs] }
        : { command: process.execPath, args: stdioArgs },
      sizes: options.smoke ? workload.smoke : workload.full,
    };
    const result = await client.run(job);
    return { ...result, wallMs: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: `${message}${log ? `\n${log.trim()}` : ''}`, wallMs: Date.now() - started };
  } finally {
    await stop(client.child);
    if (tracer) await stop(tracer);
    if (server) await stop(server);
  }
}
