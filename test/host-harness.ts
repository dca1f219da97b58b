// Drive `mcpwire host` as a person would: real processes on 127.0.0.1, lines typed on stdin,
// output read from stdout; every wait is for expected output, bounded by a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

const live = new Set<ChildProcess>();

/** A running process whose output is collected. */
export interface Proc {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  /** Where stdout ends now: pass as `from` to wait for what comes next. */
  mark(): number;
  /** Resolves the first match of `re` in stdout after `from`, or rejects after `timeoutMs` with what was seen. */
  waitFor(re: RegExp, options?: { from?: number; timeoutMs?: number; stream?: 'stdout' | 'stderr' }): Promise<RegExpExecArray>;
  send(line: string): void;
  end(): void;
  exited(timeoutMs?: number): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Collect a child's output and kill it with the others at the end (see killAll). */
export function track(child: ChildProcess): Proc {
  live.add(child);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = () => { for (const w of [...waiters]) w(); };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; wake(); });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; wake(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => {
    live.delete(child);
    wake();
    resolve(code ?? (signal ? 128 : null));
  }));
  return {
    child,
    out: () => out,
    err: () => err,
    mark: () => out.length,
    waitFor(re, options = {}) {
      const from = options.from ?? 0;
      const timeoutMs = options.timeoutMs ?? 15_000;
      const text = () => (options.stream === 'stderr' ? err : out).slice(from);
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(text());
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${re} appeared.\n--- stdout ---\n${out}\n--- stderr ---\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re}.\n--- stdout ---\n${out}\n--- stderr ---\n${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    end() {
      child.stdin?.end();
    },
    exited(timeoutMs = 15_000) {
      return Promise.race([exit, new Promise<number | null>((_, reject) => setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms.\n--- stdout ---\n${out}\n--- stderr ---\n${err}`)), timeoutMs).unref())]);
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** `mcpwire host ...` with piped stdio (no terminal: plain lines, SIGINT is Ctrl+C). */
export function spawnHost(args: string[], env: Record<string, string> = {}, cwd?: string): Proc {
  const child = spawn(process.execPath, [bin, 'host', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(cwd !== undefined ? { cwd } : {}),
    env: { ...process.env, NO_COLOR: '1', MCPWIRE_OPENAI_BASE_URL: '', MCPWIRE_OPENAI_API_KEY: '', ...env },
  });
  return track(child);
}

/** Any `mcpwire` command with piped stdio. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  return track(child);
}

export interface Server {
  proc: Proc;
  url: string;
  port: number;
  /** kill -9, and wait for the exit. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** `mcpwire serve --http` on 127.0.0.1 (the agents with `agents: true`), waiting for its URL. */
export async function startServer(options: { state?: string; port?: number; agents?: boolean; stepMs?: number; args?: string[] } = {}): Promise<Server> {
  const args = ['serve', '--http', '--port', String(options.port ?? 0), ...(options.args ?? [])];
  if (options.agents !== false) args.push('--agents', '--step-ms', String(options.stepMs ?? 40));
  if (options.state) args.push('--state', options.state);
  const proc = spawnCli(args);
  const m = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+)\/mcp)/, { stream: 'stderr', timeoutMs: 20_000 });
  const server: Server = {
    proc, url: m[1]!, port: Number(m[2]),
    async kill9() {
      proc.kill('SIGKILL');
      await proc.exited();
    },
    async stop() {
      proc.kill('SIGTERM');
      await proc.exited().catch(() => { proc.kill('SIGKILL'); });
    },
  };
  return server;
}

/** A fresh temporary directory, and its removal. */
export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Kill whatever a test left running. */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** Every match of `re` (global) in `text`. */
export function all(text: string, re: RegExp): string[] {
  return [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))].map((m) => m[0]);
}

/** A conversation with a process: each `expect` looks after the previous match, then optionally types a line. */
export function conversation(proc: Proc): { expect(re: RegExp, type?: string, timeoutMs?: number): Promise<RegExpExecArray>; type(line: string): Promise<void>; readonly at: number } {
  let at = 0;
  return {
    get at() { return at; },
    async expect(re, type, timeoutMs) {
      const from = at;
      const m = await proc.waitFor(re, { from, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
      at = from + m.index + m[0].length;
      if (type !== undefined) proc.send(type);
      return m;
    },
    async type(line) {
      proc.send(line);
    },
  };
}

/** The host's approval prompt for a model request (offline summariser). */
export const MODEL_PROMPT = /Answer it with the local extractive summariser \(offline\)\? \[Y\/n\]:/;
const PAGE_PROMPT = /-- lines \d+-\d+ of \d+: Enter shows the next page, \[a\]ll shows the rest, \[n\]o refuses --/;

/**
 * Answer the host's approval of a model request with `type`, first asking for the rest of a
 * request long enough to be paged (the host shows the whole request before asking).
 */
export async function answerModel(c: ReturnType<typeof conversation>, type: string, timeoutMs?: number): Promise<void> {
  for (let page = 0; ; page++) {
    if (page > 50) throw new Error('the model request was paged more than 50 times');
    const m = await c.expect(new RegExp(`${PAGE_PROMPT.source}|${MODEL_PROMPT.source}`), undefined, timeoutMs);
    if (MODEL_PROMPT.test(m[0])) {
      await c.type(type);
      return;
    }
    await c.type('a');
  }
}

/** A port nothing listens on (fetch refuses some low ports outright, so pick a real one). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
