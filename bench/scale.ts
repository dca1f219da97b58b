/**
 * Workload s (issue #18): scale-out on Redis, measured by the orchestrator itself (it starts
 * several server processes, which a single-server cell does not): S sessions x K echo calls
 * at once through a round-robin proxy with no affinity, against one instance (memory store)
 * and against two instances sharing Redis; and a call of N progress events cut at half on
 * one instance and resumed with Last-Event-ID through the proxy, so the other instance
 * serves the resume. Runs the built CLI (`dist/`). Skipped, with the reason printed, when
 * `redis-server` is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellResult } from './cells.ts';

const cli = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const REDIS = process.env.REDIS_SERVER ?? 'redis-server';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Start `command` and resolve once its output matches `ready` (30 s at most). */
function started(command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} did not start: ${text.slice(-300)}`)); }, 30_000);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${command} exited with ${code}: ${text.slice(-300)}`)); });
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      const match = ready.exec(text);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, match });
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
  });
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });
}

/** A round-robin proxy on loopback, no affinity; resolves with its URL and a way to close it. */
async function roundRobin(ports: () => readonly number[]): Promise<{ url: string; hosts: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const list = ports();
    const upstream = request({ host: '127.0.0.1', port: list[next++ % list.length], method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, hosts: `127.0.0.1:${port}`, server };
}

/** The JSON-RPC messages of an SSE body, with their event ids. */
function sseMessages(text: string): Array<{ id?: string; message: Record<string, any> }> {
  return text.split('\n\n').flatMap((block) => {
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
    const id = block.split('\n').find((l) => l.startsWith('id:'))?.slice(3).trim();
    return data ? [{ ...(id ? { id } : {}), message: JSON.parse(data) as Record<string, any> }] : [];
  });
}

/** Open a 2025-11-25 session through `url`; its request headers. */
async function session(url: string): Promise<Record<string, string>> {
  const init = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench-s', version: '1' } } }) });
  const headers = { ...HEADERS, 'mcp-session-id': init.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-11-25' };
  await init.text();
  await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  return headers;
}

/** S sessions x K echo calls at once; calls/s and how many replies were wrong or missing. */
async function echoLoad(url: string, sessions: number, calls: number): Promise<{ callsPerSec: number; lost: number }> {
  const all = await Promise.all(Array.from({ length: sessions }, () => session(url)));
  let lost = 0;
  const t = performance.now();
  await Promise.all(all.map(async (headers, s) => {
    for (let i = 0; i < calls; i++) {
      const text = `${s}-${i}`;
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'echo', arguments: { text } } }) });
      const reply = sseMessages(await res.text()).find((m) => m.message.id === i + 1);
      if (reply?.message.result?.content?.[0]?.text !== text) lost += 1;
    }
  }));
  return { callsPerSec: (sessions * calls) / ((performance.now() - t) / 1000), lost };
}

/** A call of `steps` progress events cut at half and resumed through the proxy: ms to the result, lost and duplicated events. */
async function cutAndResume(url: string, steps: number): Promise<{ resumeMs: number; lost: number; duplicated: number }> {
  const headers = await session(url);
  const cut = new AbortController();
  const res = await fetch(url, { method: 'POST', headers, signal: cut.signal, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps }, _meta: { progressToken: 's' } } }) });
  const reader = res.body!.getReader();
  let text = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += Buffer.from(read.value).toString();
    const got = sseMessages(text.slice(0, text.lastIndexOf('\n\n') + 2));
    if (got.filter((m) => m.message.method === 'notifications/progress').length >= steps / 2) break;
  }
  cut.abort();
  const first = sseMessages(text.slice(0, text.lastIndexOf('\n\n') + 2));
  const t = performance.now();
  const resumed = await fetch(url, { headers: { ...headers, accept: 'text/event-stream', 'last-event-id': first.findLast((m) => m.id)!.id! } });
  const rest = sseMessages(await resumed.text());
  const resumeMs = performance.now() - t;
  const seen = [...first, ...rest].flatMap((m) => (m.message.method === 'notifications/progress' ? [m.message.params.progress as number] : []));
  const unique = new Set(seen);
  return { resumeMs, lost: steps - unique.size, duplicated: seen.length - unique.size };
}

/** Start `n` instances with `args` behind a fresh proxy; run `work`; stop everything. */
async function withInstances<T>(n: number, args: string[], work: (url: string) => Promise<T>): Promise<T> {
  let ports: number[] = [];
  const proxy = await roundRobin(() => ports);
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const { child, match } = await started(process.execPath, [cli, 'serve', '--http', '--port', '0', '--allowed-hosts', proxy.hosts, ...args], /listening on http:\/\/[^:]+:(\d+)/);
      children.push(child);
      ports = [...ports, Number(match[1])];
    }
    return await work(proxy.url);
  } finally {
    await Promise.all(children.map(killed));
    proxy.server.closeAllConnections();
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
  }
}

/** One repetition of workload s with `sizes` (sessions, calls, warmup calls, steps). */
export async function runScaleCell(sizes: Record<string, number>): Promise<CellResult> {
  const t = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-bench-s-'));
  let redis: ChildProcess | undefined;
  try {
    const port = await new Promise<number>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); }); });
    try {
      redis = (await started(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], /Ready to accept connections/)).child;
    } catch (error) {
      const reason = `skipped: ${REDIS} cannot be started (${(error as Error).message.split('\n')[0]}); install redis-server`;
      process.stderr.write(`  s: ${reason}\n`);
      return { notes: [reason], wallMs: Date.now() - t };
    }
    const { sessions = 1, calls = 1, steps = 2, warmup = 0 } = sizes;
    // Each side warms up first (its processes and this client's connections), then measures.
    const load = async (url: string) => {
      await echoLoad(url, sessions, warmup);
      return echoLoad(url, sessions, calls);
    };
    const one = await withInstances(1, [], load);
    const redisArgs = ['--redis', `redis://127.0.0.1:${port}`];
    const { two, resume } = await withInstances(2, redisArgs, async (url) => ({ two: await load(url), resume: await cutAndResume(url, steps) }));
    return {
      metrics: { callsPerSec: two.callsPerSec, callsPerSecOne: one.callsPerSec, scaleRatio: two.callsPerSec / one.callsPerSec, resumeMs: resume.resumeMs },
      lost: one.lost + two.lost + resume.lost, duplicated: resume.duplicated, notes: [], wallMs: Date.now() - t,
    };
  } catch (error) {
    return { error: (error as Error).message, wallMs: Date.now() - t };
  } finally {
    if (redis) await killed(redis);
    await rm(dir, { recursive: true, force: true });
  }
}
