// Drive `mcpwire host` as a person would: real processes on 127.0.0.1, lines typed on stdin,
// output read from stdout; every wait is for expected output, bounded by a timeout.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

const live = new Set<ChildProcess>();

/**
 * How long a wait lasts while the process prints nothing at all (on stdout or stderr). The
 * budget counts silence, not time: a process that keeps printing (progress, steps, logs) keeps
 * the wait alive, so a long run is not failed by a slow machine, and a stuck one fails after
 * this much quiet rather than after a fixed wall time.
 */
export const QUIET_MS = 10_000;
/**
 * The quiet budget of a process that has printed nothing yet, on either stream: it is still
 * starting (Node loading the CLI, tsx compiling a fixture). On a machine with ten processes
 * per core that took over 10 s before a first line (host-answer-once at load 19 on 2 cores),
 * while the same wait later in a run, between lines, is well served by QUIET_MS.
 */
export const STARTUP_QUIET_MS = 60_000;
/** The most any one wait lasts, however much the process prints (a bound for chatty loops). */
export const MAX_WAIT_MS = 120_000;

/** A running process whose output is collected. */
export interface Proc {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  /** Where stdout ends now: pass as `from` to wait for what comes next. */
  mark(): number;
  /**
   * Resolves the first match of `re` in stdout (or stderr) after `from`. Rejects, with what
   * was seen, as soon as that stream has ended without a match (the process closed it or
   * exited: all of its output has been read by then), or after `timeoutMs` of silence from the
   * process (default QUIET_MS; see there; at least STARTUP_QUIET_MS until its first output),
   * or after MAX_WAIT_MS in all.
   */
  waitFor(re: RegExp, options?: { from?: number; timeoutMs?: number; stream?: 'stdout' | 'stderr' }): Promise<RegExpExecArray>;
  send(line: string): void;
  end(): void;
  /** The exit code (128 for a signal); rejects after `timeoutMs` (default 15 s) with what was seen. */
  exited(timeoutMs?: number): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** util-linux `script` is installed: a pseudo-terminal can be had for the host. */
export const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Collect a child's output and kill it with the others at the end (see killAll). */
export function track(child: ChildProcess): Proc {
  live.add(child);
  let out = '';
  let err = '';
  // A stream counts as ended at its 'end' (every writer closed it: all output read), or when
  // the process has no such pipe at all.
  const ended = { stdout: child.stdout === null, stderr: child.stderr === null };
  let lastOutput = Date.now();
  const waiters = new Set<() => void>();
  const wake = () => { for (const w of [...waiters]) w(); };
  const seen = () => `\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; lastOutput = Date.now(); wake(); });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; lastOutput = Date.now(); wake(); });
  child.stdout?.once('end', () => { ended.stdout = true; wake(); });
  child.stderr?.once('end', () => { ended.stderr = true; wake(); });
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
      const asked = options.timeoutMs ?? QUIET_MS;
      // Re-read on every check: the start-up budget ends with the first output.
      const quiet = () => (out === '' && err === '' ? Math.max(asked, STARTUP_QUIET_MS) : asked);
      const stream = options.stream ?? 'stdout';
      const text = () => (stream === 'stderr' ? err : out).slice(from);
      const started = Date.now();
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const settle = (fn: () => void) => {
          waiters.delete(check);
          clearTimeout(timer);
          fn();
        };
        // Re-armed on every wake: the deadline is the earlier of `quietMs` after the last
        // output and MAX_WAIT_MS after the start.
        const arm = () => {
          clearTimeout(timer);
          const quietLeft = lastOutput + quiet() - Date.now();
          const totalLeft = started + Math.max(MAX_WAIT_MS, quiet()) - Date.now();
          timer = setTimeout(check, Math.max(0, Math.min(quietLeft, totalLeft)));
        };
        function check() {
          const m = re.exec(text());
          if (m) return settle(() => resolve(m));
          if (ended[stream]) {
            const how = child.exitCode !== null || child.signalCode !== null ? `the process exited (${child.exitCode ?? child.signalCode})` : `its ${stream} ended`;
            return settle(() => reject(new Error(`${how} before ${re} appeared on ${stream}.${seen()}`)));
          }
          const now = Date.now();
          const quietMs = quiet();
          if (now - lastOutput >= quietMs) return settle(() => reject(new Error(`nothing printed for ${quietMs} ms while waiting for ${re} on ${stream}.${seen()}`)));
          if (now - started >= Math.max(MAX_WAIT_MS, quietMs)) return settle(() => reject(new Error(`${re} not seen on ${stream} within ${Math.max(MAX_WAIT_MS, quietMs)} ms.${seen()}`)));
          arm();
        }
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
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms.${seen()}`)), timeoutMs);
      });
      return Promise.race([exit, late]).finally(() => clearTimeout(timer));
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/**
 * `mcpwire host ...` with piped stdio (no terminal: plain lines, SIGINT is Ctrl+C). The tests
 * type as a person would, a line at a time while calls run: `--input live` unless they say.
 */
export function spawnHost(args: string[], env: Record<string, string> = {}, cwd?: string): Proc {
  const input = args.includes('--input') || args.includes('--exec') ? [] : ['--input', 'live'];
  const child = spawn(process.execPath, [bin, 'host', ...input, ...args], {
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

/** The step numbers (of 10) of the travel agent's progress lines in `text`, in order. */
export const travelSteps = (text: string): number[] => all(text, /travel_agent [█░]+ +\d+% \((\d+)\/10\)/).map((l) => Number(/\((\d+)\/10\)/.exec(l)![1]));

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

/** Fill the demo's booking form in as shown: accept, book it, every other field's default, send. */
export async function bookWithDefaults(c: ReturnType<typeof conversation>): Promise<void> {
  await c.expect(/Answer\?/, 'a');
  await c.expect(/Book this trip \(yes\/no\)/, 'yes');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
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
