/**
 * The hard walks of the optional Python interop run (run.ts), session 20: what the first walks
 * left out. (8) The Python SDK's and FastMCP's clients against test/peer-hard-server.ts (our
 * server, lists paged by 3): pagination, unicode, 1 MB of multibyte text, a form mid-run, 20
 * calls at once, a cancel the server must see. (9) Our client against py_server_hard.py (the
 * Python MCPServer, paged the same way, an event store): the same, plus a stream the server
 * ends mid-call (Last-Event-ID). (10) `mcpwire host --exec` against it. (11) The Python server
 * restarted under our client. (12) The host killed mid-call and started again: it resumes.
 */
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { freePort, run, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));
const OURS = fileURLToPath(new URL('../peer-hard-server.ts', import.meta.url));
const NODE_TS = ['--conditions=mcpwire-source', '--import', 'tsx'];
const PY_SERVER = here('py_server_hard.py');
const BIG = 'αβγ😀x'.repeat(95_000);
const UNICODE = '日本語 😀 é\u0301 \u2028 "q" \\';

/** Our client's hard walk against the Python server. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const errors: string[] = [];
  let elicits = 0;
  const client: McpClient = createClient({ name: 'mcpwire-hard', version: '1' }, {
    era, eraCache: false,
    onElicit: async () => { elicits++; return { action: 'accept', content: { go: true } }; },
    onError: (error) => errors.push(error.message),
  });
  const steps = stepRunner();
  const { step, failed } = steps;
  try {
    await client.connect(connect());
    await step('tools paged', () => client.listTools(), (t) => t.length === 6 || `${t.length} tools`);
    await step('unicode title', () => client.listTools(), (t) => t.find((x: any) => x.name === 'echo')?.title === 'Écho ✓ 工具' || 'title changed');
    await step('resources paged', () => client.listResources(), (t) => (t.length === 12 && t[11].name === 'r11-ñ') || `${t.length}`);
    await step('prompts paged', () => client.listPrompts(), (t) => (t.length === 7 && t[6].title === 'Prompt 6 ✓') || `${t.length}`);
    await step('unicode args', () => client.callTool('echo', { text: UNICODE }), (r) => text(r) === `«${UNICODE}»` || JSON.stringify(text(r)));
    // 2.3 MB on the wire (the text twice), 5.9 MB in 2026-07-28 JSON (every non-ASCII escaped): past the 4 MiB default.
    await step('1 MB result', () => client.callTool('big', {}), (r) => text(r) === BIG || `${text(r)?.length} chars`);
    if (client.era === 'legacy') { // the Python server's ctx.elicit has no channel in 2026-07-28 (-32600)
      const progress: number[] = [];
      await step('long, form mid-run', () => client.callTool('long', { steps: 6 }, { onProgress: (p) => progress.push(p.progress) }),
        (r) => (text(r) === 'done 6' && progress.join() === '1,2,3,4,5,6' && elicits === 1) || `${text(r)} [${progress}] ${elicits}`);
    }
    const ticks = new Map<number, number[]>();
    await step('20 calls at once', () => Promise.all(Array.from({ length: 20 }, (_, n) => client.callTool('tick', { n }, { onProgress: (p) => ticks.set(n, [...(ticks.get(n) ?? []), p.progress]) }))),
      (rs) => rs.every((r: any, n: number) => text(r) === String(n) && ticks.get(n)?.join() === '1,2') || 'results or progress mixed');
    const abort = new AbortController();
    const slow = client.callTool('slow', { seconds: 10 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    await step('cancel', () => slow.then(() => { throw new Error('not cancelled'); }, () => undefined), () => true);
    await step('call after a cancel', () => client.callTool('echo', { text: 'x' }), (r) => text(r) === '«x»' || String(text(r)));
    if (transport === 'HTTP' && client.era === 'legacy') {
      const progress: number[] = [];
      await step('stream ended mid-call, resumed', () => client.callTool('cut', { steps: 4 }, { onProgress: (p) => progress.push(p.progress) }),
        (r) => (text(r) === 'cut 4' && progress.join() === '1,2,3,4') || `${text(r)} [${progress}]`);
    }
  } catch (error) {
    failed.push(`connect: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
  failed.push(...errors.map((e) => `onError: ${e}`));
  rows.push({ walk: 'our client (maxEventBytes 8 MiB) -> Python MCPServer, hard', transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `${steps.count} steps held` : failed.join('; ') });
}

/** `mcpwire host --exec` against the Python server: list, unicode, 1 MB, a form mid-run with --yes. */
async function hostRow(rows: WalkRow[], transport: string, era: string, target: string[], state: string): Promise<void> {
  const failed: string[] = [];
  const exec = (command: string) => run(process.execPath, [bin, 'host', ...target, '--state', state, '--era', era, '--yes', '--exec', command]);
  const list = await exec('list');
  if (list.code !== 0 || list.lines.length !== 6) failed.push(`list: exit ${list.code}, ${list.lines.length} tools`);
  const echo = await exec(`echo text="日本語 😀 é"`);
  if (echo.lines.join('\n') !== '«日本語 😀 é»') failed.push(`echo: ${echo.lines.join(' ')}`);
  const big = await exec('big');
  if (big.code !== 0 || big.lines.join('\n') !== BIG) failed.push(`big: exit ${big.code} ${big.stderr.trim().split('\n').pop()}`);
  if (era !== 'modern') {
    const long = await exec('long steps=6');
    if (long.lines.join() !== 'done 6') failed.push(`long: ${long.stderr.trim().split('\n').pop()}`);
  }
  rows.push({ walk: 'mcpwire host --exec -> Python MCPServer, hard', transport, era, ok: failed.length === 0, result: failed.length === 0 ? `list, unicode, 1 MB${era !== 'modern' ? ', a form mid-run' : ''} held` : failed.join('; ') });
}

function startPy(python: string, port: number): Promise<ChildProcess> {
  return start(python, [PY_SERVER, 'http', String(port)], /Uvicorn running on/).then((s) => s.child);
}

/** The Python server restarted (state lost) under our client: later calls, and a call in flight. */
async function restartRow(rows: WalkRow[], python: string, era: 'auto' | 'legacy'): Promise<void> {
  const port = await freePort();
  let py = await startPy(python, port);
  const failed: string[] = [];
  const client = createClient({ name: 'restart', version: '1' }, { era, eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
    await stop(py);
    py = await startPy(python, port);
    const after = await client.callTool('echo', { text: 'b' }).catch((e: Error) => e);
    if (after instanceof Error || after.content[0]?.type !== 'text') failed.push(`call after the restart: ${String(after)}`);
    const inflight = client.callTool('cut', { steps: 40 }).then(() => 'answered', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 500)); // mid-call: a few of 40 progress steps 50 ms apart
    py.kill('SIGKILL');
    await new Promise((r) => py.once('exit', r));
    py = await startPy(python, port);
    const how = await inflight;
    if (!/404|no longer|not issued again|Session not found/.test(how)) failed.push(`call in flight: ${how}`);
    const again = await client.callTool('echo', { text: 'c' }).catch((e: Error) => e);
    if (again instanceof Error) failed.push(`call after kill -9: ${again.message}`);
    rows.push({ walk: 'our client, Python server restarted (SIGTERM, then kill -9 mid-call)', transport: 'HTTP', era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `later calls held; the call in flight: "${how.slice(0, 90)}"` : failed.join('; ') });
  } finally {
    await client.close();
    await stop(py);
  }
}

/**
 * The host killed (-9) mid-call and started again: it resumes the call from its last event.
 * Every step must be shown, so neither host thins its progress lines (`--log-lines-per-second`,
 * default 20): the resume replays the steps missed in one burst, which the default counted in
 * one "30 more progress lines not shown" line and the row took for steps lost (session 26).
 */
async function hostKillRow(rows: WalkRow[], url: string, state: string): Promise<void> {
  const unthinned = ['--log-lines-per-second', '1000'];
  const first = spawn(process.execPath, [bin, 'host', '--url', url, '--state', state, '--input', 'live', ...unthinned], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const seen = new Promise<void>((resolve) => first.stdout.on('data', (c: Buffer) => { out += c; if (/\(10\/60\)/.test(out)) resolve(); }));
  first.stdin.write('cut steps=60\n');
  await Promise.race([seen, new Promise((r) => setTimeout(r, 30_000))]);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const again = spawn(process.execPath, [bin, 'host', '--url', url, '--state', state, '--yes', '--input', 'live', ...unthinned], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out2 = '';
  const finished = new Promise<boolean>((resolve) => again.stdout.on('data', (c: Buffer) => { out2 += c; if (/finished|failed/.test(out2)) resolve(/finished/.test(out2)); }));
  const ok = await Promise.race([finished, new Promise<boolean>((r) => setTimeout(() => r(false), 60_000))]);
  again.stdin.end('quit\n');
  await new Promise((r) => again.once('exit', r));
  const steps = (text: string) => [...text.matchAll(/\((\d+)\/60\)/g)].map((m) => Number(m[1]));
  const before = steps(out);
  const after = steps(out2);
  const missing = Array.from({ length: 60 }, (_, i) => i + 1).filter((n) => !before.includes(n) && !after.includes(n));
  rows.push({ walk: 'mcpwire host killed (-9) mid-call, started again', transport: 'HTTP', era: '2025-11-25', ok: ok && missing.length === 0, result: ok && missing.length === 0 ? `resumed: steps 1-${before.at(-1)} before, ${after[0]}-${after.at(-1)} after, none missing` : `finished ${ok}, missing ${missing.join(',')}` });
}

export async function hardWalks(python: string, rows: WalkRow[], fastmcp: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-interop-hard-'));
  try {
    // 8. Peers' clients against our hard server.
    const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
    for (const mode of ['auto', 'legacy'] as const) {
      await pythonRow(rows, 'Python client -> our hard server', 'HTTP', python, here('py_client_hard.py'), [mode, ours.match[1]!]);
      await pythonRow(rows, 'Python client -> our hard server', 'stdio', python, here('py_client_hard.py'), [mode, '--', process.execPath, ...NODE_TS, OURS, 'stdio']);
      if (fastmcp) await pythonRow(rows, 'FastMCP client -> our hard server', 'HTTP', python, here('fastmcp_client_hard.py'), [mode, ours.match[1]!]);
    }
    await stop(ours.child);

    // 9-10. Our client and the host against the Python hard server.
    const port = await freePort();
    const py = await startPy(python, port);
    const url = `http://127.0.0.1:${port}/mcp`;
    for (const era of ['auto', 'legacy'] as const) {
      await ourClient(rows, 'HTTP', era, () => createHttpClientTransport({ url, maxEventBytes: 8 * 1024 * 1024 }));
      await ourClient(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [PY_SERVER, 'stdio'], stderr: 'ignore' }));
    }
    const config = join(dir, 'servers.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(config, JSON.stringify({ mcpServers: { py: { command: python, args: [PY_SERVER, 'stdio'] } } })));
    for (const era of ['legacy-first', 'modern']) {
      await hostRow(rows, 'HTTP', era, ['--url', url], join(dir, `host-http-${era}`));
      await hostRow(rows, 'stdio', era, ['--config', config], join(dir, `host-stdio-${era}`));
    }
    // 12. The host killed mid-call.
    await hostKillRow(rows, url, join(dir, 'host-kill'));
    await stop(py);

    // 11. The Python server restarted under our client.
    for (const era of ['legacy', 'auto'] as const) await restartRow(rows, python, era);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
