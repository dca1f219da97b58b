// The official SDK 2.4 client (devDependency) against our server on both eras at once, the
// way a peer's host meets it: once in its default legacy mode (initialize, a session) and once
// pinned to 2026-07-28 (stateless requests). The same server and the same calls in both:
// resources and a template, a prompt with arguments, completion, structured output, a tool
// error, an unknown tool, sampling, roots; then what only one era has (logging/setLevel,
// resources/subscribe, cancellation by notification; subscriptions/listen). Then our client
// against the SDK's McpServer behind createMcpHandler (2026-07-28, and 2025-11-25 stateless):
// the same kinds of calls, the other way round. Loopback, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, type McpServer } from 'mcpwire/server';
import { listen, type ListeningServer } from 'mcpwire/transport';
import { commonBattery, fullServer, sdkBattery, sdkClient, sdkServer, textOf } from './support/sdk2-interop.ts';

interface Running { url: string; close(): Promise<void> }

/** `server` on both eras over HTTP on a loopback port. */
async function serve(server: McpServer): Promise<Running> {
  const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
  const listening: ListeningServer = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0 });
  holder.handler = createMcpHttpHandler(server, { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
  return {
    url: `http://127.0.0.1:${listening.port}/mcp`,
    close: async () => { await holder.handler!.close(); await listening.close(); },
  };
}

const matrix = suite('SDK 2.4 client against our two-era server');

matrix('legacy mode (initialize, a session): the battery, logging/setLevel, resources/subscribe, cancellation', async () => {
  const { server, cancelled } = fullServer();
  const running = await serve(server);
  const client = sdkClient('legacy');
  const logs: unknown[] = [];
  const updates: string[] = [];
  client.setNotificationHandler('notifications/message', (n) => { logs.push(n.params.data); });
  client.setNotificationHandler('notifications/resources/updated', (n) => { updates.push(n.params.uri); });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    assert.is(client.getNegotiatedProtocolVersion(), '2025-11-25');
    await commonBattery(client);
    await client.ping();
    await client.setLoggingLevel('info');
    assert.is(textOf(await client.callTool({ name: 'chatty', arguments: {} })), 'said it');
    assert.equal(logs, ['low battery']);
    await client.subscribeResource({ uri: 'memo://readme' });
    const updated = new Promise<void>((resolve) => client.setNotificationHandler('notifications/resources/updated', (n) => { updates.push(n.params.uri); resolve(); }));
    await server.resourceUpdated('memo://readme');
    await updated;
    assert.equal(updates, ['memo://readme']);
    const abort = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: {} }, { signal: abort.signal });
    // Cancel once the call is running: the tool sees its signal abort.
    setImmediate(() => abort.abort());
    const failure = await call.then(() => undefined, (error: unknown) => error);
    assert.ok(failure instanceof Error, 'the cancelled call did not fail');
    await cancelled;
  } finally {
    await client.close();
    await running.close();
  }
});

matrix('pinned to 2026-07-28 (stateless): the battery by input rounds, logs on the request stream, subscriptions/listen', async () => {
  const { server } = fullServer();
  const running = await serve(server);
  const client = sdkClient({ pin: '2026-07-28' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    assert.is(client.getNegotiatedProtocolVersion(), '2026-07-28');
    await commonBattery(client);
    const changed = new Promise<void>((resolve) => client.setNotificationHandler('notifications/tools/list_changed', () => resolve()));
    const subscription = await client.listen({ toolsListChanged: true });
    assert.is(subscription.honoredFilter.toolsListChanged, true);
    server.tool({ name: 'late', description: 'Added after the listen.' }, async () => 'late');
    await changed;
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'late'));
    await subscription.close();
    assert.is(await subscription.closed, 'local');
  } finally {
    await client.close();
    await running.close();
  }
});

const reverse = suite('our client against the SDK 2.4 McpServer');

for (const era of ['modern', 'legacy'] as const) {
  reverse(`era ${era}: resources, a template, a prompt, completion, structured output, a tool error`, async () => {
    const handler = createMcpHandler(() => sdkServer(), { legacy: 'stateless', keepAliveMs: 0 });
    const listening = await listen((request) => handler.fetch(request), { port: 0 });
    const client = createClient({ name: 'mcpwire', version: '1' }, { era, eraCache: false });
    try {
      await client.connect(createHttpClientTransport({ url: `http://127.0.0.1:${listening.port}/mcp` }));
      assert.is(client.era, era);
      await sdkBattery(client);
    } finally {
      await client.close();
      await handler.close();
      await listening.close();
    }
  });
}

matrix.run();
reverse.run();
