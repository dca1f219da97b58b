// The seventh peer walk's probe (session 29): our client against the Python SDK's MCPServer
// (py_server_walk7.py) over HTTP in one era: caching hints (tools/list public 60 s, prompts/list
// 0) counted by the server, a cache dropped by a list change under listen; in 2025-11-25 a call
// whose SSE stream the server ends (the priming event's retry honoured, the rest replayed), the
// standalone GET stream ended and resumed, an agent-like call (progress, elicitation, sampling)
// with the progress seen in order. Prints one line per step, read by hand (not in run.ts).
// Usage: MCP_PYTHON=python node --conditions=mcpwire-source --import tsx walk7-probe.ts legacy|modern [RETRY_MS] [VERSION]
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { start, stop, freePort } from './processes.ts';

const PY = process.env.MCP_PYTHON ?? 'python3';
const SERVER = fileURLToPath(new URL('./py_server_walk7.py', import.meta.url));
const era = (process.argv[2] ?? 'legacy') as 'legacy' | 'modern';
const retry = process.argv[3] ?? '1500';
const version = process.argv[4];
const out = (k: string, v: unknown) => console.log(k, typeof v === 'string' ? v : JSON.stringify(v).slice(0, 600));
const text = (r: { content: unknown[] }) => (r.content[0] as { text?: string }).text;

async function main() {
  const errors: string[] = [];
  const changed: string[] = [];
  const port = await freePort();
  let server = (await start(PY, [SERVER, 'http', String(port), retry], /Uvicorn running/)).child;
  const seen: string[] = [];
  const client = createClient({ name: 'probe', version: '1' }, {
    era, ...(version ? { protocolVersion: version } : {}),
    onError: (e) => errors.push(e.message), onListChanged: (k) => changed.push(k),
    onElicit: (p) => { seen.push(`elicit:${p.message}`); return { action: 'accept', content: p.message.startsWith('PIN') ? { pin: '4 2' } : { go: true } }; },
    onSample: () => { seen.push('sample'); return { role: 'assistant', content: { type: 'text', text: 'a plan ✓' }, model: 'm' }; },
  });
  const fetches: string[] = [];
  await client.connect(createHttpClientTransport({
    url: `http://127.0.0.1:${port}/mcp`,
    fetch: (input, init) => { fetches.push(`${Date.now()} ${init?.method ?? 'GET'} ${new Headers(init?.headers).get('last-event-id') ?? ''}`); return fetch(input, init); },
  }));
  out('era', [client.era, client.protocolVersion]);
  const step = async (name: string, fn: () => Promise<unknown>) => { try { out(name, await fn()); } catch (e) { out(`${name} FAILED`, `${(e as Error).message} ${(e as { code?: unknown }).code ?? ''}`); } };
  await step('cache: tools twice, prompts twice', async () => {
    await client.listTools(); await client.listTools(); await client.listPrompts(); await client.listPrompts();
    return text(await client.callTool('lists', {}));
  });
  if (era === 'modern') {
    await step('listen, touch, list again', async () => {
      const kinds: string[] = [];
      const l = client.listen({ toolsListChanged: true }, { onListChanged: (k) => kinds.push(k) });
      await l.acknowledged;
      await client.callTool('touch', {});
      for (let i = 0; i < 50 && kinds.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      const names = (await client.listTools()).map((t) => t.name);
      l.close?.();
      return { kinds, added: names.filter((n) => n.startsWith('added')), lists: text(await client.callTool('lists', {})) };
    });
    await step('server killed (-9) under a listen, restarted with another tool list', async () => {
      const kinds: string[] = [];
      await client.listTools();
      const l = client.listen({ toolsListChanged: true }, { onListChanged: (k) => kinds.push(k) }, { initialDelayMs: 200, maxDelayMs: 1000 });
      await l.acknowledged;
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      server = (await start(PY, [SERVER, 'http', String(port), retry], /Uvicorn running/, { WALK7_EXTRA: '1' })).child;
      for (let i = 0; i < 100 && kinds.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      const names = (await client.listTools()).map((t) => t.name);
      await l.close();
      return { kinds, extra: names.includes('extra') };
    });
    await step('progress then result, in order (cut is a no-op here)', async () => {
      const order: string[] = [];
      const r = await client.callTool('cut', { steps: 5 }, { onProgress: (x) => order.push(`${x.progress}`) });
      order.push(`result ${text(r)}`);
      return order;
    });
    await step('agent turn (legacy asks)', async () => text(await client.callTool('agent', { steps: 3 })));
    await step('resources/read of a template that asks first (input round)', async () => {
      seen.length = 0;
      const r = await client.readResource('data://secret/é𝔘');
      return { contents: r.contents, seen };
    });
  } else {
    await step('touch, list again', async () => {
      await client.callTool('touch', {});
      for (let i = 0; i < 30 && changed.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      const names = (await client.listTools()).map((t) => t.name);
      return { changed, added: names.filter((n) => n.startsWith('added')), lists: text(await client.callTool('lists', {})) };
    });
    await step('cut mid-call (retry ' + retry + ')', async () => {
      const p: string[] = [];
      const from = fetches.length;
      const t0 = Date.now();
      const r = await client.callTool('cut', { steps: 4 }, { onProgress: (x) => p.push(`${x.progress}:${x.message}`) });
      return { r: text(r), p, ms: Date.now() - t0, fetches: fetches.slice(from).map((f) => f.replace(/^\d+/, (t) => String(Number(t) - t0))) };
    });
    await step('GET stream cut before any event on it, then a list change', async () => {
      changed.length = 0;
      const from = fetches.length;
      const t0 = Date.now();
      await client.callTool('cut_get_first', {});
      await new Promise((r) => setTimeout(r, 3000));
      return { changed, fetches: fetches.slice(from).map((f) => f.replace(/^\d+/, (t) => String(Number(t) - t0))) };
    });
    await step('GET stream cut, then list change', async () => {
      changed.length = 0;
      const from = fetches.length;
      const t0 = Date.now();
      await client.callTool('cut_get', {});
      for (let i = 0; i < 60 && changed.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 3000));
      return { changed, ms: Date.now() - t0, fetches: fetches.slice(from).map((f) => f.replace(/^\d+/, (t) => String(Number(t) - t0))) };
    });
    await step('agent turn', async () => {
      const order: string[] = [];
      seen.length = 0;
      const r = await client.callTool('agent', { steps: 4 }, { onProgress: (x) => order.push(`${x.progress}`) });
      order.push('result');
      return { r: text(r), order, seen };
    });
  }
  out('errors', errors);
  await client.close();
  await stop(server);
}
main().catch((e) => { console.error('PROBE CRASH', e); process.exit(1); });
