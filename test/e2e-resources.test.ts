// Resources end to end over the in-memory pair, every message through the schema tap:
// listing and paging, reading static resources and templates, not-found errors,
// subscriptions across two connections, list_changed, and capability declaration.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { McpError, RpcError, type Resource, type ResourceTemplate } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';

const VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

function makeServer(pageSize = 100, setup?: (s: McpServer) => void): McpServer {
  const server = createServer({ name: 'resources-test', version: '1.0.0' }, { pageSize });
  setup?.(server);
  return server;
}

const rich: Resource = {
  uri: 'docs://guide', name: 'guide', title: 'The guide', description: 'How to', mimeType: 'text/markdown', size: 42,
  icons: [{ src: 'https://example.com/i.png', mimeType: 'image/png', sizes: ['48x48'], theme: 'dark' }],
  annotations: { audience: ['user'], priority: 0.5, lastModified: '2025-01-12T15:00:58Z' },
  _meta: { 'example.com/k': 1 },
};

const listing = suite('resources: listing and paging');

listing('resources and templates page with opaque cursors in registration order, fields untouched', async () => {
  const server = makeServer(2, (s) => {
    s.resource(rich, () => 'x');
    for (let i = 0; i < 4; i++) s.resource({ uri: `mem://r/${i}`, name: `r${i}` }, () => `r${i}`);
    for (let i = 0; i < 3; i++) s.resourceTemplate({ uriTemplate: `mem://t${i}/{id}`, name: `t${i}`, icons: rich.icons! }, () => 'x');
  });
  const c = await connectClient(server);
  const resources: Resource[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await c.client.peer.request('resources/list', cursor === undefined ? {} : { cursor });
    resources.push(...page.resources);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined);
  assert.is(pages, 3);
  assert.equal(resources.map((r) => r.uri), ['docs://guide', 'mem://r/0', 'mem://r/1', 'mem://r/2', 'mem://r/3']);
  assert.equal(resources[0], rich, 'title, icons, annotations, size and _meta pass through untouched');
  const templates: ResourceTemplate[] = [];
  cursor = undefined;
  do {
    const page: { resourceTemplates: ResourceTemplate[]; nextCursor?: string } = await c.client.peer.request('resources/templates/list', cursor === undefined ? {} : { cursor });
    templates.push(...page.resourceTemplates);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  assert.equal(templates.map((t) => t.uriTemplate), ['mem://t0/{id}', 'mem://t1/{id}', 'mem://t2/{id}']);
  assert.equal(templates[0], { uriTemplate: 'mem://t0/{id}', name: 't0', icons: rich.icons });
  await c.close();
});

listing('an invalid cursor, or one from another list, is -32602', async () => {
  const server = makeServer(1, (s) => {
    s.resource({ uri: 'mem://a', name: 'a' }, () => 'a');
    s.resource({ uri: 'mem://b', name: 'b' }, () => 'b');
    s.resourceTemplate({ uriTemplate: 'mem://t/{x}', name: 't' }, () => 'x');
  });
  const c = await connectClient(server);
  const bad = await c.client.peer.request('resources/list', { cursor: 'not-ours' }).catch((e) => e);
  assert.instance(bad, RpcError);
  assert.is(bad.code, -32602);
  const { nextCursor } = await c.client.peer.request('resources/list', {});
  assert.type(nextCursor, 'string');
  const crossed = await c.client.peer.request('resources/templates/list', { cursor: nextCursor! }).catch((e) => e);
  assert.is(crossed.code, -32602);
  await c.close();
});

listing('resources are declared only once something is registered, or when asked for', async () => {
  const bare = await connectClient(makeServer());
  assert.is(bare.client.serverCapabilities?.resources, undefined);
  assert.is(bare.client.serverCapabilities?.prompts, undefined);
  assert.is(bare.client.serverCapabilities?.completions, undefined);
  const refused = await bare.client.peer.request('resources/list', {}).catch((e) => e);
  assert.instance(refused, McpError, 'our client refuses locally what the server did not declare');
  await bare.close();

  const some = await connectClient(makeServer(100, (s) => s.resource({ uri: 'mem://a', name: 'a' }, () => 'a')));
  assert.equal(some.client.serverCapabilities?.resources, { subscribe: true, listChanged: true });
  await some.close();

  const asked = createServer({ name: 'x', version: '1' }, { capabilities: { resources: { listChanged: true } } });
  const early = await connectClient(asked);
  assert.equal(early.client.serverCapabilities?.resources, { listChanged: true });
  assert.equal(await early.client.peer.request('resources/list', {}), { resources: [] });
  await early.close();
});

const reading = suite('resources: read');

for (const version of VERSIONS) {
  reading(`text, bytes, contents and templates read back schema-valid at ${version}`, async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = makeServer(100, (s) => {
      s.resource({ uri: 'mem://text', name: 'text', mimeType: 'text/plain' }, () => 'hello');
      s.resource({ uri: 'mem://bytes', name: 'bytes', mimeType: 'application/octet-stream' }, () => new Uint8Array([0, 1, 2, 255]));
      s.resource({ uri: 'mem://two', name: 'two' }, (uri) => [{ uri, text: 'a' }, { uri: `${uri}#b`, mimeType: 'image/png', blob: 'AAEC' }]);
      s.resourceTemplate({ uriTemplate: 'mem://users/{id}/posts/{post}', name: 'posts', mimeType: 'application/json' }, (uri, vars) => {
        seen.push(vars);
        return JSON.stringify(vars);
      });
      s.resourceTemplate({ uriTemplate: 'mem://users/{id}{/rest*}', name: 'users' }, (uri, vars) => ({ contents: [{ uri, text: `user ${String(vars.id)}` }] }));
    });
    const c = await connectClient(server, { version });
    const read = (uri: string) => c.client.peer.request('resources/read', { uri });
    assert.equal(await read('mem://text'), { contents: [{ uri: 'mem://text', mimeType: 'text/plain', text: 'hello' }] });
    assert.equal(await read('mem://bytes'), { contents: [{ uri: 'mem://bytes', mimeType: 'application/octet-stream', blob: 'AAEC/w==' }] });
    assert.is((await read('mem://two')).contents.length, 2);
    assert.equal(await read('mem://users/7/posts/x%20y'), { contents: [{ uri: 'mem://users/7/posts/x%20y', mimeType: 'application/json', text: '{"id":"7","post":"x y"}' }] });
    assert.equal(seen, [{ id: '7', post: 'x y' }], 'variables are percent-decoded');
    assert.equal(await read('mem://users/9'), { contents: [{ uri: 'mem://users/9', text: 'user 9' }] }, 'the first matching template in registration order wins');
    await c.close();
  });
}

reading('a static resource wins over a template that also matches', async () => {
  const server = makeServer(100, (s) => {
    s.resourceTemplate({ uriTemplate: 'mem://{name}', name: 'any' }, () => 'from the template');
    s.resource({ uri: 'mem://exact', name: 'exact' }, () => 'from the resource');
  });
  const c = await connectClient(server);
  const r = await c.client.peer.request('resources/read', { uri: 'mem://exact' });
  assert.is((r.contents[0] as { text: string }).text, 'from the resource');
  await c.close();
});

reading('an unknown URI, or a reader returning undefined, is -32002 "Resource not found" with data.uri', async () => {
  const server = makeServer(100, (s) => {
    s.resource({ uri: 'mem://a', name: 'a' }, () => 'a');
    s.resourceTemplate({ uriTemplate: 'mem://items/{id}', name: 'items' }, (_uri, { id }) => (id === '1' ? 'one' : undefined));
  });
  const c = await connectClient(server);
  for (const uri of ['mem://nope', 'mem://items/2', 'other://a']) {
    const err = await c.client.peer.request('resources/read', { uri }).catch((e) => e);
    assert.instance(err, RpcError);
    assert.is(err.code, -32002);
    assert.is(err.message, 'Resource not found');
    assert.equal(err.data, { uri });
  }
  await c.close();
});

reading('a read without a uri is -32602', async () => {
  const c = await connectClient(makeServer(100, (s) => s.resource({ uri: 'mem://a', name: 'a' }, () => 'a')));
  const missing = await c.client.peer.request('resources/read', {} as never).catch((e) => e);
  assert.is(missing.code, -32602);
  await c.client.close(); // not c.close(): the tap rightly flags the malformed request we sent
});

reading('a reader that throws gives -32603; malformed contents too', async () => {
  const server = makeServer(100, (s) => {
    s.resource({ uri: 'mem://boom', name: 'boom' }, () => { throw new Error('disk on fire'); });
    s.resource({ uri: 'mem://bad', name: 'bad' }, () => ({ uri: 'mem://bad' }) as never);
  });
  const c = await connectClient(server);
  const boom = await c.client.peer.request('resources/read', { uri: 'mem://boom' }).catch((e) => e);
  assert.is(boom.code, -32603);
  assert.match(boom.message, /disk on fire/);
  const bad = await c.client.peer.request('resources/read', { uri: 'mem://bad' }).catch((e) => e);
  assert.is(bad.code, -32603);
  assert.match(bad.message, /exactly one of text or blob/);
  await c.close();
});

reading('registration refuses relative URIs, duplicates, bad templates and completers of unknown variables', () => {
  const s = makeServer();
  s.resource({ uri: 'mem://a', name: 'a' }, () => 'a');
  assert.throws(() => s.resource({ uri: 'relative/path', name: 'x' }, () => 'x'), /not an absolute URI/);
  assert.throws(() => s.resource({ uri: 'mem://a', name: 'again' }, () => 'x'), /already registered/);
  assert.throws(() => s.resource({ uri: 'mem://b', name: '' }, () => 'x'), /needs a name/);
  assert.throws(() => s.resourceTemplate({ uriTemplate: 'mem://{unclosed', name: 't' }, () => 'x'), /invalid URI template/);
  assert.throws(() => s.resourceTemplate({ uriTemplate: 'mem://{id}', name: 't', complete: { other: () => [] } }, () => 'x'), /not a variable/);
});

const subs = suite('resources: subscriptions');

subs('updated reaches only the connection subscribed to that URI; unsubscribe stops it', async () => {
  const server = makeServer(100, (s) => {
    s.resource({ uri: 'mem://watched', name: 'watched' }, () => 'w');
    s.resource({ uri: 'mem://other', name: 'other' }, () => 'o');
    s.resourceTemplate({ uriTemplate: 'mem://items/{id}', name: 'items' }, () => 'i');
  });
  const a = await connectClient(server);
  const b = await connectClient(server);
  assert.equal(await a.client.peer.request('resources/subscribe', { uri: 'mem://watched' }), {});
  await a.client.peer.request('resources/subscribe', { uri: 'mem://items/3' });
  await b.client.peer.request('resources/subscribe', { uri: 'mem://other' });

  const heardByA = a.next('notifications/resources/updated');
  assert.is(await server.resourceUpdated('mem://watched'), 1);
  assert.equal((await heardByA).params, { uri: 'mem://watched' });
  assert.is(await server.resourceUpdated('mem://items/3'), 1, 'a URI served by a template can be subscribed to');
  await Promise.all([a.settle(), b.settle()]);
  assert.equal(b.heard.filter((h) => h.method === 'notifications/resources/updated'), [], 'b did not subscribe to these');

  const heardByB = b.next('notifications/resources/updated');
  assert.is(await server.resourceUpdated('mem://other'), 1);
  assert.equal((await heardByB).params, { uri: 'mem://other' });

  assert.equal(await a.client.peer.request('resources/unsubscribe', { uri: 'mem://watched' }), {});
  assert.is(await server.resourceUpdated('mem://watched'), 0);
  await a.settle();
  assert.is(a.heard.filter((h) => h.method === 'notifications/resources/updated').length, 2, 'nothing after unsubscribe');
  assert.equal(await a.client.peer.request('resources/unsubscribe', { uri: 'mem://watched' }), {}, 'unsubscribing twice is fine');
  await a.close();
  assert.is(await server.resourceUpdated('mem://items/3'), 0, 'a closed connection hears nothing');
  await b.close();
});

subs('subscribing to something no resource or template serves is -32002; the per-connection limit holds', async () => {
  const server = createServer({ name: 'x', version: '1' }, { maxSubscriptions: 2 });
  server.resourceTemplate({ uriTemplate: 'mem://n/{id}', name: 'n' }, () => 'n');
  const c = await connectClient(server);
  const unknown = await c.client.peer.request('resources/subscribe', { uri: 'mem://unknown' }).catch((e) => e);
  assert.is(unknown.code, -32002);
  assert.equal(unknown.data, { uri: 'mem://unknown' });
  await c.client.peer.request('resources/subscribe', { uri: 'mem://n/1' });
  await c.client.peer.request('resources/subscribe', { uri: 'mem://n/2' });
  await c.client.peer.request('resources/subscribe', { uri: 'mem://n/2' });
  const over = await c.client.peer.request('resources/subscribe', { uri: 'mem://n/3' }).catch((e) => e);
  assert.is(over.code, -32600);
  assert.match(over.message, /2 resource subscriptions/);
  await c.close();
});

const changes = suite('resources: list_changed');

changes('adding or removing resources and templates after connect sends one list_changed per burst', async () => {
  const server = makeServer(100, (s) => s.resource({ uri: 'mem://first', name: 'first' }, () => '1'));
  const c = await connectClient(server);
  let heard = c.next('notifications/resources/list_changed');
  const removers = [0, 1, 2].map((i) => server.resource({ uri: `mem://more/${i}`, name: `more${i}` }, () => 'm'));
  await heard;
  await c.settle();
  assert.is(c.heard.filter((h) => h.method === 'notifications/resources/list_changed').length, 1, 'three additions in one tick: one notification');
  assert.is((await c.client.peer.request('resources/list', {})).resources.length, 4);

  heard = c.next('notifications/resources/list_changed');
  const removeTemplate = server.resourceTemplate({ uriTemplate: 'mem://t/{x}', name: 't' }, () => 't');
  await heard;
  heard = c.next('notifications/resources/list_changed');
  removeTemplate();
  removers[0]!();
  await heard;
  assert.equal((await c.client.peer.request('resources/templates/list', {})).resourceTemplates, []);
  assert.is((await c.client.peer.request('resources/list', {})).resources.length, 3);
  await c.close();
});

changes('a connection made before the first resource declared nothing and hears nothing', async () => {
  const server = makeServer();
  const c = await connectClient(server);
  server.resource({ uri: 'mem://late', name: 'late' }, () => 'late');
  await c.settle();
  assert.equal(c.heard, []);
  const refused = await c.client.peer.request('resources/read', { uri: 'mem://late' }).catch((e) => e);
  assert.instance(refused, McpError);
  await c.close();
});

listing.run();
reading.run();
subs.run();
changes.run();
