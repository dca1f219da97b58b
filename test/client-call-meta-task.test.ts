// `callTool(name, args, { task: true, meta })`: the caller's own `_meta` keys go on the
// `tools/call` that starts the task, beside what the client puts there itself (2025-11-25: the
// task's progress token; 2026-07-28: the envelope and the tasks extension it declares,
// SEP-2663). A reserved key is refused before anything is sent. In-process HTTP, our server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { within } from './tasks-fixture.ts';

const TRACE = { 'example.com/trace': 'é1' };

const test = suite('callTool meta on a task call');

for (const era of ['legacy', 'modern'] as const) {
  test(`${era}: the task's tools/call carries the caller's keys beside the client's own`, async () => {
    const server = createServer({ name: 'jobs', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore(), pollIntervalMs: 10 } });
    server.tool({ name: 'job', description: 'Works as a task.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      await ctx.progress(1, 1);
      return 'done';
    });
    const handler = createMcpHttpHandler(server, { disableHostChecks: true });
    const calls: Array<Record<string, unknown>> = [];
    const fetch: FetchLike = async (url, init) => {
      const body = typeof init.body === 'string' ? JSON.parse(init.body) as { method?: string; params?: { _meta?: Record<string, unknown> } } : undefined;
      if (body?.method === 'tools/call') calls.push(body.params?._meta ?? {});
      return handler.handle(new Request(url, init as RequestInit));
    };
    const client = createClient({ name: 'meta-task', version: '1' }, { era, eraCache: false });
    try {
      await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1/mcp', fetch }));
      const refused = await client.callTool('job', {}, { task: true, meta: { 'io.modelcontextprotocol/related-task': {} } }).then(() => undefined, (e: unknown) => e as { code?: string });
      assert.is(refused?.code, 'MCP_ERR_VALIDATION');
      assert.is(calls.length, 0, 'a refused meta sent nothing');
      const result = await within(client.callTool('job', {}, { task: true, pollIntervalMs: 10, meta: TRACE, onProgress: () => {} }));
      assert.equal(result.content, [{ type: 'text', text: 'done' }]);
      const sent = calls[0]!;
      assert.is(sent['example.com/trace'], 'é1', `the caller's key was not sent: ${JSON.stringify(sent)}`);
      if (era === 'legacy') assert.type(sent.progressToken, 'string', 'the task\'s progress token is kept');
      else {
        assert.is(sent['io.modelcontextprotocol/protocolVersion'], '2026-07-28');
        const caps = sent['io.modelcontextprotocol/clientCapabilities'] as { extensions?: Record<string, unknown> };
        assert.ok(caps.extensions?.['io.modelcontextprotocol/tasks'], 'the tasks extension is still declared');
      }
    } finally {
      await client.close();
      await handler.close();
    }
  });
}

test.run();
