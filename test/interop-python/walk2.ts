/**
 * The second peer walks of the optional Python interop run (run.ts), session 23. (13) The
 * Python SDK's client against test/peer-walk2-server.ts (our server): three inputs in one
 * InputRequiredResult, two rounds (requestState), an x-mcp-header argument, subscriptions/listen
 * with a resource and the tool list, a cancel while answering a form; (14) FastMCP's client the
 * same over stdio and HTTP (no listen: FastMCP's client has none). (15) Our client against
 * py_server_walk2.py (the Python MCPServer): the same kinds of steps, `_meta` through a raw
 * request, and the server killed (-9) and started again under a listen and a call.
 */
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { createClient, createHttpClientTransport, createStdioClientTransport, type McpClient } from 'mcpwire/client';
import { freePort, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OURS = fileURLToPath(new URL('../peer-walk2-server.ts', import.meta.url));
const NODE_TS = ['--conditions=mcpwire-source', '--import', 'tsx'];
const PY_SERVER = here('py_server_walk2.py');

/** Resolves when `done()` holds, polled every 50 ms (a notification has no other event to await); false after `ms`. */
async function until(done: () => boolean, ms = 10_000): Promise<boolean> {
  for (let waited = 0; !done() && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return done();
}

/** Our client against the Python walk2 server. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const errors: string[] = [];
  let hang: (() => void) | undefined;
  const client: McpClient = createClient({ name: 'mcpwire-walk2', version: '1' }, {
    era, eraCache: false, roots: [{ uri: 'file:///srv/a', name: 'a' }, { uri: 'file:///srv/b', name: 'b' }],
    onElicit: async (params) => {
      if (hang) { hang(); await new Promise((r) => setTimeout(r, 30_000)); } // the cancel step: this form is never answered
      return { action: 'accept', content: { name: String((params as { message: string }).message).replace('?', '') } };
    },
    onSample: async () => ({ role: 'assistant', content: { type: 'text', text: 'm' }, model: 'm' }),
    onError: (error) => errors.push(error.message),
  });
  const steps = stepRunner();
  const { step, failed } = steps;
  try {
    await client.connect(connect());
    await step('three inputs at once', () => client.callTool('trio', {}), (r) => text(r) === 'Name|m|2' || String(text(r)));
    await step('Mcp-Param headers (unicode, integer)', () => client.callTool('routed', { region: 'eu-west ü', n: 7 }), (r) => text(r) === 'eu-west ü/7' || String(text(r)));
    // Both eras (session 24): callTool's `meta` and client.request, the envelope beside it in 2026-07-28.
    const trace = { 'example.com/trace': { id: 'é1' } };
    const hasTrace = (r: unknown) => {
      const seen = JSON.parse(String(text(r as never))) as Record<string, unknown>;
      const envelope = seen['io.modelcontextprotocol/protocolVersion'];
      return (JSON.stringify(seen['example.com/trace']) === '{"id":"é1"}' && (client.era === 'modern' ? envelope === '2026-07-28' : envelope === undefined)) || String(text(r as never));
    };
    await step('_meta through callTool({ meta })', () => client.callTool('meta', {}, { meta: trace }), hasTrace);
    await step('_meta through client.request', () => client.request('tools/call', { name: 'meta', arguments: {}, _meta: trace }), hasTrace);
    if (client.era === 'modern') {
      const got: string[] = [];
      const listening = client.listen({ toolsListChanged: true, resourceSubscriptions: ['data://watched'] }, {
        onListChanged: (kind) => got.push(`list:${kind}`), onResourceUpdated: (uri) => got.push(`updated:${uri}`),
      });
      await step('listen: list_changed and resources/updated', async () => { await listening.acknowledged; await client.callTool('touch', {}); return until(() => got.length >= 2); },
        () => got.sort().join() === 'list:tools,updated:data://watched' || got.join());
      await listening.close();
    }
    const abort = new AbortController();
    const asked = new Promise<void>((resolve) => { hang = resolve; });
    const call = client.callTool('trio', {}, { signal: abort.signal }).then(() => 'answered', () => 'cancelled');
    await asked;
    abort.abort();
    await step('cancel while answering a form', () => call, (how) => how === 'cancelled' || how);
    hang = undefined;
    await step('call after it', () => client.callTool('trio', {}), (r) => text(r) === 'Name|m|2' || String(text(r)));
  } catch (error) {
    failed.push(`connect: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
  failed.push(...errors.map((e) => `onError: ${e}`));
  rows.push({ walk: 'our client -> Python MCPServer, walk2', transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `${steps.count} steps held` : failed.join('; ') });
}

function startPy(python: string, port: number): Promise<ChildProcess> {
  return start(python, [PY_SERVER, 'http', String(port)], /Uvicorn running on/).then((s) => s.child);
}

/** 2026-07-28: the Python server killed (-9) under a listen and a call, started again. */
async function restartRow(rows: WalkRow[], python: string): Promise<void> {
  const port = await freePort();
  let py = await startPy(python, port);
  const failed: string[] = [];
  const got: string[] = [];
  let acks = 0;
  const client = createClient({ name: 'walk2-restart', version: '1' }, { era: 'modern', eraCache: false });
  try {
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
    const listening = client.listen({ toolsListChanged: true, resourceSubscriptions: ['data://watched'] }, {
      onAcknowledged: () => acks++, onListChanged: (kind) => got.push(`list:${kind}`), onResourceUpdated: (uri) => got.push(`updated:${uri}`),
    }, { initialDelayMs: 200, maxDelayMs: 1_000 });
    await listening.acknowledged;
    const inflight = client.callTool('slow', { seconds: 30 }).then(() => 'answered', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 500)); // the call reached the server (no event says so)
    py.kill('SIGKILL');
    await new Promise((r) => py.once('exit', r));
    const how = await inflight;
    if (!/failed before any response.*not issued again/.test(how)) failed.push(`call in flight: ${how}`);
    py = await startPy(python, port);
    // After a drop the client listens again and reports every watched list and resource changed.
    if (!await until(() => acks >= 2 && got.length >= 2, 20_000)) failed.push(`re-listen: ${acks} acks, [${got}]`);
    else if (got.sort().join() !== 'list:tools,updated:data://watched') failed.push(`re-listen reported [${got}]`);
    const after = await client.callTool('touch', {}).catch((e: Error) => e);
    if (after instanceof Error) failed.push(`call after the restart: ${after.message}`);
    await listening.close();
    rows.push({ walk: 'our client, Python server killed (-9) under a listen and a call', transport: 'HTTP', era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `re-listened, watched list and resource reported; the call in flight: "${how.slice(0, 80)}"` : failed.join('; ') });
  } finally {
    await client.close();
    await stop(py);
  }
}

export async function walk2(python: string, rows: WalkRow[], fastmcp: boolean): Promise<void> {
  // 13-14. Peers' clients against our walk2 server.
  const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
  const stdio = ['--', process.execPath, ...NODE_TS, OURS, 'stdio'];
  for (const mode of ['auto', 'legacy'] as const) {
    await pythonRow(rows, 'Python client -> our walk2 server', 'HTTP', python, here('py_client_walk2.py'), [mode, ours.match[1]!], 90_000);
    await pythonRow(rows, 'Python client -> our walk2 server', 'stdio', python, here('py_client_walk2.py'), [mode, ...stdio], 90_000);
    if (fastmcp) {
      await pythonRow(rows, 'FastMCP client -> our walk2 server', 'HTTP', python, here('fastmcp_client_walk2.py'), [mode, ours.match[1]!], 90_000);
      await pythonRow(rows, 'FastMCP client -> our walk2 server', 'stdio', python, here('fastmcp_client_walk2.py'), [mode, ...stdio], 90_000);
    }
  }
  await stop(ours.child);

  // 15. Our client against the Python walk2 server; then killed under a listen.
  const port = await freePort();
  const py = await startPy(python, port);
  try {
    for (const era of ['auto', 'legacy'] as const) {
      await ourClient(rows, 'HTTP', era, () => createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
      await ourClient(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [PY_SERVER, 'stdio'], stderr: 'ignore' }));
    }
  } finally {
    await stop(py);
  }
  await restartRow(rows, python);
}
