/**
 * For tests: a throwaway `redis-server` on a free loopback port (and a unix socket), without persistence
 * (`--save "" --appendonly no`), in its own temporary folder, stopped by the test. When the
 * binary is absent, {@link startTestRedis} resolves undefined and prints why (tests skip).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test Redis. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Its unix socket (`unix://` + this reaches it too). */
  readonly socketPath: string;
  /** The server's process id (it changes with {@link restart} and {@link up}). */
  readonly pid: number | undefined;
  /** Stop it (SIGKILL when it does not exit within 2 s) and delete its folder. */
  stop(): Promise<void>;
  /** Stop it and start it again on the same port, empty (no persistence). */
  restart(): Promise<void>;
  /** Stop the server only (the port stays reserved for {@link up}). */
  down(): Promise<void>;
  /**
   * Start it again on the same port after {@link down}: empty, or with what a SAVE stored
   * before, then each key read `loadDelayUs` microseconds (resolved once loading has begun).
   */
  up(options?: { loadDelayUs?: number }): Promise<void>;
  /** Send `signal` to the server (SIGSTOP freezes it with its sockets open, SIGCONT thaws it). */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL the server and wait for its exit (the port stays reserved for {@link up}). */
  kill(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

/**
 * On Linux, redis-server under `setpriv --pdeathsig KILL` (exec'd under the same pid), so it
 * dies with the test process even when that one is killed with SIGKILL; as
 * test/support/tied-child.ts does (this file may not import from test/: layering).
 */
function redisCommand(args: string[]): [string, string[]] {
  const setpriv = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;
  return setpriv === undefined ? [BINARY, args] : [setpriv, ['--pdeathsig', 'KILL', '--', BINARY, ...args]];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start redis-server and resolve once it accepts connections (at most 10 s). `loadDelayUs`:
 * each key of its saved data (a SAVE's dump.rdb in `dir`) is read that many microseconds,
 * and it resolves once loading has begun (Redis answers LOADING to most commands until done).
 */
function launch(port: number, dir: string, loadDelayUs?: number): Promise<ChildProcess> {
  const slow = loadDelayUs === undefined ? [] : ['--key-load-delay', String(loadDelayUs), '--loading-process-events-interval-bytes', '1024'];
  const ready = loadDelayUs === undefined ? 'Ready to accept connections' : 'Loading RDB produced by';
  const [command, args] = redisCommand(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', '--unixsocket', join(dir, 'redis.sock'), '--unixsocketperm', '700', ...slow]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`redis-server did not start in 10 s: ${output.slice(-500)}`)); }, 10_000);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)); });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Start a test Redis, or resolve undefined (printing the reason) when redis-server is missing. */
export async function startTestRedis(): Promise<TestRedis | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = await launch(port, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.log(`skipped: ${BINARY} is not installed (Debian: apt-get install redis-server)`);
      return undefined;
    }
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    socketPath: join(dir, 'redis.sock'),
    get pid() { return child.pid; },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await stopChild(child);
      child = await launch(port, dir);
    },
    async down() {
      await stopChild(child);
    },
    async up(options) {
      child = await launch(port, dir, options?.loadDelayUs);
    },
    signal(signal) {
      child.kill(signal);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
