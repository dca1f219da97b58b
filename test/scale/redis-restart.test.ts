// Issue #18: Redis restarted mid-run (here empty: the test server keeps no persistence).
// While it is down, requests that need it fail with a clear error naming Redis, never a hang
// or a crash; once it is back, every instance serves again without a restart of its own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader, type Session } from './mcp-http.ts';

let nextId = 100;

async function echo(session: Session, text: string): Promise<{ status: number; text?: string; body?: string }> {
  const id = nextId++;
  const res = await session.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });
  if (res.status !== 200) return { status: res.status, body: await res.text() };
  const reply = await new SseReader(res).until((m) => m.id === id);
  return { status: 200, text: reply?.message?.result?.content?.[0]?.text };
}

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: Redis restarted mid-run');

  test('down: clear errors from every instance; back: both instances serve old and new sessions', async () => {
    const session = await openSession(cluster.proxy.url);
    assert.is((await echo(session, 'before')).text, 'before');
    await cluster.redis.down();
    for (let i = 0; i < 2; i++) {
      const failed = await echo(session, 'during');
      assert.ok(failed.status >= 500, `status ${failed.status}`);
      assert.match(failed.body ?? '', /Redis/);
    }
    await cluster.redis.up();
    // The instances reconnect by themselves, each on its own backoff (at most 1 s): wait until
    // every one serves (30 s at most), not for the first, or the other may still answer 507.
    await cluster.allServe();
    const fresh = await openSession(cluster.proxy.url);
    const served = { old: new Set<number>(), new: new Set<number>() };
    for (let i = 0; i < 3; i++) {
      assert.is((await echo(fresh, `new ${i}`)).text, `new ${i}`);
      served.new.add(cluster.proxy.served.at(-1)!.backend);
      assert.is((await echo(session, `old ${i}`)).text, `old ${i}`, 'the session from before, held by both instances, goes on');
      served.old.add(cluster.proxy.served.at(-1)!.backend);
    }
    assert.is(new Set([...served.old, ...served.new]).size, 2, 'both instances served after the restart');
  });

  test.after(() => cluster.stop());
  test.run();
}
