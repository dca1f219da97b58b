// The sixth peer walk's probe (session 27): our client against FastMCP's server
// (fastmcp_server_walk6.py) in one era over one transport: pages, a blob, a template read with
// combining and astral characters, completion, each log level, progress, a unicode tool name,
// 1 M characters, 30 calls given up as they end and the call after them. Prints one line per
// step, read by hand (not part of run.ts).
// Usage: MCP_PYTHON=python node --conditions=source --import tsx walk6-probe.ts stdio|http legacy|modern
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient, createStdioClientTransport, createHttpClientTransport } from 'mcpwire/client';

const PY = process.env.MCP_PYTHON ?? 'python3';
const FASTMCP_SERVER = fileURLToPath(new URL('./fastmcp_server_walk6.py', import.meta.url));
const [transportKind, era] = [process.argv[2] ?? 'stdio', (process.argv[3] ?? 'legacy') as 'legacy' | 'modern'];
const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 600));

async function main() {
  const errors: string[] = [];
  const logs: unknown[] = [];
  const client = createClient({ name: 'probe', version: '1' }, {
    era, onError: (e) => errors.push(e.message), onLog: (p) => logs.push([p.level, p.data]),
  });
  let child;
  if (transportKind === 'stdio') {
    await client.connect(createStdioClientTransport({ command: PY, args: [FASTMCP_SERVER, 'stdio'], stderr: () => {} }));
  } else {
    const port = 18000 + Math.floor(Math.random() * 1000);
    child = spawn(PY, [FASTMCP_SERVER, 'http', String(port)], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) { try { await fetch(`http://127.0.0.1:${port}/mcp`); break; } catch { await new Promise((r) => setTimeout(r, 200)); } }
    await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${port}/mcp` }));
  }
  out('era', client.era);
  const step = async (name: string, fn: () => Promise<unknown>) => { try { out(name, await fn()); } catch (e) { out(`${name} FAILED`, `${(e as Error).message} ${(e as { code?: unknown }).code ?? ''}`); } };
  await step('tools', async () => (await client.listTools()).map((t) => t.name));
  await step('resources', async () => (await client.listResources()).map((r) => r.uri));
  await step('templates', async () => (await client.listResourceTemplates()).map((r) => r.uriTemplate));
  await step('blob', async () => { const r = await client.readResource('data://blob'); const c = r.contents[0] as { blob?: string; mimeType?: string }; const b = Buffer.from(c.blob ?? '', 'base64'); return { mime: c.mimeType, len: b.length, ok: b.every((x, i) => x === i % 256) }; });
  await step('template read', async () => (await client.readResource('data://items/caf%C3%A9')).contents);
  await step('template read raw unicode', async () => (await client.readResource('data://items/e\u0301𝔘')).contents);
  await step('prompts', async () => (await client.listPrompts()).map((p) => [p.name, p.arguments?.map((a) => [a.name, a.required])]));
  await step('prompt get', async () => (await client.getPrompt('poem', { theme: 'nuit 🌙 e\u0301', style: 'haïku' })).messages);
  await step('complete prompt', async () => await client.complete({ type: 'ref/prompt', name: 'poem' }, { name: 'theme', value: 'n' }));
  await step('complete template', async () => await client.complete({ type: 'ref/resource', uri: 'data://items/{name}' }, { name: 'name', value: '' }, { context: { arguments: { x: 'y' } } } as never));
  for (const level of ['debug', 'warning', 'error'] as const) {
    await step(`setLevel ${level}`, async () => { logs.length = 0; await client.setLoggingLevel(level); await client.callTool('logs', {}); return logs; });
  }
  await step('progress', async () => { const p: unknown[] = []; const r = await client.callTool('steps', { n: 3 }, { onProgress: (x) => p.push(x) }); return { p, r: r.content }; });
  await step('unicode tool', async () => (await client.callTool('écho_𝔘', { texte: 'e\u0301 𝔘😀 \u2028 "q"' })).content);
  await step('big 1MB', async () => { const r = await client.callTool('big', { n: 1_000_000 }); const t = (r.content[0] as { text: string }).text; return [t.length, t.slice(0, 6)]; });
  // cancellation racing completion
  await step('race', async () => {
    const tally: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const ac = new AbortController();
      const p = client.callTool('quick', { x: i }, { signal: ac.signal }).then((r) => 'ok', (e) => (e as { code?: string }).code ?? 'err');
      if (i % 3 === 0) ac.abort(); else if (i % 3 === 1) queueMicrotask(() => ac.abort()); else setTimeout(() => ac.abort(), 1);
      const k = await p; tally[k] = (tally[k] ?? 0) + 1;
    }
    const after = await client.callTool('quick', { x: 99 });
    return { tally, after: after.content };
  });
  await step('slow abort', async () => { const ac = new AbortController(); setTimeout(() => ac.abort(), 200); try { await client.callTool('slow', { ms: 2000 }, { signal: ac.signal }); return 'finished?'; } catch (e) { return (e as { code?: string }).code; } });
  await step('after', async () => (await client.callTool('quick', { x: 7 })).content);
  out('errors', errors);
  await client.close();
  child?.kill();
}
main().catch((e) => { console.error('PROBE CRASH', e); process.exit(1); });
