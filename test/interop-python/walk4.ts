/**
 * The fourth peer walk of the optional Python interop run (run.ts), session 25. (17) The Python
 * SDK's client against test/peer-walk4-server.ts (our server, tools in pages of two): tools/list
 * page by page with the cursor, progress, a JSON-RPC error carrying data, two input rounds.
 * (18) Our client against py_server_walk4.py (the Python MCPServer, tools/list in pages of two):
 * every page followed, progress, the error's code and data, two hand-made InputRequiredResult
 * rounds (2026-07-28 only: in 2025-11-25 the tool answers them as an invalid result, so the step
 * is skipped), `_meta` through callTool.
 */
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { freePort, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OURS = fileURLToPath(new URL('../peer-walk4-server.ts', import.meta.url));
const NODE_TS = ['--conditions=source', '--import', 'tsx'];
const PY_SERVER = here('py_server_walk4.py');
const ERROR_DATA = '{"gauge":7,"why":["cold","ünïcode"]}';

/** Our client against the Python walk4 server. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const errors: string[] = [];
  const client: McpClient = createClient({ name: 'mcpwire-walk4', version: '1' }, {
    era, eraCache: false,
    onElicit: async (params) => ({ action: 'accept', content: { v: (params as { message: string }).message === 'First?' ? 'a' : 'b' } }),
    onError: (error) => errors.push(error.message),
  });
  const steps = stepRunner();
  const { step, failed } = steps;
  try {
    await client.connect(connect());
    await step('every page of tools/list', () => client.listTools(), (r: Array<{ name: string }>) => r.map((t) => t.name).join(',') === 'steps,fails,rounds,meta,t5' || r.map((t) => t.name).join(','));
    await step('one page and its cursor', () => client.request('tools/list', {}), (r: { nextCursor?: string; tools: unknown[] }) => (r.nextCursor === '2' && r.tools.length === 2) || JSON.stringify(r).slice(0, 100));
    const progress: string[] = [];
    await step('progress', () => client.callTool('steps', { n: 3 }, { onProgress: (p) => progress.push(`${p.progress}/${p.total} ${p.message}`) }),
      (r) => (text(r) === 'did 3' && progress.join(',') === '1/3 step 1,2/3 step 2,3/3 step 3') || `${text(r)} ${progress.join(',')}`);
    await step('error with data', () => client.callTool('fails', {}).then(() => 'no error', (e: { code?: unknown; data?: unknown; message: string }) => e),
      (e: { code?: unknown; data?: unknown; message: string }) => (e.code === 4001 && JSON.stringify(e.data) === ERROR_DATA && e.message === 'the gauge is broken') || JSON.stringify(e));
    if (client.era === 'modern') await step('two InputRequiredResult rounds', () => client.callTool('rounds', {}), (r) => text(r) === 'a+b' || String(text(r)));
    await step('_meta through callTool({ meta })', () => client.callTool('meta', {}, { meta: { 'example.com/trace': 'x1' } }),
      (r) => (JSON.parse(String(text(r))) as Record<string, unknown>)['example.com/trace'] === 'x1' || String(text(r)));
    if (errors.length > 0) failed.push(`onError: ${errors.join(' | ')}`);
    rows.push({ walk: 'our client -> Python walk4 server', transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `${steps.count} steps held` : failed.join('; ') });
  } catch (error) {
    rows.push({ walk: 'our client -> Python walk4 server', transport, era, ok: false, result: (error as Error).message });
  } finally {
    await client.close();
  }
}

export async function walk4(python: string, rows: WalkRow[]): Promise<void> {
  // 17. The Python client against our walk4 server.
  const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
  const stdio = ['--', process.execPath, ...NODE_TS, OURS, 'stdio'];
  try {
    for (const mode of ['auto', 'legacy'] as const) {
      await pythonRow(rows, 'Python client -> our walk4 server', 'HTTP', python, here('py_client_walk4.py'), [mode, ours.match[1]!], 90_000);
      await pythonRow(rows, 'Python client -> our walk4 server', 'stdio', python, here('py_client_walk4.py'), [mode, ...stdio], 90_000);
    }
  } finally {
    await stop(ours.child);
  }
  // 18. Our client against the Python walk4 server.
  const port = await freePort();
  const py = await start(python, [PY_SERVER, 'http', String(port)], /Uvicorn running on/);
  try {
    for (const era of ['auto', 'legacy'] as const) {
      await ourClient(rows, 'HTTP', era, () => createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
      await ourClient(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [PY_SERVER, 'stdio'], stderr: 'ignore' }));
    }
  } finally {
    await stop(py.child);
  }
}
