/**
 * The third peer walk of the optional Python interop run (run.ts), session 24. (16) The Python
 * SDK's client mid-call while `mcpwire serve --state` is killed (-9) at progress 3 and started
 * again on the same port: in 2025-11-25 with `--retry-ms 4000` it resumes the call's stream
 * with Last-Event-ID and gets every progress once and the result; with the default 100 ms it
 * gives up after its two tries ("reconnection attempts were exhausted", its limit: the row
 * records it); in 2026-07-28 the call fails ("SSE stream ended without a response") and the
 * next call, sent once the server is back, holds.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { children, freePort, start, stop, type WalkRow } from './processes.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));

interface Case { mode: 'legacy' | 'auto'; retry: string[]; expect: (call: string) => boolean; label: string }

const CASES: Case[] = [
  { mode: 'legacy', retry: ['--retry-ms', '4000'], label: '--retry-ms 4000', expect: (call) => call === 'OK call [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]' },
  { mode: 'legacy', retry: [], label: 'default retry (100 ms)', expect: (call) => call.includes('reconnection attempts were exhausted') },
  { mode: 'auto', retry: [], label: 'stateless', expect: (call) => call.includes('SSE stream ended without a response') },
];

/** One case: the Python client's lines, the server killed at "PROGRESS 3" and started again. */
async function restartCase(python: string, rows: WalkRow[], c: Case): Promise<void> {
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-walk3-'));
  const port = await freePort();
  const serve = () => start(process.execPath, [bin, 'serve', '--http', '--port', String(port), '--state', state, ...c.retry], /listening on/).then((s) => s.child);
  let server = await serve();
  const client = spawn(python, [here('py_client_restart.py'), c.mode, `http://127.0.0.1:${port}/mcp`], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(client);
  const lines: string[] = [];
  let restarted: Promise<void> | undefined;
  const ended = new Promise<void>((resolve) => client.once('exit', () => resolve()));
  const timer = setTimeout(() => client.kill('SIGKILL'), 60_000);
  createInterface({ input: client.stdout! }).on('line', (line) => {
    lines.push(line);
    if (line === 'PROGRESS 3' && !restarted) {
      const old = server;
      restarted = new Promise<void>((resolve) => { old.once('exit', () => resolve()); old.kill('SIGKILL'); })
        .then(async () => { children.delete(old); server = await serve(); });
    }
    // The call is over: once the server is back, let the client send its next call.
    if (line.startsWith('OK call') || line.startsWith('FAIL call')) void (restarted ?? Promise.resolve()).then(() => client.stdin!.end('go\n'));
  });
  try {
    await ended;
  } finally {
    clearTimeout(timer);
    children.delete(client);
    await restarted?.catch(() => undefined);
    await stop(server);
    await rm(state, { recursive: true, force: true });
  }
  const era = lines.find((l) => l.startsWith('ERA '))?.slice(4) ?? '?';
  const call = lines.find((l) => l.startsWith('OK call') || l.startsWith('FAIL call')) ?? 'no outcome';
  const after = lines.find((l) => l.endsWith('call after it')) ?? 'no call after it';
  const ok = restarted !== undefined && c.expect(call) && after === 'OK call after it';
  rows.push({ walk: `Python client mid-call, serve --state killed (-9) and started again, ${c.label}`, transport: 'HTTP', era, ok, result: `${call}; ${after}` });
}

export async function walk3(python: string, rows: WalkRow[]): Promise<void> {
  for (const c of CASES) await restartCase(python, rows, c);
}
