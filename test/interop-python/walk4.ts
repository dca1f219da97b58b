/**
 * The fourth peer walk of the optional Python interop run (run.ts), session 25. (17) The Python
 * SDK's client against test/peer-walk4-server.ts (our server, tools in pages of two): tools/list
 * page by page with the cursor, progress, a JSON-RPC error carrying data, two input rounds.
 * (18) Our client against py_server_walk4.py (the Python MCPServer, tools/list in pages of two):
 * every page followed, progress, the error's code and data, two hand-made InputRequiredResult
 * rounds (2026-07-28 only: in 2025-11-25 the tool answers them as an invalid result, so the step
 * is skipped), `_meta` through callTool. Session 26, when the python has `fastmcp`: (19)
 * FastMCP's client against our walk4 server (fastmcp_client_walk4.py) and (20) our client against
 * FastMCP's server of the same shape (fastmcp_server_walk4.py), whose tool errors come back as
 * `isError` results: FastMCP makes an MCPError raised in a tool one (2025-11-25 server/tools,
 * error handling: tool execution errors go in the result), so its data does not travel.
 */
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { freePort, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OURS = fileURLToPath(new URL('../peer-walk4-server.ts', import.meta.url));
const NODE_TS = ['--conditions=mcpwire-source', '--import', 'tsx'];
const PY_SERVER = here('py_server_walk4.py');
const FASTMCP_SERVER = here('fastmcp_server_walk4.py');
const ERROR_DATA = '{"gauge":7,"why":["cold","ünïcode"]}';

type Failure = { code?: unknown; data?: unknown; message: string };
/** A walk4-shaped peer server: its row's name, and how its failing tool fails. */
interface PeerServer { walk: string; fails: 'error' | 'result' }
const PYTHON: PeerServer = { walk: 'our client -> Python walk4 server', fails: 'error' };
const FASTMCP: PeerServer = { walk: 'our client -> FastMCP walk4 server', fails: 'result' };

/** The failing tool's outcome as the server makes it: a JSON-RPC error with data, or an isError result. */
function failsAsExpected(server: PeerServer, r: unknown): string | true {
  if (server.fails === 'result') {
    const result = r as { isError?: boolean };
    return (result.isError === true && /the gauge is broken/.test(String(text(result)))) || JSON.stringify(r);
  }
  const e = r as Failure;
  return (e.code === 4001 && JSON.stringify(e.data) === ERROR_DATA && e.message === 'the gauge is broken') || JSON.stringify(e);
}

/** Our client against a walk4-shaped peer server. */
async function ourClient(rows: WalkRow[], server: PeerServer, transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
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
    // The cursor is opaque (2025-11-25 server/utilities/pagination): the Python server's is "2", FastMCP's base64.
    type Page = { nextCursor?: string; tools: Array<{ name: string }> };
    await step('one page and its cursor', async () => {
      const first = await client.request('tools/list', {}) as Page;
      return [first, typeof first.nextCursor === 'string' ? await client.request('tools/list', { cursor: first.nextCursor }) as Page : undefined];
    }, ([a, b]: [Page, Page | undefined]) => (a.tools.map((t) => t.name).join() === 'steps,fails' && b?.tools.map((t) => t.name).join() === 'rounds,meta') || JSON.stringify([a.nextCursor, b?.tools.map((t) => t.name)]));
    const progress: string[] = [];
    await step('progress', () => client.callTool('steps', { n: 3 }, { onProgress: (p) => progress.push(`${p.progress}/${p.total} ${p.message}`) }),
      (r) => (text(r) === 'did 3' && progress.join(',') === '1/3 step 1,2/3 step 2,3/3 step 3') || `${text(r)} ${progress.join(',')}`);
    await step('error with data', () => client.callTool('fails', {}).then((r) => server.fails === 'result' ? r : 'no error', (e: Failure) => e), (r) => failsAsExpected(server, r));
    if (client.era === 'modern') await step('two InputRequiredResult rounds', () => client.callTool('rounds', {}), (r) => text(r) === 'a+b' || String(text(r)));
    await step('_meta through callTool({ meta })', () => client.callTool('meta', {}, { meta: { 'example.com/trace': 'x1' } }),
      (r) => (JSON.parse(String(text(r))) as Record<string, unknown>)['example.com/trace'] === 'x1' || String(text(r)));
    if (errors.length > 0) failed.push(`onError: ${errors.join(' | ')}`);
    rows.push({ walk: server.walk, transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `${steps.count} steps held` : failed.join('; ') });
  } catch (error) {
    rows.push({ walk: server.walk, transport, era, ok: false, result: (error as Error).message });
  } finally {
    await client.close();
  }
}

/** Our client against a walk4-shaped peer server `script`, HTTP and stdio, both eras. */
async function againstPeerServer(python: string, rows: WalkRow[], server: PeerServer, script: string): Promise<void> {
  const port = await freePort();
  const py = await start(python, [script, 'http', String(port)], /Uvicorn running on/);
  try {
    for (const era of ['auto', 'legacy'] as const) {
      await ourClient(rows, server, 'HTTP', era, () => createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
      await ourClient(rows, server, 'stdio', era, () => createStdioClientTransport({ command: python, args: [script, 'stdio'], stderr: 'ignore' }));
    }
  } finally {
    await stop(py.child);
  }
}

export async function walk4(python: string, rows: WalkRow[], fastmcp = false): Promise<void> {
  // 17 (and 19). The Python client (and FastMCP's) against our walk4 server.
  const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
  const stdio = ['--', process.execPath, ...NODE_TS, OURS, 'stdio'];
  const clients: Array<[string, string]> = [['Python client -> our walk4 server', 'py_client_walk4.py']];
  if (fastmcp) clients.push(['FastMCP client -> our walk4 server', 'fastmcp_client_walk4.py']);
  try {
    for (const [walk, script] of clients) {
      for (const mode of ['auto', 'legacy'] as const) {
        await pythonRow(rows, walk, 'HTTP', python, here(script), [mode, ours.match[1]!], 90_000);
        await pythonRow(rows, walk, 'stdio', python, here(script), [mode, ...stdio], 90_000);
      }
    }
  } finally {
    await stop(ours.child);
  }
  // 18 (and 20). Our client against the Python walk4 server (and FastMCP's).
  await againstPeerServer(python, rows, PYTHON, PY_SERVER);
  if (fastmcp) await againstPeerServer(python, rows, FASTMCP, FASTMCP_SERVER);
}
