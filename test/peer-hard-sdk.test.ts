// The official SDKs' clients (2.4 in its legacy mode and pinned to 2026-07-28; 1.32) against
// the hard walk's server (test/support/peer-hard.ts) over HTTP, as session 20's peer walk met
// it: every list paged by 3 and followed by cursor, unicode titles and arguments, 1 MB of
// multibyte text, a long call with progress and a form asked mid-run, 20 calls at once on one
// session each with its own progress, a cancel and a call after it. Loopback, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as Sdk1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Sdk1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { BIG, UNICODE, hardServer } from './support/peer-hard.ts';
import { bundledScript } from './support/bundled-script.ts';

/** What the battery needs of either SDK's client. */
interface Peer {
  list(kind: 'tools' | 'resources' | 'prompts', cursor: string | undefined): Promise<{ items: Array<{ name: string; title?: string | undefined }>; nextCursor?: string | undefined }>;
  call(name: string, args: Record<string, unknown>, options?: { onprogress?: (p: { progress: number; message?: string | undefined }) => void; signal?: AbortSignal }): Promise<{ content?: unknown; structuredContent?: unknown }>;
  elicited(): number;
}

const textOf = (result: { content?: unknown }): string => (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? JSON.stringify(result.content);

async function allPages(peer: Peer, kind: 'tools' | 'resources' | 'prompts'): Promise<{ names: string[]; titles: Array<string | undefined>; pages: number }> {
  const names: string[] = [];
  const titles: Array<string | undefined> = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await peer.list(kind, cursor);
    names.push(...page.items.map((i) => i.name));
    titles.push(...page.items.map((i) => i.title));
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 20);
  return { names, titles, pages };
}

/**
 * `pages`: `each` when the peer hands back one page a call, `whole` when it follows the cursors
 * itself (SDK 2.4 without a cursor). `lossy`: the peer may drop a call's last progress (below).
 */
async function battery(peer: Peer, cancelled: Promise<void> | undefined, era: 'legacy' | 'modern', pages: 'each' | 'whole', lossy = false): Promise<void> {
  const count = (n: number) => (pages === 'each' ? n : 1);
  const tools = await allPages(peer, 'tools');
  assert.equal([tools.names.length, tools.pages], [6, count(2)]);
  assert.is(tools.titles[0], 'Écho ✓ 工具');
  const resources = await allPages(peer, 'resources');
  assert.equal([resources.names.length, resources.pages, resources.names[11]], [12, count(4), 'r11-ñ']);
  const prompts = await allPages(peer, 'prompts');
  assert.equal([prompts.names.length, prompts.pages, prompts.titles[6]], [7, count(3), 'Prompt 6 ✓']);

  assert.is(textOf(await peer.call('echo', { text: UNICODE })), `«${UNICODE}»`);
  assert.is(textOf(await peer.call('big', {})), BIG);

  const progress: number[] = [];
  const rounds: string[] = [];
  const long = await peer.call('long', { steps: 6 }, {
    // SDK 2.4 reports each input round to the same callback, as progress `round` (not on the wire).
    onprogress: (p) => (p.message?.startsWith('Fulfilling input required') ? rounds.push(p.message) : progress.push(p.progress)),
  });
  assert.is(textOf(long), 'done 6');
  assert.is(peer.elicited(), 1);
  // Each step once and in order, also in 2026-07-28, where the form ends the first round after
  // step 3 and the retried request runs the tool again from its start: the server does not
  // repeat steps 1-3. Over stdio SDK 2.4 drops a call's last steps: it runs notification
  // handlers a microtask late and retires the call's progress handler on its response, so
  // progress read in the same chunk as the response is lost (typescript-sdk issue #2580).
  if (lossy) {
    // What arrives never repeats nor goes back (2026-07-28 drops can fall in either round).
    assert.ok(progress.every((p, i) => Number.isInteger(p) && p >= 1 && p <= 6 && (i === 0 || p > progress[i - 1]!)), `steps: ${progress}`);
  } else {
    assert.equal(progress, [1, 2, 3, 4, 5, 6]);
  }
  assert.is(rounds.length, era === 'modern' ? 1 : 0);

  const ticks = new Map<number, string[]>();
  const results = await Promise.all(Array.from({ length: 20 }, (_, n) => peer.call('tick', { n }, {
    onprogress: (p) => ticks.set(n, [...(ticks.get(n) ?? []), `${p.progress} ${p.message}`]),
  })));
  assert.equal(results.map(textOf), Array.from({ length: 20 }, (_, n) => String(n)));
  // Each call gets its own progress, in order (lossy: a prefix, as above).
  for (let n = 0; n < 20; n++) {
    const got = ticks.get(n) ?? [];
    assert.equal(got, [`1 ${n} a`, `2 ${n} b`].slice(0, lossy ? got.length : 2), `call ${n}`);
  }

  const abort = new AbortController();
  const slow = peer.call('slow', {}, { signal: abort.signal }).then(() => 'answered', () => 'failed');
  setTimeout(() => abort.abort(), 50);
  assert.is(await slow, 'failed');
  if (cancelled) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('the tool did not see the cancel within 10 s')), 10_000); });
    await Promise.race([cancelled, late]).finally(() => clearTimeout(timer));
  }
  // The server in another process: it counts the cancels it saw (bounded: the cancel and this call may cross).
  let seen: unknown;
  for (let i = 0; i < 100 && (seen as { cancels?: number } | undefined)?.cancels !== 1; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const pong = await peer.call('ping_me', {});
    assert.is(textOf(pong), 'pong');
    seen = pong.structuredContent;
  }
  assert.equal(seen, { cancels: 1 });
}

async function serve() {
  const { server, cancelled } = hardServer();
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  return { url: new URL(`http://127.0.0.1:${listening.port}/mcp`), cancelled, close: async () => { await holder.handler!.close(); await listening.close(); } };
}

/** An SDK 2.4 client in `mode` that accepts every form; `elicited` counts the forms it answered. */
function sdk24Client(mode: 'legacy' | 'modern'): { client: Client; elicited: () => number } {
  const client = new Client({ name: 'sdk-client', version: '2.4.0' }, {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: mode === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
  });
  let elicited = 0;
  client.setRequestHandler('elicitation/create', async () => { elicited++; return { action: 'accept' as const, content: { go: true } }; });
  return { client, elicited: () => elicited };
}

const walk = suite('SDK clients against the hard walk server (HTTP)');

for (const mode of ['legacy', 'modern'] as const) {
  walk(`SDK 2.4, ${mode === 'legacy' ? 'legacy mode' : 'pinned to 2026-07-28'}`, async () => {
    const running = await serve();
    const { client, elicited } = sdk24Client(mode);
    try {
      await client.connect(new StreamableHTTPClientTransport(running.url));
      assert.is(client.getNegotiatedProtocolVersion(), mode === 'legacy' ? '2025-11-25' : '2026-07-28');
      await battery({
        async list(kind, cursor) {
          const params = cursor === undefined ? {} : { cursor };
          if (kind === 'tools') { const r = await client.listTools(params); return { items: r.tools, nextCursor: r.nextCursor }; }
          if (kind === 'resources') { const r = await client.listResources(params); return { items: r.resources, nextCursor: r.nextCursor }; }
          const r = await client.listPrompts(params);
          return { items: r.prompts, nextCursor: r.nextCursor };
        },
        call: (name, args, options) => client.callTool({ name, arguments: args }, options),
        elicited,
      }, running.cancelled, mode, 'whole');
    } finally {
      await client.close();
      await running.close();
    }
  });
}

/** Node with TypeScript sources, as the test runner itself runs. */
const SERVER = fileURLToPath(new URL('./peer-hard-server.ts', import.meta.url));

for (const mode of ['legacy', 'modern'] as const) {
  walk(`SDK 2.4 over stdio, ${mode === 'legacy' ? 'legacy mode' : 'pinned to 2026-07-28'}`, async () => {
    const { client, elicited } = sdk24Client(mode);
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [...await bundledScript(SERVER), 'stdio'], stderr: 'ignore' }));
      assert.is(client.getNegotiatedProtocolVersion(), mode === 'legacy' ? '2025-11-25' : '2026-07-28');
      await battery({
        async list(kind) {
          if (kind === 'tools') return { items: (await client.listTools()).tools };
          if (kind === 'resources') return { items: (await client.listResources()).resources };
          return { items: (await client.listPrompts()).prompts };
        },
        call: (name, args, options) => client.callTool({ name, arguments: args }, options),
        elicited,
      }, undefined, mode, 'whole', true);
    } finally {
      await client.close();
    }
  });
}

walk('SDK 1.32 (2025-11-25)', async () => {
  const running = await serve();
  const client = new Sdk1Client({ name: 'sdk1', version: '1.32.2' }, { capabilities: { elicitation: { form: {} } } });
  let elicited = 0;
  client.setRequestHandler(ElicitRequestSchema, async () => { elicited++; return { action: 'accept' as const, content: { go: true } }; });
  try {
    await client.connect(new Sdk1Transport(running.url));
    await battery({
      async list(kind, cursor) {
        const params = cursor === undefined ? {} : { cursor };
        if (kind === 'tools') { const r = await client.listTools(params); return { items: r.tools, nextCursor: r.nextCursor }; }
        if (kind === 'resources') { const r = await client.listResources(params); return { items: r.resources, nextCursor: r.nextCursor }; }
        const r = await client.listPrompts(params);
        return { items: r.prompts, nextCursor: r.nextCursor };
      },
      call: async (name, args, options) => await client.callTool({ name, arguments: args }, undefined, options) as { content?: unknown },
      elicited: () => elicited,
    }, running.cancelled, 'legacy', 'each');
  } finally {
    await client.close();
    await running.close();
  }
});

walk.run();
