// A re-listen after a drop tells the application that every list it watches changed (what
// changed while no stream was open was missed); the list cached within its ttlMs must then be
// fetched again, not served from the cache. Found against the Python SDK's MCPServer
// (`cache_hints` tools/list 60 s public, peerwalk7): `listTools()` after the re-listen's
// `onListChanged('tools')` returned the list from before the drop.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type ListenHandlers } from 'mcpwire/client';
import { heldStream, scripted } from './modern-script.ts';

const acknowledged = (id: unknown) => ({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true }, _meta: { 'io.modelcontextprotocol/subscriptionId': id } } });

const gap = suite('client: a re-listen after a drop makes the cached lists it watches stale');

for (const own of [true, false]) {
  gap(`tools/list cached for 60 s is fetched again after the re-listen (${own ? 'the listen\'s own onListChanged' : 'the client\'s onListChanged'})`, async () => {
    let version = 1;
    let lists = 0;
    const streams: Array<ReturnType<typeof heldStream> & { id: unknown }> = [];
    let opened!: () => void;
    let next = new Promise<void>((r) => { opened = r; });
    const { fetch } = scripted((s) => {
      if (s.body.method === 'tools/list') {
        lists += 1;
        return { tools: [{ name: `v${version}`, inputSchema: { type: 'object' } }], ttlMs: 60_000, cacheScope: 'public' };
      }
      if (s.body.method !== 'subscriptions/listen') return undefined;
      const stream = { ...heldStream(), id: s.body.id };
      streams.push(stream);
      queueMicrotask(opened);
      return stream.response;
    });
    const told: string[] = [];
    let relistened!: () => void;
    const changed = new Promise<void>((r) => { relistened = r; });
    const onListChanged = (kind: string) => { told.push(kind); relistened(); };
    const client = createClient({ name: 'gap', version: '1' }, { era: 'modern', eraCache: false, ...(own ? {} : { onListChanged }) });
    await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3007/mcp', fetch }));
    assert.equal((await client.listTools()).map((t) => t.name), ['v1']);
    assert.equal((await client.listTools()).map((t) => t.name), ['v1'], 'served from the cache within its ttlMs');
    assert.is(lists, 1);

    const handlers: ListenHandlers = own ? { onListChanged } : {};
    const listening = client.listen({ toolsListChanged: true }, handlers, { initialDelayMs: 5 });
    try {
      await next;
      streams[0]!.send(acknowledged(streams[0]!.id));
      await listening.acknowledged;
      // The server changes its tools while the stream is down: the notification is lost with it.
      version = 2;
      next = new Promise<void>((r) => { opened = r; });
      streams[0]!.end();
      await next;
      streams[1]!.send(acknowledged(streams[1]!.id));
      await changed;
      assert.equal(told, ['tools']);
      assert.equal((await client.listTools()).map((t) => t.name), ['v2'], 'the list the gap changed, fetched again');
      assert.is(lists, 2);
    } finally {
      await listening.close();
      await client.close();
    }
  });
}

gap.run();
