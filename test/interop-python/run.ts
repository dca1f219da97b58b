// Optional interop walk with the official Python SDK (`mcp` on PyPI), both eras, stdio and
// Streamable HTTP. Not part of `npm test`: without MCP_PYTHON (a python with `mcp` installed:
// `python3 -m venv DIR && DIR/bin/pip install mcp`) it says why and exits 0.
//   MCP_PYTHON=DIR/bin/python npm run build && node --conditions=mcpwire-source --import tsx test/interop-python/run.ts
// Walks: (1) the Python client against `mcpwire serve` (demo tools) and `serve --fixtures`;
// (2) our client against the Python server (MCPServer; py_server.py); (3) `mcpwire check`
// against the Python server; (4) `mcpwire trace` between the Python client and server; with
// `fastmcp` installed too, (5-7) FastMCP's client and server the same ways (fastmcp.ts); then
// (8-12) the hard walks (hard.ts): paging, unicode, 1 MB, a form mid-run, 20 calls at once,
// cancels, a stream cut, restarts and a host killed mid-call. MCP_INTEROP_ONLY=hard runs those alone.
// (13-15) walk2.ts: several inputs in one round, Mcp-Param headers, listen with resources, a cancel
// mid-round, FastMCP over stdio, a server killed under a listen. MCP_INTEROP_ONLY=walk2 runs those.
// (16) walk3.ts: the Python client mid-call while `serve --state` is killed and started again.
// MCP_INTEROP_ONLY=walk3 runs those.
// (17-18) walk4.ts: pagination cursors, progress, errors with data, two input rounds, both ways;
// (19-20) the same with FastMCP's client and server when the python has it.
// MCP_INTEROP_ONLY=walk4 runs those.
// (21-22) walk8.ts: URL-mode questions and -32042, sampling with a tool, roots, structured results and
// tool errors, both ways. MCP_INTEROP_ONLY=walk8 runs those.
// MCP_INTEROP_ONLY takes a comma-separated list of the groups basic (1-4), fastmcp (5-7), hard,
// walk2, walk3, walk4 and walk8, e.g. MCP_INTEROP_ONLY=walk4,walk8 for a bounded run.
// Prints one table row per walk; exits 1 when a walk failed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { children, freePort, run, start, stop, type WalkRow } from './processes.ts';
import { fastmcpVersion, fastmcpWalks } from './fastmcp.ts';
import { hardWalks } from './hard.ts';
import { walk2 } from './walk2.ts';
import { walk3 } from './walk3.ts';
import { walk4 } from './walk4.ts';
import { walk8 } from './walk8.ts';

const python = process.env.MCP_PYTHON;
if (!python) {
  console.log('interop-python: skipped, MCP_PYTHON is not set (a python with the `mcp` package: python3 -m venv DIR && DIR/bin/pip install mcp)');
  process.exit(0);
}
const probe = spawnSync(python, ['-c', 'import mcp, importlib.metadata as m; print(m.version("mcp"))'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(`interop-python: skipped, ${python} cannot import mcp: ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}`);
  process.exit(0);
}
console.log(`interop-python: mcp ${probe.stdout.trim()} (${python})`);

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));
const PY_SERVER = here('py_server.py');
const PY_CLIENT = here('py_client.py');
const rows: WalkRow[] = [];

/** The Python client's walk (py_client.py): one row, failed steps named. */
async function pythonClient(walk: string, transport: string, mode: 'auto' | 'legacy', target: string[]): Promise<void> {
  const { lines, code, stderr } = await run(python!, [PY_CLIENT, mode, ...target]);
  const era = lines.find((l) => l.startsWith('ERA '))?.slice(4) ?? '?';
  const steps = lines.filter((l) => l.startsWith('OK ') || l.startsWith('FAIL '));
  const failed = steps.filter((l) => l.startsWith('FAIL '));
  const ok = code === 0 && failed.length === 0 && steps.length > 0;
  rows.push({ walk, transport, era, ok, result: ok ? `${steps.length} steps held` : failed.join('; ') || `exit ${code}: ${stderr.trim().split('\n').pop()}` });
}

/** Our client's walk against the Python server. */
async function ourClient(transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const errors: string[] = [];
  const progress: number[] = [];
  const client: McpClient = createClient({ name: 'mcpwire-interop', version: '1' }, {
    era, eraCache: false, roots: [{ uri: 'file:///tmp/interop', name: 'interop' }],
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    onSample: async () => ({ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }),
    onError: (error) => errors.push(error.message),
  });
  const failed: string[] = [];
  const step = async (name: string, action: () => Promise<unknown>, check: (r: any) => boolean = () => true) => {
    try { if (!check(await action())) failed.push(`${name}: unexpected result`); } catch (error) { failed.push(`${name}: ${(error as Error).message}`); }
  };
  const text = (r: { content: Array<{ text?: string }> }) => r.content[0]?.text;
  try {
    await client.connect(connect());
    await step('tools/list', () => client.listTools(), (t) => t.length === 7);
    await step('add', () => client.callTool('add', { a: 2, b: 3 }), (r) => text(r) === '5');
    await step('progress', () => client.callTool('count', { steps: 2 }, { onProgress: (p) => progress.push(p.progress) }), () => progress.join() === '1,2');
    await step('elicitation', () => client.callTool('greet', {}), (r) => text(r) === 'Hello, Ada!');
    await step('sampling', () => client.callTool('summarize', {}), (r) => text(r) === 'model said: hi');
    await step('roots', () => client.callTool('roots', {}), (r) => text(r) === 'file:///tmp/interop');
    await step('resources/read', () => client.readResource('data://static'), (r) => r.contents[0]?.text === 'static text');
    await step('template read', () => client.readResource('data://items/7'), (r) => r.contents[0]?.text === '{"id": "7"}');
    await step('prompts/get', () => client.getPrompt('review', { code: 'x' }), (r) => r.messages.length === 1);
    await step('completion', () => client.complete({ type: 'ref/prompt', name: 'review' }, { name: 'style', value: 's' }), (c) => c.values.join() === 'short,strict');
    const abort = new AbortController();
    const slow = client.callTool('slow', { seconds: 10 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    await step('cancel', () => slow.then(() => { throw new Error('not cancelled'); }, () => undefined));
    await step('call after a cancel', () => client.callTool('add', { a: 1, b: 1 }), (r) => text(r) === '2');
    if (client.era === 'modern') {
      const changed: string[] = [];
      const listening = client.listen({ toolsListChanged: true }, { onListChanged: (kind) => changed.push(kind) });
      await step('subscriptions/listen', async () => {
        await listening.acknowledged;
        await client.callTool('change', {});
        for (let i = 0; i < 100 && changed.length === 0; i++) await new Promise((r) => setTimeout(r, 50)); // the notification has no other event to await
      }, () => changed.includes('tools'));
      await listening.close();
    }
  } catch (error) {
    failed.push(`connect: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
  failed.push(...errors.map((e) => `onError: ${e}`));
  rows.push({ walk: 'our client -> Python MCPServer', transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? 'all steps held' : failed.join('; ') });
}

/** `mcpwire check` against the Python server: its MUST failures (and the others, for the record). */
async function check(transport: string, target: string[]): Promise<void> {
  const { lines, code } = await run(process.execPath, [bin, 'check', '--json', '--allow-destructive', ...target], 300_000);
  try {
    const report = JSON.parse(lines.join('\n')) as { eras: string[]; findings: Array<{ id: string; severity: string; outcome: string; era?: string; detail: string }> };
    const fails = report.findings.filter((f) => f.outcome === 'fail');
    const must = fails.filter((f) => f.severity === 'MUST');
    rows.push({
      walk: 'mcpwire check -> Python MCPServer', transport, era: report.eras.join(' + '), ok: true, // findings on their side are reported, not failed
      result: fails.length === 0 ? 'no finding' : fails.map((f) => `${f.severity} ${f.id} [${f.era ?? 'any'}]${must.includes(f) ? ` (${f.detail})` : ''}`).join('; '),
    });
  } catch {
    rows.push({ walk: 'mcpwire check -> Python MCPServer', transport, era: '?', ok: false, result: `no report (exit ${code})` });
  }
}

/** `mcpwire trace` between the Python client and server: every message read, nothing flagged. */
async function trace(transport: string, mode: 'auto' | 'legacy', jsonl: string, runClient: () => Promise<void>): Promise<void> {
  await runClient();
  const records = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; era?: string; findings: Array<{ id: string }> });
  const messages = records.filter((r) => r.kind !== 'http' && r.kind !== 'stdio');
  const bad = messages.filter((r) => r.kind === 'invalid' || r.kind === 'skipped' || r.findings.length > 0);
  const eras = [...new Set(messages.map((r) => r.era))].join(' + ');
  const ok = messages.length > 0 && bad.length === 0;
  rows.push({ walk: `mcpwire trace, Python client (${mode}) -> Python server`, transport, era: eras, ok, result: ok ? `${messages.length} messages, none flagged` : `${bad.length} flagged: ${bad.flatMap((r) => r.findings.map((f) => f.id)).join(', ')}` });
}

const GROUPS = ['basic', 'fastmcp', 'hard', 'walk2', 'walk3', 'walk4', 'walk8'];
const only = (process.env.MCP_INTEROP_ONLY ?? '').split(',').map((name) => name.trim()).filter(Boolean);
const unknown = only.filter((name) => !GROUPS.includes(name));
if (unknown.length > 0) {
  console.log(`interop-python: MCP_INTEROP_ONLY names no walk group: ${unknown.join(', ')} (the groups: ${GROUPS.join(', ')})`);
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'mcpwire-interop-python-'));

/** 1-4: the Python client and server with ours, `mcpwire check` and `mcpwire trace`. */
async function basicWalks(): Promise<void> {
  // 1. The Python client against mcpwire serve (demo tools over stdio, fixtures over HTTP).
  const fixtures = await start(process.execPath, [bin, 'serve', '--http', '--fixtures', '--port', '0'], /listening on (http:\S+)/);
  const demo = await start(process.execPath, [bin, 'serve', '--http', '--port', '0'], /listening on (http:\S+)/);
  for (const mode of ['auto', 'legacy'] as const) {
    await pythonClient('Python client -> mcpwire serve --fixtures', 'HTTP', mode, [fixtures.match[1]!]);
    await pythonClient('Python client -> mcpwire serve', 'HTTP', mode, [demo.match[1]!]);
    await pythonClient('Python client -> mcpwire serve', 'stdio', mode, ['--', process.execPath, bin, 'serve', '--stdio']);
  }
  await stop(fixtures.child);
  await stop(demo.child);

  // 2. Our client against the Python server; 3. mcpwire check against it.
  const port = await freePort();
  const pyHttp = await start(python!, [PY_SERVER, 'http', String(port)], /Uvicorn running on/);
  const url = `http://127.0.0.1:${port}/mcp`;
  for (const era of ['auto', 'legacy'] as const) {
    await ourClient('HTTP', era, () => createHttpClientTransport({ url }));
    await ourClient('stdio', era, () => createStdioClientTransport({ command: python!, args: [PY_SERVER, 'stdio'], stderr: 'ignore' }));
  }
  await check('HTTP', [url]);
  await check('stdio', ['--', python!, PY_SERVER, 'stdio']);

  // 4. mcpwire trace between the Python client and the Python server (over HTTP, then stdio).
  for (const mode of ['auto', 'legacy'] as const) {
    const httpLog = join(dir, `trace-http-${mode}.jsonl`);
    const proxy = await start(process.execPath, [bin, 'trace', '--quiet', '--jsonl', httpLog, '--target', url, '--listen', '127.0.0.1:0'], /listening on (http:\S+),/);
    await trace('HTTP', mode, httpLog, async () => { await run(python!, [PY_CLIENT, mode, proxy.match[1]!]); await stop(proxy.child); });
    const stdioLog = join(dir, `trace-stdio-${mode}.jsonl`);
    await trace('stdio', mode, stdioLog, async () => { await run(python!, [PY_CLIENT, mode, '--', process.execPath, bin, 'trace', '--quiet', '--jsonl', stdioLog, '--', python!, PY_SERVER, 'stdio']); });
  }
  await stop(pyHttp.child);
}

try {
  const fastmcp = fastmcpVersion(python);
  const hasFastmcp = fastmcp.version !== undefined;
  // The walk groups (GROUPS) in the order of a full run; MCP_INTEROP_ONLY names some of them.
  const groups: Record<string, () => Promise<void>> = {
    basic: basicWalks,
    // 5-7. FastMCP (fastmcp.ts), when the python has it.
    fastmcp: async () => {
      if (fastmcp.version) {
        console.log(`interop-python: fastmcp ${fastmcp.version}`);
        await fastmcpWalks(python, rows);
      } else console.log(`interop-python: FastMCP walks skipped, ${python} cannot import fastmcp: ${fastmcp.why}`);
    },
    // 8-12. The hard walks; 13-15. the second peer walk; 16. the third; 17-18. the fourth; 21-22. the eighth.
    hard: () => hardWalks(python, rows, hasFastmcp),
    walk2: () => walk2(python, rows, hasFastmcp),
    walk3: () => walk3(python, rows),
    walk4: () => walk4(python, rows, hasFastmcp),
    walk8: () => walk8(python, rows, hasFastmcp),
  };
  for (const [name, walk] of Object.entries(groups)) if (only.length === 0 || only.includes(name)) await walk();
} finally {
  await Promise.all([...children].map(stop));
  await rm(dir, { recursive: true, force: true });
}

console.log('\n| walk | transport | era | result |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.walk} | ${r.transport} | ${r.era} | ${r.ok ? '' : 'FAILED: '}${r.result} |`);
const failures = rows.filter((r) => !r.ok).length;
console.log(`\ninterop-python: ${rows.length - failures} walks held, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
