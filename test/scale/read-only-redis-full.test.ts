// scalewalk5's left: while Redis refused writes (`maxmemory` reached under `noeviction`), every
// POST to a 2025 session was 507, a `tools/list` too: its stream's start is stored before its
// requests run, so that a tool with side effects never runs for a call its client is told
// failed. Python's client lists tools after each call and showed the 507 as a bare -32603.
// Now a POST whose requests are all read-only is served on its own connection, unstored (no
// priming event, no event ids: 2025-11-25 basic/transports, resumability is a MAY); a
// tools/call is still refused with 507. In process: two SSE handlers on one Redis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectRedis } from '../../transport/redis/connection.ts';
import { startTestRedis } from '../../transport/redis/test-server.ts';
import { echoInstance, openShared } from './echo-instance.ts';

/** The SSE body's events: each one's id (if any) and its data parsed. */
function events(body: string): Array<{ id: string | undefined; data: Record<string, unknown> | undefined }> {
  return body.split(/\n\n/).filter((block) => block.trim() !== '').map((block) => {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id:'))?.slice(3).trim();
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
    return { id, data: data === '' ? undefined : JSON.parse(data) as Record<string, unknown> };
  });
}

const redis = await startTestRedis();
if (redis) {
  const test = suite('scale-out: read-only requests while Redis is full');

  test('tools/list and ping answered live without event ids on either instance; tools/call still 507; with room again, stored', async () => {
    const link = await connectRedis(redis.url);
    const errors: Error[] = [];
    const a = await echoInstance(redis.url, { prefix: 'ro-full:' }, { responseMode: 'sse', onError: (e) => errors.push(e) });
    const b = await echoInstance(redis.url, { prefix: 'ro-full:' }, { responseMode: 'sse', onError: (e) => errors.push(e) });
    try {
      const { post } = await openShared(a);
      assert.is((await post(b, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);

      // Half the memory Redis uses: every write is refused from here on (reads are served).
      const used = Number(/used_memory:(\d+)/.exec(String(await link.send(['INFO', 'memory'])))![1]);
      await link.send(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await link.send(['CONFIG', 'SET', 'maxmemory', String(Math.floor(used / 2))]);
      assert.match(await link.send(['SET', 'ro-full:junk', 'x']).then(() => 'written', (e: Error) => e.message), /OOM/, 'Redis refuses writes');
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
      // One line for the operator a POST: the stream's refused start.
      assert.is(errors.length, 3, errors.map((e) => e.message).join('\n'));
      for (const e of errors) assert.match(e.message, /Redis refused .*OOM/);

      // A call may have side effects: refused before its tool runs, as before.
      const call = await post(b, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } });
      assert.is(call.status, 507);
      assert.match(await call.text(), /Redis .*OOM/);

      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      const stored = await post(b, { jsonrpc: '2.0', id: 5, method: 'tools/list' });
      assert.is(stored.status, 200);
      const again = events(await stored.text());
      assert.ok(again.every((e) => e.id !== undefined), 'with room, the stream is stored (a priming event and ids)');
      assert.equal(again.filter((e) => e.data).map((e) => e.data!.id), [5]);
    } finally {
      await link.send(['CONFIG', 'SET', 'maxmemory', '0']);
      for (const x of [a, b]) await x.close();
      await link.close();
    }
  });

  test.after(() => redis.stop());
  test.run();
}
