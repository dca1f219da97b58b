// `mcpwire host --url` against servers that speak 2026-07-28 only: ours (`eras: 'modern'`) and
// the official SDK 2.4's stateless handler (`legacy: 'reject'`). The host sends initialize,
// is refused with -32022, and goes on in the stateless era: it lists, calls with progress,
// answers a form through the multi round-trip loop, and says which era it speaks. A dual-era
// server keeps the 2025 era (its sessions and resumption).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Server as SdkServer, createMcpHandler, inputRequired, acceptedContent } from '@modelcontextprotocol/server';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';
import { killAll, spawnHost, tempDir } from './host-harness.ts';

const NAME_SCHEMA = { type: 'object' as const, properties: { name: { type: 'string' as const, title: 'Name' } }, required: ['name'] };

async function ours(eras: 'modern' | 'both'): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ name: 'ours-modern', version: '1.0.0' });
  server.tool({ name: 'count', description: 'Counts with progress.' }, async (_args, ctx) => {
    for (const step of [1, 2, 3]) await ctx.progress(step, 3, `step ${step}`);
    return `counted (${ctx.protocolVersion})`;
  });
  server.tool({ name: 'greet', description: 'Asks a name.' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Who is travelling?', requestedSchema: NAME_SCHEMA }, { key: 'who' });
    return `hello ${String(answer.content?.name)}`;
  });
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening: ListeningServer = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { eras, keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await holder.handler!.close(); await listening.close(); } };
}

async function sdk(): Promise<{ url: string; close(): Promise<void> }> {
  const factory = () => {
    const server = new SdkServer({ name: 'sdk-modern', version: '2.4.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'count', inputSchema: { type: 'object' as const } }, { name: 'greet', inputSchema: { type: 'object' as const } }] }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      if (request.params.name === 'count') {
        const token = request.params._meta?.progressToken;
        for (const progress of [1, 2, 3]) if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total: 3, message: `step ${progress}` } });
        return { content: [{ type: 'text' as const, text: 'counted (2026-07-28)' }] };
      }
      const answer = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'who');
      if (!answer) return inputRequired({ inputRequests: { who: inputRequired.elicit({ message: 'Who is travelling?', requestedSchema: NAME_SCHEMA }) } }) as never;
      return { content: [{ type: 'text' as const, text: `hello ${answer.name}` }] };
    });
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: 'reject', keepAliveMs: 0 });
  const listening = await listen((request) => handler.fetch(request), { port: 0 });
  return { url: `http://127.0.0.1:${listening.port}/mcp`, close: async () => { await handler.close(); await listening.close(); } };
}

let dir: { path: string; remove(): Promise<void> };
const host = suite('host --url against a 2026-07-28-only server');
host.before(async () => { dir = await tempDir('mcpwire-host-modern-'); });
host.after(async () => { await killAll(); await dir.remove(); });

async function exec(url: string, command: string, input = '') {
  const p = spawnHost(['--url', url, '--state', join(dir.path, 'host'), '--exec', command, '--json']);
  p.child.stdin!.end(input);
  const code = await p.exited(30_000);
  return { code, doc: JSON.parse(p.out() || 'null') as Record<string, any> | null, err: p.err() };
}

for (const [name, start] of [['ours with eras: modern', () => ours('modern')], ['the SDK 2.4 stateless handler', sdk]] as const) {
  host(`${name}: list, a call with progress, a form answered through MRTR; the era is reported`, async () => {
    const server = await start();
    try {
      const list = await exec(server.url, 'list');
      assert.is(list.code, 0, list.err);
      assert.equal(list.doc?.tools.map((t: { name: string }) => t.name).sort(), ['count', 'greet']);
      const count = await exec(server.url, 'count');
      assert.is(count.code, 0, count.err);
      assert.equal(count.doc?.result.content, [{ type: 'text', text: 'counted (2026-07-28)' }]);
      assert.is(count.doc?.era, 'modern');
      assert.is(count.doc?.protocolVersion, '2026-07-28');
      assert.match(count.err, /step 3/, 'progress reached the host');
      // accept the form, type the name, send it
      const greet = await exec(server.url, 'greet', 'a\nAda\ny\n');
      assert.is(greet.code, 0, greet.err);
      assert.equal(greet.doc?.result.content, [{ type: 'text', text: 'hello Ada' }]);
      assert.match(greet.err, /Who is travelling\?/);
    } finally {
      await server.close();
    }
  });
}

host('a dual-era server keeps the 2025 era (sessions)', async () => {
  const server = await ours('both');
  try {
    const count = await exec(server.url, 'count');
    assert.is(count.code, 0, count.err);
    assert.is(count.doc?.era, 'legacy');
    assert.is(count.doc?.protocolVersion, '2025-11-25');
    assert.equal(count.doc?.result.content, [{ type: 'text', text: 'counted (2025-11-25)' }]);
  } finally {
    await server.close();
  }
});

host.run();
