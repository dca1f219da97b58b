/**
 * The processes of bench row s: a throwaway redis-server (free loopback port, no
 * persistence), `mcpwire serve --http` instances (the built CLI) and the round-robin proxy
 * (`scale-proxy.ts`). Everything binds 127.0.0.1. A {@link Fleet} stops what it started,
 * on success, on failure, and (SIGKILL from the `exit` hook) when the bench process ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { COMPILED, entryScript } from './paths.ts';

const cli = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
/** The redis-server binary (`REDIS_SERVER` overrides). */
export const REDIS = process.env.REDIS_SERVER ?? 'redis-server';
/** How long a process may take to say it is ready. */
const START_MS = 30_000;

/** A free loopback port (closed again before it is used: fine for a throwaway Redis). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat (100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time of `pid`'s live threads in ns (/proc/PID/task/TID/schedstat: ns precision, where 10 ms ticks are too coarse). */
function schedNanos(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch { /* the thread ended meanwhile */ }
  }
  return ns;
}

/** CPU time (user + system, all threads) of `pid` in µs from /proc/PID/stat, in 10 ms ticks. */
function statMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // "pid (comm) state ppid ...": utime and stime are fields 14 and 15, the 12th and 13th after the comm.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/**
 * CPU time the processes `pids` have used so far, in µs, from /proc (per-thread schedstat,
 * else the coarser stat); undefined where there is no /proc (the CPU figures are then left out).
 */
export function cpuMicros(pids: readonly number[]): number | undefined {
  try {
    return pids.reduce((sum, pid) => sum + schedNanos(pid) / 1000, 0);
  } catch {
    try {
      return pids.reduce((sum, pid) => sum + statMicros(pid), 0);
    } catch {
      return undefined;
    }
  }
}

/** A started process and what it printed (the last few KB). */
export interface Started {
  child: ChildProcess;
  match: RegExpExecArray;
  output(): string;
}

/** The processes of one repetition, stopped together. */
export class Fleet {
  readonly #children: ChildProcess[] = [];
  #stopped = false;
  readonly #onExit = () => { for (const c of this.#children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); };

  constructor() {
    process.once('exit', this.#onExit);
  }

  /** Start `command` and resolve once its stdout or stderr matches `ready`. */
  start(command: string, args: readonly string[], ready: RegExp): Promise<Started> {
    // A repetition stopped on its time bound may still be on its way: start nothing more.
    if (this.#stopped) return Promise.reject(new Error(`not starting ${command}: the processes of this repetition were stopped`));
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#children.push(child);
    child.stdin!.on('error', () => {}); // a process that died is reported by its exit
    let text = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} did not start within ${START_MS} ms: ${text.slice(-300)}`)); }, START_MS);
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`${command} exited (${signal ?? code}) before it was ready: ${text.slice(-300)}`)); });
      let done = false;
      const look = (chunk: Buffer) => {
        text = (text + chunk.toString()).slice(-4_000);
        const match = done ? null : ready.exec(text);
        if (!match) return;
        done = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, match, output: () => text });
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
    });
  }

  /** redis-server on `port`, no persistence, files in `dir`. */
  redis(port: number, dir: string): Promise<Started> {
    return this.start(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], /Ready to accept connections/);
  }

  /** `mcpwire serve --http` on a free port, accepting the proxy's Host; resolves with its port and process id. */
  async instance(allowedHosts: string, args: readonly string[]): Promise<{ port: number; pid: number }> {
    const { child, match } = await this.start(process.execPath, [cli, 'serve', '--http', '--port', '0', '--exit-with-stdin', '--allowed-hosts', allowedHosts, ...args], /listening on http:\/\/[^:]+:(\d+)/);
    return { port: Number(match[1]), pid: child.pid! };
  }

  /** The round-robin proxy; `use(ports)` points it at backends for what follows. */
  async proxy(): Promise<{ url: string; hosts: string; use(ports: readonly number[]): Promise<void> }> {
    const { child, match } = await this.start(process.execPath, [...(COMPILED ? [] : ['--import', 'tsx']), entryScript('scale-proxy')], /proxy (http:\/\/127\.0\.0\.1:(\d+))/);
    let lines = '';
    const waiting: Array<(line: string) => void> = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      lines += chunk.toString();
      for (let end = lines.indexOf('\n'); end !== -1; end = lines.indexOf('\n')) {
        const line = lines.slice(0, end);
        lines = lines.slice(end + 1);
        if (line === 'ok' || line.startsWith('error')) waiting.shift()?.(line);
      }
    });
    return {
      url: `${match[1]}/mcp`,
      hosts: `127.0.0.1:${match[2]}`,
      use: (ports) => new Promise((resolve, reject) => {
        waiting.push((line) => (line === 'ok' ? resolve() : reject(new Error(`bench proxy: ${line}`))));
        child.stdin!.write(`use ${ports.join(',')}\n`);
      }),
    };
  }

  /** Stop everything started (SIGKILL: nothing here is worth a graceful shutdown) and wait. */
  async stop(): Promise<void> {
    this.#stopped = true;
    process.removeListener('exit', this.#onExit);
    await Promise.all(this.#children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })));
  }
}
