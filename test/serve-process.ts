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

/** How long a server may take to write its "listening on" line: generous, a loaded machine's start once took over 15 s. */
export const START_MS = 90_000;

/** How a server is started: `startMs` bounds its start (default {@link START_MS}). */
export interface StartOptions {
  startMs?: number;
}

/**
 * Start `mcpwire serve --http --port 0 ...args` (with `env` added); resolves with its URL once
 * it listens, rejects if it exits first or does not listen within `startMs`.
 */
export async function startServe(args: readonly string[], env: Record<string, string> = {}, options: StartOptions = {}): Promise<ServeProcess> {
  return await startListening([bin, 'serve', '--http', '--port', '0', ...args], env, options);
}

/**
 * Start `node ...argv` (a server that writes "listening on URL" to stderr, as `serve` does);
 * resolves with its URL once it listens. Rejects if it cannot be spawned, exits first, or has
 * not listened within `startMs` (it is killed then): each error names the command and holds its
 * stderr so far, so a start that hangs fails saying what did not start (one hung run of
 * test/scale for over ten minutes, scalewalk6).
 */
export async function startListening(argv: readonly string[], env: Record<string, string> = {}, { startMs = START_MS }: StartOptions = {}): Promise<ServeProcess> {
  // Tied: a test process killed with SIGKILL takes its servers along.
  const [command, tied] = tiedToParent(process.execPath, [...argv]);
  const child = spawn(command, tied, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const what = `node ${argv.map((a) => a === bin ? 'mcpwire' : a).join(' ')}`;
  let log = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        log += d;
        const m = /listening on (http:\/\/\S+)/.exec(log);
        if (m) resolve(m[1]!);
      });
      child.once('error', (error) => reject(new Error(`${what} could not be started: ${error.message}`, { cause: error })));
      // The stderr first: tests match what the server said at its start.
      child.once('exit', (code, signal) => reject(new Error(`server exited with ${code ?? signal}: ${log}(the command: ${what})`)));
      timer = setTimeout(() => {
        reject(new Error(`${what} did not listen within ${startMs} ms (pid ${child.pid}, killed); its stderr: ${log === '' ? '(nothing)' : log}`));
        child.kill('SIGKILL');
      }, startMs);
    });
    return { child, url, log: () => log };
  } finally {
    clearTimeout(timer);
  }
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
