// A real 2026-07-28 client waiting for a task hears its changes pushed (SEP-2663:
// subscriptions/listen with `taskIds`, `notifications/tasks`), so wait() does not sleep out
// its poll interval: with a poll interval far longer than the test's deadline, each step's
// status and the result arrive as the task makes them, and the listen stream ends with the
// wait. Against a server that serves no listen, wait() still polls to the end.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type McpClient } from 'mcpwire/client';
import type { Progress } from 'mcpwire/protocol';
import { createMcpHttpHandler, createServer, type McpServer } from 'mcpwire/server';
import { createMemoryTaskStore, listen, type ListeningServer } from 'mcpwire/transport';
import { gate, within } from './tasks-fixture.ts';

const test = suite('client-tasks-modern-push');

/** A tool of three steps; each waits for the test's gate. */
function steps(server: McpServer, step: Array<{ promise: Promise<void> }>): void {
  server.tool({ name: 'steps', description: 'Three steps, each when the test says so.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
    await step[0]!.promise;
    await ctx.progress(1, 2, 'searching');
    await step[1]!.promise;
    await ctx.progress(2, 2, 'booking');
    await step[2]!.promise;
    return 'booked';
  });
}

/**
 * A modern server over HTTP; `heard(method)` resolves at the first POST of that JSON-RPC
 * method, `count(method)` counts them. With `refuseListen`, subscriptions/listen gets what a
 * server without it answers (404, -32601).
 */
async function modernServer(setup: (server: McpServer) => void, poll: number, refuseListen = false) {
  const server = createServer({ name: 'push', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore(), pollIntervalMs: poll } });
  setup(server);
  const seen: string[] = [];
  const waiting = new Map<string, () => void>();
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening: ListeningServer = await listen(async (request: Request) => {
    const method = request.headers.get('mcp-method') ?? '';
    seen.push(method);
    waiting.get(method)?.();
    if (refuseListen && method === 'subscriptions/listen') {
      return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32601, message: 'Method not found: subscriptions/listen' } }, { status: 404 });
    }
    return holder.handler!.handle(request);
  }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { eras: 'modern', keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  return {
    url: `http://127.0.0.1:${listening.port}/mcp`,
    count: (method: string) => seen.filter((m) => m === method).length,
    heard: (method: string) => seen.includes(method) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(method, resolve)),
    close: async () => { await holder.handler!.close(); await listening.close(); },
  };
}

async function modernClient(url: string, errors: Error[] = []): Promise<McpClient> {
  const client = createClient({ name: 'push-test', version: '1.0.0' }, { era: 'modern', eraCache: false, onError: (e) => errors.push(e) });
  await client.connect(createHttpClientTransport({ url }));
  return client;
}

test('wait() gets each step and the result as pushed, long before its next poll', async () => {
  const step = [gate(), gate(), gate()];
  const server = await modernServer((s) => steps(s, step), 60_000);
  const client = await modernClient(server.url);
  try {
    const progress: Progress[] = [];
    const heard = [gate(), gate()];
    const result = client.callTool('steps', {}, {
      task: true,
      onProgress: (p) => {
        progress.push(p);
        heard[progress.length - 1]?.open();
      },
    });
    // Each step goes on once the previous one was heard: no poll comes within the deadline.
    await within(server.heard('subscriptions/listen'), 5000, 'the listen request');
    step[0]!.open();
    await within(heard[0]!.promise, 5000, 'the first step pushed');
    step[1]!.open();
    await within(heard[1]!.promise, 5000, 'the second step pushed');
    step[2]!.open();
    const done = await within(result, 5000, 'the result after the push');
    assert.equal(done.content, [{ type: 'text', text: 'booked' }]);
    assert.equal(progress.map((p) => [p.progress, p.message]), [[1, 'searching'], [2, 'booking']]);
    const gets = server.count('tasks/get');
    assert.ok(gets <= 3, `pushed steps need no tasks/get: one first, one after the acknowledgement, one for the result (saw ${gets})`);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a server without subscriptions/listen: wait() polls to the end', async () => {
  const step = [gate(), gate(), gate()];
  const server = await modernServer((s) => steps(s, step), 10, true);
  const errors: Error[] = [];
  const client = await modernClient(server.url, errors);
  try {
    const result = client.callTool('steps', {}, { task: true, pollIntervalMs: 10 });
    await within(server.heard('subscriptions/listen'), 5000, 'the refused listen request');
    await within(server.heard('tasks/get'), 5000, 'the first poll');
    for (const s of step) s.open();
    const done = await within(result, 5000, 'the polled result');
    assert.equal(done.content, [{ type: 'text', text: 'booked' }]);
    assert.ok(server.count('tasks/get') >= 2, 'it polled');
    assert.equal(errors, [], 'a server without listen is no error: the waiter polls');
  } finally {
    await client.close();
    await server.close();
  }
});

test.run();
