// `client.listen(filter, handlers)` in 2026-07-28 (subscriptions/listen) against a scripted
// server: the acknowledgement, routing by subscriptionId, the client's callbacks as the
// fallback, re-listen after a drop with every watched list and resource reported changed,
// and close() ending the stream.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { heldStream, scripted } from './modern-script.ts';

const URL_BASE = 'http://127.0.0.1:3006/mcp';

const note = (method: string, id: unknown, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', method, params: { ...params, _meta: { 'io.modelcontextprotocol/subscriptionId': id } } });

const listen = suite('client: subscriptions/listen');

listen('acknowledged, routed by subscriptionId, re-listened after a drop with a re-fetch of what it watches, closed', async () => {
  const streams: Array<ReturnType<typeof heldStream> & { id: unknown; filter: unknown }> = [];
  let opened!: () => void;
  let next = new Promise<void>((r) => { opened = r; });
  const { fetch, seen } = scripted((s) => {
    if (s.body.method !== 'subscriptions/listen') return undefined;
    const stream = { ...heldStream(), id: s.body.id, filter: s.body.params?.notifications };
    streams.push(stream);
    queueMicrotask(opened);
    return stream.response;
  });
  const fallback: string[] = [];
  const client = createClient({ name: 'listen', version: '1' }, {
    era: 'modern', eraCache: false,
    onListChanged: (kind) => fallback.push(`list ${kind}`),
  });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch }));
  const events: string[] = [];
  const drops: number[] = [];
  const listening = client.listen({ toolsListChanged: true, resourceSubscriptions: ['file:///a'] }, {
    onListChanged: (kind) => events.push(`list ${kind}`),
    onResourceUpdated: (uri) => events.push(`updated ${uri}`),
    onAcknowledged: (agreed) => events.push(`ack ${JSON.stringify(agreed)}`),
    onDrop: (_e, attempt) => drops.push(attempt),
  }, { initialDelayMs: 5 });

  await next;
  const first = streams[0]!;
  assert.equal(first.filter, { toolsListChanged: true, resourceSubscriptions: ['file:///a'] });
  const request = seen.find((s) => s.body.method === 'subscriptions/listen')!;
  assert.is(request.headers['mcp-method'], 'subscriptions/listen');
  assert.is(request.body.params?._meta['io.modelcontextprotocol/protocolVersion'], '2026-07-28');
  first.send(note('notifications/subscriptions/acknowledged', first.id, { notifications: { toolsListChanged: true, resourceSubscriptions: ['file:///a'] } }));
  assert.equal(await listening.acknowledged, { toolsListChanged: true, resourceSubscriptions: ['file:///a'] });
  assert.is(listening.subscriptionId, first.id);
  first.send(note('notifications/tools/list_changed', first.id));
  first.send(note('notifications/resources/updated', first.id, { uri: 'file:///a' }));
  first.send(note('notifications/prompts/list_changed', 'someone-else'));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(events.slice(1), ['list tools', 'updated file:///a']);
  assert.equal(fallback, ['list prompts'], 'a notification of no listen goes to the client callbacks');

  // The stream drops: listen again, and once acknowledged report what it watches as changed.
  events.length = 0;
  next = new Promise<void>((r) => { opened = r; });
  first.end();
  await next;
  const second = streams[1]!;
  assert.is.not(second.id, first.id, 'a new request id');
  assert.equal(drops, [1]);
  second.send(note('notifications/subscriptions/acknowledged', second.id, { notifications: { toolsListChanged: true, resourceSubscriptions: ['file:///a'] } }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(events.slice(1), ['list tools', 'updated file:///a']);

  await listening.close();
  const post = seen.filter((s) => s.body.method === 'subscriptions/listen').at(-1)!;
  assert.ok(post.signal?.aborted, 'close() closed the stream');
  assert.is(streams.length, 2, 'no listen after close');
  await client.close();
});

listen('re-listening after many failed attempts leaves no abort listener behind per pause', async () => {
  // Each pause between attempts added a listener to the listen's stop signal and never took
  // it off: a listen that dropped 11 times warned MaxListenersExceededWarning, and one that
  // lived through many drops held a closure per drop.
  const warnings: string[] = [];
  const onWarning = (w: Error) => { if (w.name === 'MaxListenersExceededWarning') warnings.push(w.message); };
  process.on('warning', onWarning);
  const { fetch, seen } = scripted((s) => (s.body.method === 'subscriptions/listen' ? new Response('starting', { status: 503 }) : undefined));
  const client = createClient({ name: 'listen', version: '1' }, { era: 'modern', eraCache: false });
  await client.connect(createHttpClientTransport({ url: URL_BASE, fetch }));
  const gaveUp = new Promise<Error>((resolve) => {
    client.listen({ toolsListChanged: true }, { onGiveUp: resolve }, { initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 15 });
  });
  const error = await gaveUp;
  await new Promise((r) => setImmediate(r)); // a warning is emitted on the next tick
  process.off('warning', onWarning);
  await client.close();
  assert.match(error.message, 'failed 15 times in a row');
  assert.is(seen.filter((s) => s.body.method === 'subscriptions/listen').length, 15);
  assert.equal(warnings, []);
});

listen('in the legacy era the same call subscribes to the resources on the session, and close() unsubscribes', async () => {
  const server = createServer({ name: 'legacy-listen', version: '1' });
  server.resource({ uri: 'file:///a', name: 'a', mimeType: 'text/plain' }, () => 'a');
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  const methods: string[] = [];
  const client = createClient({ name: 'listen', version: '1' }, { era: 'legacy' });
  await client.connect(createHttpClientTransport({
    url: 'http://127.0.0.1:3000/mcp', openStandaloneStream: false,
    fetch: (url, init) => {
      if (init.method === 'POST') methods.push((JSON.parse(String(init.body)) as { method?: string }).method ?? 'response');
      return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
    },
  }));
  const listening = client.listen({ toolsListChanged: true, resourceSubscriptions: ['file:///a'] });
  assert.equal(await listening.acknowledged, { toolsListChanged: true, resourceSubscriptions: ['file:///a'] });
  assert.ok(client.subscriptions.has('file:///a'));
  await listening.close();
  assert.not.ok(client.subscriptions.has('file:///a'));
  assert.ok(methods.includes('resources/subscribe') && methods.includes('resources/unsubscribe'));
  await client.close();
  await handler.close();
});

listen.run();
