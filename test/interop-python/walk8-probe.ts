// The eighth peer walk's probe (session 32): our client against the Python SDK's MCPServer
// (py_server_walk8.py) in one era over one transport: a URL-mode question (and its completion
// notice in 2025-11-25), a -32042 error and the completion of its URL step, sampling with a tool offered (the tool use answered, then the final
// text), roots, a structured result checked against its output schema, a tool error. Prints one
// line per step, read by hand (not in run.ts).
// Usage: MCP_PYTHON=python node --conditions=mcpwire-source --import tsx walk8-probe.ts stdio|http legacy|modern
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport, urlElicitationsOf } from 'mcpwire/client';
import { start, stop, freePort } from './processes.ts';

const PY = process.env.MCP_PYTHON ?? 'python3';
const SERVER = fileURLToPath(new URL('./py_server_walk8.py', import.meta.url));
const transport = process.argv[2] ?? 'stdio';
const era = (process.argv[3] ?? 'legacy') as 'legacy' | 'modern';
const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 700));
const text = (r: { content: unknown[] }) => (r.content[0] as { text?: string }).text;

async function main() {
  const errors: string[] = [];
  const seen: string[] = [];
  const completed: string[] = [];
  const client = createClient({ name: 'probe8', version: '1' }, {
    era,
    onError: (e) => errors.push(e.message),
    elicitation: { modes: ['form', 'url'] },
    onElicit: (p) => { seen.push(`elicit:${p.mode ?? 'form'}:${JSON.stringify(p).slice(0, 200)}`); return { action: 'accept' }; },
    sampling: { tools: true },
    onSample: (p) => {
      seen.push(`sample:${p.messages.length}:${JSON.stringify(p.tools?.map((t) => t.name))}:${JSON.stringify(p.toolChoice)}`);
      if (p.messages.length === 1) return { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'weather', input: { city: 'Paris' } }], model: 'm', stopReason: 'toolUse' };
      return { role: 'assistant', content: { type: 'text', text: 'It is sunny ☀' }, model: 'm', stopReason: 'endTurn' };
    },
    roots: [{ uri: 'file:///home/é/project', name: 'project' }],
    onElicitationComplete: (id) => completed.push(id),
  });
  let server: Awaited<ReturnType<typeof start>>['child'] | undefined;
  if (transport === 'http') {
    const port = await freePort();
    server = (await start(PY, [SERVER, 'http', String(port)], /Uvicorn running/)).child;
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
  } else {
    await client.connect(createStdioClientTransport({ command: PY, args: [SERVER, 'stdio'], stderr: () => {} }));
  }
  out('era', [client.era, client.protocolVersion]);
  const step = async (name: string, fn: () => Promise<unknown>) => {
    seen.length = 0;
    try { out(name, await fn()); } catch (e) { out(`${name} FAILED`, `${(e as Error).message} ${(e as { code?: unknown }).code ?? ''}`); }
    if (seen.length) out('  asked', seen);
  };
  await step('tools', async () => (await client.listTools()).map((t) => `${t.name}${t.outputSchema ? '+out' : ''}`));
  await step('sign_in (URL mode)', async () => {
    const r = await client.callTool('sign_in', {});
    await new Promise((res) => setTimeout(res, 300));
    return { r: text(r), completed };
  });
  await step('needs_login (-32042), finish_login, needs_login again', async () => {
    const first = await client.callTool('needs_login', {}).then(() => 'no error', (e: Error & { code?: unknown }) => ({ code: e.code, message: e.message, asks: urlElicitationsOf(e) }));
    const waited = client.waitForElicitation('el-2', { timeoutMs: 5000 }).then(() => 'completed', (e: Error) => e.message);
    const finished = text(await client.callTool('finish_login', {}));
    return { first, finished, waited: await waited, again: text(await client.callTool('needs_login', {})) };
  });
  await step('plan (sampling with a tool)', async () => text(await client.callTool('plan', {})));
  await step('roots', async () => text(await client.callTool('roots', {})));
  await step('forecast (structured)', async () => { const r = await client.callTool('forecast', { city: 'Zürich' }); return { s: r.structuredContent, t: text(r) }; });
  await step('broken (tool error)', async () => { const r = await client.callTool('broken', {}); return { isError: r.isError, t: text(r) }; });
  out('errors', errors);
  await client.close();
  if (server) await stop(server);
}
main().catch((e) => { console.error('PROBE CRASH', e); process.exit(1); });
