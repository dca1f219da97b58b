/**
 * The FastMCP walks of the optional Python interop run (run.ts), when the python it is given
 * can import `fastmcp` (`pip install fastmcp`): (5) FastMCP's client against `mcpwire serve
 * --fixtures` over HTTP, in its auto and legacy modes; (6) our client against a FastMCP server
 * (fastmcp_server.py) over stdio and HTTP, in both eras; (7) `mcpwire check` against it, and
 * `mcpwire check --client` against a FastMCP client (fastmcp_example_client.py). Rows go to the
 * run's table; findings of `check` on FastMCP's side are reported, not failed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { freePort, run, start, stop, type WalkRow } from './processes.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));
const SERVER = here('fastmcp_server.py');
const CLIENT = here('fastmcp_client.py');
const EXAMPLE_CLIENT = here('fastmcp_example_client.py');

/** FastMCP's version in `python`, or undefined (with why) when it cannot be imported. */
export function fastmcpVersion(python: string): { version?: string; why?: string } {
  const probe = spawnSync(python, ['-c', 'import importlib.metadata as m, fastmcp; print(m.version("fastmcp"))'], { encoding: 'utf8' });
  if (probe.status === 0) return { version: probe.stdout.trim() };
  return { why: (probe.stderr || probe.error?.message || '').trim().split('\n').pop() ?? 'unknown' };
}

/** Our client's walk against the FastMCP server: every step, failed ones named. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const failed: string[] = [];
  const progress: number[] = [];
  const client = createClient({ name: 'mcpwire-interop', version: '1' }, {
    era, eraCache: false,
    onElicit: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    onError: (error) => failed.push(`onError: ${error.message}`),
  });
  const text = (r: { content: Array<{ text?: string }> }) => r.content[0]?.text;
  const step = async (name: string, action: () => Promise<unknown>, check: (r: any) => boolean) => {
    try { if (!check(await action())) failed.push(`${name}: unexpected result`); } catch (error) { failed.push(`${name}: ${(error as Error).message}`); }
  };
  try {
    await client.connect(connect());
    await step('tools/list', () => client.listTools(), (t) => t.length === 3);
    await step('add', () => client.callTool('add', { a: 2, b: 3 }), (r) => text(r) === '5');
    await step('progress', () => client.callTool('count', { steps: 3 }, { onProgress: (p) => progress.push(p.progress) }), (r) => text(r) === 'counted 3' && progress.join() === '1,2,3');
    // FastMCP 4 answers a form in the 2025 era only (its own message says so in 2026-07-28).
    if (client.era === 'legacy') await step('elicitation', () => client.callTool('greet', {}), (r) => text(r) === 'hello Ada');
    await step('unknown tool', () => client.callTool('nope', {}), (r) => r.isError === true);
    await step('resources/list', () => client.listResources(), (r) => r.length === 1 && r[0].uri === 'data://readme');
    await step('template read', () => client.readResource('data://items/7'), (r) => r.contents[0]?.text === 'item 7');
    await step('prompts/get', () => client.getPrompt('review', { path: 'a.ts' }), (r) => r.messages[0]?.content?.text === 'Review a.ts.');
  } catch (error) {
    failed.push(`connect: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
  rows.push({ walk: 'our client -> FastMCP server', transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? 'all steps held' : failed.join('; ') });
}

/** `mcpwire check` (`args`) as one row: its failed rules, or that it gave no report. */
async function checkRow(rows: WalkRow[], walk: string, transport: string, args: string[]): Promise<void> {
  const { lines, code } = await run(process.execPath, [bin, 'check', '--json', ...args], 300_000);
  try {
    const report = JSON.parse(lines.join('\n')) as { eras: string[]; findings: Array<{ id: string; severity: string; outcome: string; era?: string }> };
    const fails = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
    rows.push({ walk, transport, era: report.eras.join(' + '), ok: true, result: fails.length === 0 ? 'no finding' : fails.map((f) => `${f.severity} ${f.id} [${f.era ?? 'any'}]`).join('; ') });
  } catch {
    rows.push({ walk, transport, era: '?', ok: false, result: `no report (exit ${code})` });
  }
}

/** Walks 5-7 (see the module comment), rows appended to `rows`. */
export async function fastmcpWalks(python: string, rows: WalkRow[]): Promise<void> {
  const fixtures = await start(process.execPath, [bin, 'serve', '--http', '--fixtures', '--port', '0'], /listening on (http:\S+)/);
  try {
    for (const mode of ['auto', 'legacy'] as const) {
      const { lines, code, stderr } = await run(python, [CLIENT, mode, fixtures.match[1]!]);
      const steps = lines.filter((l) => l.startsWith('OK ') || l.startsWith('FAIL '));
      const failed = steps.filter((l) => l.startsWith('FAIL '));
      const ok = code === 0 && failed.length === 0 && steps.length > 0;
      const era = lines.find((l) => l.startsWith('ERA '))?.slice(4) ?? '?';
      rows.push({ walk: `FastMCP client (${mode}) -> mcpwire serve --fixtures`, transport: 'HTTP', era, ok, result: ok ? `${steps.length} steps held` : failed.join('; ') || `exit ${code}: ${stderr.trim().split('\n').pop()}` });
    }
  } finally {
    await stop(fixtures.child);
  }
  const port = await freePort();
  // Uvicorn logs "Application startup complete" before it binds: only "Uvicorn running on" means listening.
  const server = await start(python, [SERVER, 'http', String(port)], /Uvicorn running on/);
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    for (const era of ['auto', 'legacy'] as const) {
      await ourClient(rows, 'HTTP', era, () => createHttpClientTransport({ url }));
      await ourClient(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [SERVER, 'stdio'], stderr: 'ignore' }));
    }
    await checkRow(rows, 'mcpwire check -> FastMCP server', 'HTTP', [url]);
    await checkRow(rows, 'mcpwire check -> FastMCP server', 'stdio', ['--', python, SERVER, 'stdio']);
  } finally {
    await stop(server.child);
  }
  for (const mode of ['auto', 'legacy'] as const) {
    await checkRow(rows, `mcpwire check --client -> FastMCP client (${mode})`, 'HTTP', ['--client', '--', python, EXAMPLE_CLIENT, mode, '{url}']);
  }
}
