// The client's callbacks learn which of our calls a server request belongs to: over
// Streamable HTTP a server sends the requests and log messages of a tools/call on that
// POST's SSE stream (2025-11-25 basic/transports), and the callbacks' context says so,
// with the server that asked and the request's own id.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type InboundContext, type NotificationContext } from 'mcpwire/client';
import type { RequestId } from 'mcpwire/protocol';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { registerFixtures } from '../conformance/fixtures/index.ts';
import { URL_BASE } from './http-fixture.ts';

const context = suite('client callbacks: the call a server request belongs to');

async function connected(seen: { asks: Array<{ kind: string; ctx: InboundContext }>; logs: NotificationContext[] }) {
  const server = createServer({ name: 'fixtures', version: '7.1' });
  registerFixtures(server);
  server.tool({ name: 'roots_probe', description: 'Lists the client roots.' }, async (_args, ctx) => `${(await ctx.listRoots()).length} roots`);
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'] });
  const fetch: FetchLike = (url, init) => handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
  const client = createClient({ name: 't', version: '1' }, {
    onElicit: (_params, ctx) => { seen.asks.push({ kind: 'elicit', ctx }); return { action: 'accept', content: { username: 'ada' } }; },
    onSample: (_params, ctx) => { seen.asks.push({ kind: 'sample', ctx }); return { role: 'assistant', model: 'm', content: { type: 'text', text: 'ok' } }; },
    onRoots: (ctx) => { seen.asks.push({ kind: 'roots', ctx }); return [{ uri: 'file:///tmp-root', name: 'r' }]; },
    onLog: (_params, ctx) => { seen.logs.push(ctx); },
  });
  const transport = createHttpClientTransport({ url: URL_BASE, fetch, openStandaloneStream: false });
  await client.connect(transport);
  return { client, close: async () => { await client.close(); await handler.close(); } };
}

context('elicitation, sampling and roots callbacks are told the tools/call id, the server and the signal', async () => {
  const seen = { asks: [] as Array<{ kind: string; ctx: InboundContext }>, logs: [] as NotificationContext[] };
  const { client, close } = await connected(seen);
  try {
    const ids: Record<string, RequestId> = {};
    for (const [tool, args] of [['test_elicitation', { message: 'who?' }], ['test_sampling', { prompt: 'hi' }], ['roots_probe', {}]] as const) {
      await client.callTool(tool, args, { onRequestId: (id) => { ids[tool] = id; } });
    }
    assert.equal(seen.asks.map((a) => a.kind), ['elicit', 'sample', 'roots']);
    const [elicit, sample, roots] = seen.asks.map((a) => a.ctx);
    assert.is(elicit!.relatedRequestId, ids.test_elicitation);
    assert.is(sample!.relatedRequestId, ids.test_sampling);
    assert.is(roots!.relatedRequestId, ids.roots_probe);
    assert.is.not(elicit!.relatedRequestId, sample!.relatedRequestId);
    for (const a of seen.asks) {
      assert.equal(a.ctx.server, { name: 'fixtures', version: '7.1' });
      assert.ok(a.ctx.signal instanceof AbortSignal);
      assert.ok(typeof a.ctx.requestId === 'number' || typeof a.ctx.requestId === 'string', 'the server request id');
      assert.is.not(a.ctx.requestId, a.ctx.relatedRequestId);
    }
  } finally {
    await close();
  }
});

context('log messages of a call carry its id in onLog\'s context', async () => {
  const seen = { asks: [] as Array<{ kind: string; ctx: InboundContext }>, logs: [] as NotificationContext[] };
  const { client, close } = await connected(seen);
  try {
    await client.setLoggingLevel('debug');
    let id: RequestId | undefined;
    await client.callTool('test_tool_with_logging', {}, { onRequestId: (next) => { id = next; } });
    assert.is(seen.logs.length, 3);
    for (const ctx of seen.logs) {
      assert.is(ctx.relatedRequestId, id);
      assert.is(ctx.server?.name, 'fixtures');
    }
  } finally {
    await close();
  }
});

context.run();
