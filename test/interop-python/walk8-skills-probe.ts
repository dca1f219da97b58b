// The eighth peer walk's skills probe (session 32): our client against FastMCP's skills provider
// (fastmcp_server_walk8.py): resources and templates listed, SKILL.md and the manifest read, a
// supporting file read through the {path*} template (nested, a space and non-ASCII letters in
// its name), a binary file. Prints one line per step, read by hand (not in run.ts).
// Usage: MCP_PYTHON=python node --conditions=mcpwire-source --import tsx walk8-skills-probe.ts stdio|http legacy|modern
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';
import { start, stop, freePort } from './processes.ts';

const PY = process.env.MCP_PYTHON ?? 'python3';
const SERVER = fileURLToPath(new URL('./fastmcp_server_walk8.py', import.meta.url));
const transport = process.argv[2] ?? 'stdio';
const era = (process.argv[3] ?? 'legacy') as 'legacy' | 'modern';
const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 700));

async function main() {
  const errors: string[] = [];
  const client = createClient({ name: 'probe8', version: '1' }, { era, onError: (e) => errors.push(e.message) });
  let server: Awaited<ReturnType<typeof start>>['child'] | undefined;
  if (transport === 'http') {
    const port = await freePort();
    server = (await start(PY, [SERVER, 'http', String(port)], /Uvicorn running|Application startup complete/)).child;
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
  } else {
    await client.connect(createStdioClientTransport({ command: PY, args: [SERVER, 'stdio'], stderr: () => {} }));
  }
  out('era', [client.era, client.protocolVersion]);
  const step = async (name: string, fn: () => Promise<unknown>) => {
    try { out(name, await fn()); } catch (e) { out(`${name} FAILED`, `${(e as Error).message} ${(e as { code?: unknown }).code ?? ''}`); }
  };
  await step('resources', async () => (await client.listResources()).map((r) => `${r.uri} ${r.mimeType}`));
  await step('templates', async () => (await client.listResourceTemplates()).map((t) => t.uriTemplate));
  await step('SKILL.md', async () => (await client.readResource('skill://pdf-forms/SKILL.md')).contents);
  await step('manifest', async () => (await client.readResource('skill://pdf-forms/_manifest')).contents);
  await step('nested, encoded', async () => (await client.readResource('skill://pdf-forms/references/field%20guide%20%C3%A9.md')).contents);
  await step('nested, raw', async () => (await client.readResource('skill://pdf-forms/references/field guide é.md')).contents);
  await step('binary', async () => (await client.readResource('skill://pdf-forms/logo.bin')).contents.map((c) => ({ ...c, blob: 'blob' in c ? `${c.blob.length} chars` : undefined })));
  await step('missing', async () => (await client.readResource('skill://pdf-forms/nope.md')).contents);
  await step('escape', async () => (await client.readResource('skill://pdf-forms/../../etc/hostname')).contents);
  out('errors', errors);
  await client.close();
  if (server) await stop(server);
}
main().catch((e) => { console.error('PROBE CRASH', e); process.exit(1); });
