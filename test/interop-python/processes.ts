/**
 * Child processes of the optional Python interop walks (run.ts, fastmcp.ts): start one and wait
 * for its ready line, stop it, run one to its end, pick a free loopback port. Every child started
 * is in `children`, so the walk can stop what is left. Test-only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** The children started and not yet stopped. */
export const children = new Set<ChildProcess>();

/** One row of the walk's table. */
export interface WalkRow { walk: string; transport: string; era: string; result: string; ok: boolean }

/** Start `command` (with `env` added to ours); resolves with the child once a line of its stderr or stdout matches `ready`. */
export function start(command: string, args: string[], ready: RegExp, env?: Record<string, string>): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
  children.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not start within 30 s`)), 30_000);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const match = ready.exec(line);
        if (match) { clearTimeout(timer); resolve({ child, match }); }
      });
    }
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${command} exited (${code}) before it was ready`)); });
  });
}

export function stop(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
}

/** Run to the end; its stdout lines and exit code. */
export function run(command: string, args: string[], timeoutMs = 120_000): Promise<{ lines: string[]; code: number | null; stderr: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('close', (code) => {
    clearTimeout(timer);
    resolve({ lines: Buffer.concat(out).toString('utf8').split('\n').filter(Boolean), code, stderr: Buffer.concat(err).toString('utf8') });
  }));
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
