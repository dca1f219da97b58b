/**
 * The eighth peer walk of the optional Python interop run (run.ts): session 32's probes, checked
 * since session 34. (21) The Python SDK's client against test/peer-walk8-server.ts
 * (py_client_walk8.py): a URL-mode question, sampling with a tool offered and its tool result
 * sent back, roots, a structured result, a tool error. (22) Our client against py_server_walk8.py
 * (the Python MCPServer): the same, plus a -32042 error naming a URL step and, in 2025-11-25, the
 * step's completion told on the session. Both eras, stdio and Streamable HTTP.
 */
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, urlElicitationsOf, type McpClient } from 'mcpwire/client';
import { freePort, start, stop, type WalkRow } from './processes.ts';
import { pythonRow, stepRunner, text } from './walk-steps.ts';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const OURS = fileURLToPath(new URL('../peer-walk8-server.ts', import.meta.url));
const NODE_TS = ['--conditions=mcpwire-source', '--import', 'tsx'];
const PY_SERVER = here('py_server_walk8.py');
const WALK = 'our client -> Python walk8 server';

/** Our client against the Python walk8 server: each step's outcome checked. */
async function ourClient(rows: WalkRow[], transport: string, era: 'auto' | 'legacy', connect: () => ReturnType<typeof createHttpClientTransport> | ReturnType<typeof createStdioClientTransport>): Promise<void> {
  const errors: string[] = [];
  const asked: string[] = [];
  const completed: string[] = [];
  const client: McpClient = createClient({ name: 'mcpwire-walk8', version: '1' }, {
    era, eraCache: false,
    onError: (error) => errors.push(error.message),
    elicitation: { modes: ['form', 'url'] },
    onElicit: (p) => { asked.push(JSON.stringify(p)); return { action: 'accept' }; },
    sampling: { tools: true },
    onSample: (p) => {
      asked.push(`sample ${p.messages.length} ${p.tools?.map((t) => t.name).join()} ${p.toolChoice?.mode}`);
      if (p.messages.length === 1) return { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'weather', input: { city: 'Paris' } }], model: 'm', stopReason: 'toolUse' };
      return { role: 'assistant', content: { type: 'text', text: 'It is sunny ☀' }, model: 'm', stopReason: 'endTurn' };
    },
    roots: [{ uri: 'file:///home/é/project', name: 'project' }],
    onElicitationComplete: (id) => completed.push(id),
  });
  const steps = stepRunner();
  const { step, failed } = steps;
  const seen = () => { const all = asked.join(' | '); asked.length = 0; return all; };
  try {
    await client.connect(connect());
    const modern = client.era === 'modern';
    await step('sign_in (URL mode)', async () => {
      const r = await client.callTool('sign_in', {});
      // 2025-11-25: the server's completion notice follows the request; nothing else marks its arrival.
      if (!modern) await client.waitForElicitation('el-1', { timeoutMs: 5000 }).catch(() => undefined);
      return [text(r), seen(), completed.join()];
    }, ([t, a, c]: string[]) => {
      // 2026-07-28 client/elicitation: the URL request is mode, message and url (no elicitationId).
      const want = modern
        ? ['modern sign in: accept', '{"message":"Sign in at the bank","mode":"url","url":"https://bank.example/login?x=é"}', '']
        : ['legacy sign in: accept', '{"mode":"url","message":"Sign in at the bank","url":"https://bank.example/login?x=é","elicitationId":"el-1"}', 'el-1'];
      return JSON.stringify([t, a, c]) === JSON.stringify(want) || JSON.stringify([t, a, c]);
    });
    await step('-32042, finish_login, the call again', async () => {
      const first = await client.callTool('needs_login', {}).then(() => undefined, (e: Error & { code?: unknown }) => [e.code, (urlElicitationsOf(e) ?? []).map((u) => `${u.elicitationId} ${u.url}`).join()]);
      // 2025-11-25 only: finish_login tells the session el-2 is complete.
      const waited = modern ? undefined : client.waitForElicitation('el-2', { timeoutMs: 5000 }).then(() => 'completed', (e: Error) => e.message);
      const finished = text(await client.callTool('finish_login', {}));
      return [first, finished, await waited, text(await client.callTool('needs_login', {}))];
    }, (r) => JSON.stringify(r) === JSON.stringify([[-32042, 'el-2 https://bank.example/oauth'], 'finished', modern ? undefined : 'completed', 'logged in']) || JSON.stringify(r));
    await step('sampling with a tool', async () => [text(await client.callTool('plan', {})), seen()], ([t, a]: string[]) => (modern
      ? t!.startsWith("modern plan: {'role': 'assistant', 'content': [{'type': 'tool_use', 'name': 'weather', 'id': 'u1', 'input': {'city': 'Paris'}}]") && a === 'sample 1 weather required'
      : t === "legacy plan: weather({'city': 'Paris'}) -> It is sunny ☀ [endTurn]" && a === 'sample 1 weather required | sample 3 weather undefined') || `${t} / ${a}`);
    // pydantic's URL type percent-encodes the é (bench/README session 32, the peers' side).
    await step('roots', async () => text(await client.callTool('roots', {})), (t) => t === `${modern ? 'modern' : 'legacy'} roots: file:///home/%C3%A9/project` || t);
    await step('structured result', async () => (await client.callTool('forecast', { city: 'Zürich' })).structuredContent,
      (s) => JSON.stringify(s) === '{"city":"Zürich","degrees":21.5}' || JSON.stringify(s));
    await step('tool error', async () => { const r = await client.callTool('broken', {}); return [r.isError, text(r)]; },
      (r) => JSON.stringify(r) === '[true,"Error executing tool broken"]' || JSON.stringify(r));
    if (errors.length > 0) failed.push(`onError: ${errors.join(' | ')}`);
    rows.push({ walk: WALK, transport, era: client.protocolVersion ?? '?', ok: failed.length === 0, result: failed.length === 0 ? `${steps.count} steps held` : failed.join('; ') });
  } catch (error) {
    rows.push({ walk: WALK, transport, era, ok: false, result: (error as Error).message });
  } finally {
    await client.close();
  }
}

export async function walk8(python: string, rows: WalkRow[]): Promise<void> {
  // 21. The Python client against our walk8 server.
  const ours = await start(process.execPath, [...NODE_TS, OURS, 'http'], /listening on (http:\S+)/);
  try {
    for (const mode of ['auto', 'legacy'] as const) {
      await pythonRow(rows, 'Python client -> our walk8 server', 'HTTP', python, here('py_client_walk8.py'), [mode, ours.match[1]!], 90_000);
      await pythonRow(rows, 'Python client -> our walk8 server', 'stdio', python, here('py_client_walk8.py'), [mode, '--', process.execPath, ...NODE_TS, OURS, 'stdio'], 90_000);
    }
  } finally {
    await stop(ours.child);
  }
  // 22. Our client against the Python walk8 server.
  for (const era of ['auto', 'legacy'] as const) {
    await ourClient(rows, 'stdio', era, () => createStdioClientTransport({ command: python, args: [PY_SERVER, 'stdio'], stderr: 'ignore' }));
    // A fresh server each era: needs_login's state is the process's.
    const port = await freePort();
    const py = await start(python, [PY_SERVER, 'http', String(port)], /Uvicorn running on/);
    try {
      await ourClient(rows, 'HTTP', era, () => createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
    } finally {
      await stop(py.child);
    }
  }
}
