// Prompts end to end over the in-memory pair, every message through the schema tap: paging,
// argument checks, every content type at three protocol versions, list_changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type McpServer } from 'mcpwire/server';
import { RpcError, type ContentBlock, type Prompt } from 'mcpwire/protocol';
import { connectClient } from './memory-client.ts';

const PNG = 'iVBORw0KGgo=';

function makeServer(pageSize = 100, setup?: (s: McpServer) => void): McpServer {
  const server = createServer({ name: 'prompts-test', version: '1.0.0' }, { pageSize });
  setup?.(server);
  return server;
}

const everyBlock: ContentBlock[] = [
  { type: 'text', text: 'hello', annotations: { audience: ['user'], priority: 1 } },
  { type: 'image', data: PNG, mimeType: 'image/png' },
  { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
  { type: 'resource', resource: { uri: 'mem://doc', mimeType: 'text/plain', text: 'embedded' } },
  { type: 'resource', resource: { uri: 'mem://bin', mimeType: 'application/octet-stream', blob: 'AAEC' } },
  { type: 'resource_link', uri: 'mem://linked', name: 'linked', title: 'A link', mimeType: 'text/plain', icons: [{ src: 'https://example.com/l.png' }] },
];

const listing = suite('prompts: list');

listing('prompts page with opaque cursors; definitions pass through without their completers', async () => {
  const fancy: Prompt = {
    name: 'fancy', title: 'Fancy', description: 'With everything',
    arguments: [{ name: 'topic', title: 'Topic', description: 'What about', required: true }],
    icons: [{ src: 'data:image/png;base64,AAAA', mimeType: 'image/png', sizes: ['any'] }],
    _meta: { 'example.com/x': true },
  };
  const server = makeServer(2, (s) => {
    s.prompt({ ...fancy, complete: { topic: () => ['a'] } }, () => 'x');
    for (let i = 0; i < 4; i++) s.prompt({ name: `p${i}` }, () => 'x');
  });
  const c = await connectClient(server);
  const names: string[] = [];
  let first: Prompt | undefined;
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await c.client.peer.request('prompts/list', cursor === undefined ? {} : { cursor });
    first ??= page.prompts[0];
    names.push(...page.prompts.map((p) => p.name));
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined);
  assert.is(pages, 3);
  assert.equal(names, ['fancy', 'p0', 'p1', 'p2', 'p3']);
  assert.equal(first, fancy);
  assert.equal(c.client.serverCapabilities?.prompts, { listChanged: true });
  const bad = await c.client.peer.request('prompts/list', { cursor: 'garbage' }).catch((e) => e);
  assert.is(bad.code, -32602);
  await c.close();
});

const getting = suite('prompts: get');

getting('missing required arguments are -32602 naming each of them; optional ones may be left out', async () => {
  const server = makeServer(100, (s) => s.prompt({
    name: 'trip',
    arguments: [{ name: 'from', required: true }, { name: 'to', required: true }, { name: 'when' }],
  }, (args) => `from ${args.from} to ${args.to}${args.when ? ` on ${args.when}` : ''}`));
  const c = await connectClient(server);
  const none = await c.client.peer.request('prompts/get', { name: 'trip' }).catch((e) => e);
  assert.instance(none, RpcError);
  assert.is(none.code, -32602);
  assert.match(none.message, /missing required arguments from, to/);
  assert.equal(none.data, { missing: ['from', 'to'] });
  const one = await c.client.peer.request('prompts/get', { name: 'trip', arguments: { from: 'Oslo' } }).catch((e) => e);
  assert.match(one.message, /missing required argument to$/);
  const ok = await c.client.peer.request('prompts/get', { name: 'trip', arguments: { from: 'Oslo', to: 'Rome' } });
  assert.equal(ok.messages, [{ role: 'user', content: { type: 'text', text: 'from Oslo to Rome' } }]);
  await c.close();
});

getting('an unknown prompt is -32602', async () => {
  const c = await connectClient(makeServer(100, (s) => s.prompt({ name: 'known' }, () => 'x')));
  const err = await c.client.peer.request('prompts/get', { name: 'unknown' }).catch((e) => e);
  assert.is(err.code, -32602);
  assert.match(err.message, /unknown prompt unknown/);
  await c.close();
});

getting('non-string argument values are -32602', async () => {
  const c = await connectClient(makeServer(100, (s) => s.prompt({ name: 'p', arguments: [{ name: 'n' }] }, () => 'x')));
  const err = await c.client.peer.request('prompts/get', { name: 'p', arguments: { n: 3 } as never }).catch((e) => e);
  assert.is(err.code, -32602);
  assert.match(err.message, /must be strings/);
  await c.client.close(); // the tap rightly flags the malformed request we sent
});

for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
  getting(`every content type comes back schema-valid at ${version}`, async () => {
    const server = makeServer(100, (s) => s.prompt({ name: 'all', description: 'every kind of block' }, () => everyBlock.map((content) => ({ role: 'assistant' as const, content }))));
    const c = await connectClient(server, { version });
    const result = await c.client.peer.request('prompts/get', { name: 'all' });
    assert.is(result.description, 'every kind of block', 'the definition description fills in');
    const got = result.messages.map((m) => m.content);
    if (version === '2025-03-26') {
      // resource_link arrived in 2025-06-18: older clients get it as text instead.
      assert.equal(got.slice(0, 5), everyBlock.slice(0, 5));
      assert.equal(got[5], { type: 'text', text: 'Resource link: A link <mem://linked> (text/plain)' });
    } else {
      assert.equal(got, everyBlock);
    }
    await c.close();
  });
}

getting('a handler may return a full result, messages or text; a malformed one is -32603', async () => {
  const server = makeServer(100, (s) => {
    s.prompt({ name: 'full' }, () => ({ description: 'own', messages: [{ role: 'user', content: { type: 'text', text: 'a' } }] }));
    s.prompt({ name: 'role' }, () => [{ role: 'system' as never, content: { type: 'text', text: 'a' } }]);
    s.prompt({ name: 'type' }, () => [{ role: 'user', content: { type: 'video' } as never }]);
    s.prompt({ name: 'async', arguments: [{ name: 'x' }] }, async (args, ctx) => `${args.x ?? 'none'} at ${ctx.protocolVersion}`);
  });
  const c = await connectClient(server);
  assert.is((await c.client.peer.request('prompts/get', { name: 'full' })).description, 'own');
  for (const name of ['role', 'type']) {
    const err = await c.client.peer.request('prompts/get', { name }).catch((e) => e);
    assert.is(err.code, -32603, name);
  }
  const text = await c.client.peer.request('prompts/get', { name: 'async', arguments: { x: 'y' } });
  assert.equal(text.messages[0]!.content, { type: 'text', text: 'y at 2025-11-25' });
  await c.close();
});

getting('image and audio data must be base64 with a MIME type (2026-07-28 server/prompts): a handler breaking it is -32603 saying which', async () => {
  const server = makeServer(100, (s) => {
    s.prompt({ name: 'not_base64' }, () => [{ role: 'user', content: { type: 'image', data: 'not base64 !!', mimeType: 'image/png' } }]);
    s.prompt({ name: 'no_mime' }, () => [{ role: 'user', content: { type: 'audio', data: 'UklGRg==', mimeType: 'wav' } }]);
    s.prompt({ name: 'missing_data' }, () => [{ role: 'user', content: { type: 'image', mimeType: 'image/png' } as never }]);
    s.prompt({ name: 'fine' }, () => [{ role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } }]);
  });
  const c = await connectClient(server);
  const expected: Record<string, RegExp> = {
    not_base64: /messages\[0\]\.content: image data is not base64/,
    no_mime: /messages\[0\]\.content: audio mimeType "wav" is not a MIME type/,
    missing_data: /messages\[0\]\.content: image data is not base64/,
  };
  for (const [name, message] of Object.entries(expected)) {
    const err = await c.client.peer.request('prompts/get', { name }).then(() => undefined, (e: RpcError) => e);
    assert.is(err?.code, -32603, name);
    assert.match(err!.message, message);
  }
  assert.is((await c.client.peer.request('prompts/get', { name: 'fine' })).messages[0]!.content.type, 'image');
  await c.close();
});

getting('registration refuses duplicates, unnamed arguments and completers of undeclared arguments', () => {
  const s = makeServer();
  s.prompt({ name: 'p' }, () => 'x');
  assert.throws(() => s.prompt({ name: 'p' }, () => 'x'), /already registered/);
  assert.throws(() => s.prompt({ name: 'q', arguments: [{ name: '' }] }, () => 'x'), /needs a name/);
  assert.throws(() => s.prompt({ name: 'r', arguments: [{ name: 'a' }, { name: 'a' }] }, () => 'x'), /declared twice/);
  assert.throws(() => s.prompt({ name: 's', complete: { nope: () => [] } }, () => 'x'), /not a declared argument/);
});

const changes = suite('prompts: list_changed');

changes('adding and removing prompts after connect notifies ready clients, once per burst', async () => {
  const server = makeServer(100, (s) => s.prompt({ name: 'first' }, () => 'x'));
  const a = await connectClient(server);
  const b = await connectClient(server);
  let heard = Promise.all([a.next('notifications/prompts/list_changed'), b.next('notifications/prompts/list_changed')]);
  const removeSecond = server.prompt({ name: 'second' }, () => 'x');
  server.prompt({ name: 'third' }, () => 'x');
  await heard;
  await Promise.all([a.settle(), b.settle()]);
  assert.is(a.heard.length, 1);
  heard = Promise.all([a.next('notifications/prompts/list_changed'), b.next('notifications/prompts/list_changed')]);
  removeSecond();
  await heard;
  assert.equal((await a.client.peer.request('prompts/list', {})).prompts.map((p) => p.name), ['first', 'third']);
  removeSecond(); // removing twice changes nothing and says nothing
  await a.settle();
  assert.is(a.heard.length, 2);
  await a.close();
  await b.close();
});

listing.run();
getting.run();
changes.run();
