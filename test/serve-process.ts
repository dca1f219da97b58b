// `mcpwire serve --http` as a child process for restart tests: started on a free port, its
// URL read from the "listening on" line, killed without ceremony (kill -9 is the point); a
// 2025-11-25 session opened on it, and its streams resumed until a response arrives.
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { ACCEPT_BOTH, messagesOf, readEvents } from './http-fixture.ts';
import { fileURLToPath } from 'node:url';
import { tiedToParent } from './support/tied-child.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
}

/**
 * Start `mcpwire serve --http --port 0 ...args` (with `env` added); resolves with its URL once
 * it listens, rejects if it exits first. No time limit of its own: on a loaded machine a start
 * took longer than the 15 s it once had; the test runner's limit bounds a server that hangs.
 */
export async function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  return await startListening([bin, 'serve', '--http', '--port', '0', ...args], env);
}

/**
 * Start `node ...argv` (a server that writes "listening on URL" to stderr, as `serve` does);
 * resolves with its URL once it listens, rejects if it exits first.
 */
export async function startListening(argv: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  // Tied: a test process killed with SIGKILL takes its servers along.
  const [command, tied] = tiedToParent(process.execPath, [...argv]);
  const child = spawn(command, tied, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
  return { child, url, log: () => log };
}

/** SIGKILL `child` (if it still runs) and wait for its exit. */
export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Stop `child` with `signal` (SIGINT and SIGTERM let it shut down cleanly) and wait for its exit. */
export function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill(signal);
  });
}

/**
 * Initialize a 2025-11-25 session on `url` (a function when the server's URL changes across
 * restarts): its first reply and a POST bound to the session.
 */
export async function openSession(url: string | (() => string)) {
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(typeof url === 'string' ? url : url(), {
    method: 'POST', body: JSON.stringify(body), headers: { accept: ACCEPT_BOTH, 'content-type': 'application/json', ...headers },
  });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  const sid = init.headers.get('mcp-session-id')!;
  await init.text();
  const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  assert.is((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
  return { init, headers, call: (body: unknown) => post(body, headers) };
}

/** Resume the session's streams from the last event id seen until response `id` arrives (5 attempts at most). */
export async function resumeUntil(url: string, headers: Record<string, string>, seen: Awaited<ReturnType<typeof readEvents>>, id: number): Promise<void> {
  for (let attempt = 0; attempt < 5 && !messagesOf(seen).some((m) => m.id === id); attempt++) {
    const lastId = [...seen].reverse().find((e) => e.id !== undefined)!.id!;
    const res = await fetch(url, { headers: { accept: 'text/event-stream', 'last-event-id': lastId, ...headers } });
    assert.is(res.status, 200, `resume attempt ${attempt}`);
    seen.push(...await readEvents(res));
  }
}
