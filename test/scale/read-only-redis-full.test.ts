// scalewalk5's left: while Redis refused writes (`maxmemory` reached under `noeviction`), every
// POST to a 2025 session was 507, a `tools/list` too: its stream's start is stored before its
// requests run, so that a tool with side effects never runs for a call its client is told
// failed. Python's client lists tools after each call and showed the 507 as a bare -32603.
// Now a POST whose requests are all read-only is served on its own connection, unstored (no
// priming event, no event ids: 2025-11-25 basic/transports, resumability is a MAY); a
// tools/call is still refused with 507. In process: two handlers on one Redis, answering with
// SSE, or in JSON with restart recovery (scalewalk6's left: that path still refused them).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared, type EchoExtra, type EchoInstance, type SharedSession } from './echo-instance.ts';

/** The SSE body's events: each one's id (if any) and its data parsed. */
function events(body: string): Array<{ id: string | undefined; data: Record<string, unknown> | undefined }> {
  return body.split(/\n\n/).filter((block) => block.trim() !== '').map((block) => {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id:'))?.slice(3).trim();
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
    return { id, data: data === '' ? undefined : JSON.parse(data) as Record<string, unknown> };
  });
}

/** Half the memory Redis uses as its limit, under `noeviction`: every write is refused from here on (reads are served). */
async function fillRedis(link: Awaited<ReturnType<typeof connectRedis>>): Promise<void> {
  const used = Number(/used_memory:(\d+)/.exec(String(await link.send(['INFO', 'memory'])))![1]);
  await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
  await link.send(['CONFIG', 'SET', 'maxmemory', String(Math.floor(used / 2))]);
  assert.match(await link.send(['SET', 'ro-full:junk', 'x']).then(() => 'written', (e: Error) => e.message), /OOM/, 'Redis refuses writes');
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: read-only requests while Redis is full');

  interface Full { a: EchoInstance; b: EchoInstance; post: SharedSession['post']; errors: Error[]; link: Awaited<ReturnType<typeof connectRedis>> }

  /**
   * Two instances on keys under `prefix` (with `extra`), a session opened on A and initialized
   * through B, then Redis full; `run` goes on from there, and everything is closed after it.
   */
  async function onFullRedis(prefix: string, extra: EchoExtra, run: (full: Full) => Promise<void>): Promise<void> {
    const link = await connectRedis(redis!.url);
    const errors: Error[] = [];
    const a = await echoInstance(redis!.url, { prefix }, { ...extra, onError: (e) => errors.push(e) });
    const b = await echoInstance(redis!.url, { prefix }, { ...extra, onError: (e) => errors.push(e) });
    try {
      const { post } = await openShared(a);
      assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      await fillRedis(link);
      await run({ a, b, post, errors, link });
    } finally {
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      for (const x of [a, b]) await x.close();
      await link.close();
    }
  }

  /** A call may have side effects: refused with 507 before its tool runs. */
  async function callRefused(post: SharedSession['post'], on: EchoInstance, id: number): Promise<void> {
    const call = await post(on, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } });
    assert.is(call.status, 507);
    assert.match(await call.text(), /Redis .*OOM/);
  }

  /** One report a POST served: the stream's refused start. */
  function reportedOnce(errors: Error[], posts: number): void {
    assert.is(errors.length, posts, errors.map((e) => e.message).join('\n'));
    for (const e of errors) assert.match(e.message, /Redis refused .*OOM/);
  }

  test('tools/list and ping answered live without event ids on either instance; tools/call still 507; with room again, stored', async () => {
    await onFullRedis('ro-full:', { responseMode: 'sse' }, async ({ a, b, post, errors, link }) => {
      // B holds no copy (it loads the session: reads only), A does.
      for (const [on, id] of [[b, 1], [a, 2]] as const) {
        const list = await post(on, { jsonrpc: '2.0', id, method: 'tools/list' });
        const text = await list.text();
        assert.is(list.status, 200, text);
        const got = events(text);
        assert.equal(got.map((e) => e.id), [undefined], `one event, no id (nothing to resume): ${text}`);
        assert.is(got[0]!.data!.id, id);
        assert.match(JSON.stringify(got[0]!.data!.result), /"name":"echo"/);
      }
      const ping = await post(b, { jsonrpc: '2.0', id: 3, method: 'ping' });
      assert.is(ping.status, 200);
      assert.equal(events(await ping.text()).map((e) => e.data?.id), [3]);
      reportedOnce(errors, 3);
      await callRefused(post, b, 4);

      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      const stored = await post(b, { jsonrpc: '2.0', id: 5, method: 'tools/list' });
      assert.is(stored.status, 200);
      const again = events(await stored.text());
      assert.ok(again.every((e) => e.id !== undefined), 'with room, the stream is stored (a priming event and ids)');
      assert.equal(again.filter((e) => e.data).map((e) => e.data!.id), [5]);
    });
  });

  // scalewalk6's left: with restart recovery a JSON reply's stream is stored before its
  // requests run too (server-session.ts), and that start refused a tools/list with 507.
  test('JSON replies with restart recovery: tools/list answered in JSON on either instance while Redis is full; tools/call still 507', async () => {
    // echoInstance answers in JSON with recoverInflight, as `serve --json-response --redis` does.
    await onFullRedis('ro-json:', {}, async ({ a, b, post, errors, link }) => {
      for (const [on, id] of [[b, 1], [a, 2]] as const) {
        const list = await post(on, { jsonrpc: '2.0', id, method: 'tools/list' });
        const text = await list.text();
        assert.is(list.status, 200, text);
        assert.match(list.headers.get('content-type') ?? '', /^application\/json/);
        const reply = JSON.parse(text) as { id: unknown; result?: unknown };
        assert.is(reply.id, id);
        assert.match(JSON.stringify(reply.result), /"name":"echo"/);
      }
      reportedOnce(errors, 2);
      await callRefused(post, b, 3);
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      const echoed = await post(a, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: { text: 'back' } } });
      assert.is(echoed.status, 200);
      assert.match(await echoed.text(), /"text":"back"/);
    });
  });

  test('JSON replies with restart recovery: a read-only request that streams a notification turns to SSE live only, the notification kept (no priming, no ids)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const tools = (server: Parameters<NonNullable<EchoExtra['tools']>>[0]) => {
      server.resource({ uri: 'test://slow', name: 'slow', mimeType: 'text/plain' }, async (_uri, ctx) => {
        await ctx.progress(1, 2);
        await held;
        return 'slow text';
      });
    };
    try {
      await onFullRedis('ro-turn:', { tools }, async ({ a, post, errors }) => {
        const read = await post(a, { jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'test://slow', _meta: { progressToken: 'p' } } });
        assert.match(read.headers.get('content-type') ?? '', /^text\/event-stream/, 'turned to SSE by the progress');
        release();
        const got = events(await read.text());
        assert.equal(got.map((e) => e.id), [undefined, undefined], `two events, no ids: ${JSON.stringify(got)}`);
        assert.is(got[0]!.data!.method, 'notifications/progress');
        assert.is(got[1]!.data!.id, 1);
        assert.match(JSON.stringify(got[1]!.data!.result), /slow text/);
        reportedOnce(errors, 1);
      });
    } finally {
      release();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
