// Redis frozen (SIGSTOP: its sockets stay open, nothing answers) or killed (SIGKILL) while
// calls run: each call gets a clear error naming Redis from the instance within the command
// timeout (5 s by default), never a hang; a stream followed on the other instance ends; an
// instance told to stop exits; the instances do not crash, and serve again once Redis answers
// (thawed, or started again).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster } from './cluster.ts';
import { openSession, SseReader, type Session } from './mcp-http.ts';

let nextId = 100;

/** One echo call; a client-side bound far above the command timeout tells a hang from an error. */
async function echo(session: Session, text: string): Promise<{ status: number; text?: string; body?: string }> {
  const id = nextId++;
  const res = await session.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } }, AbortSignal.timeout(20_000));
  if (res.status !== 200) return { status: res.status, body: await res.text() };
  const reply = await new SseReader(res).until((m) => m.id === id, 20_000);
  const message = reply?.message;
  return { status: 200, text: message?.result?.content?.[0]?.text ?? JSON.stringify(message) };
}

/** Echo until it succeeds (the instances reconnect with backoff of at most 1 s); bounded. */
async function echoOnceBack(session: Session, text: string): Promise<string | undefined> {
  for (let i = 0; i < 50; i++) {
    const reply = await echo(session, text).catch(() => undefined);
    if (reply?.text === text) return reply.text;
    await new Promise<void>((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

const cluster = await startCluster(2);
if (cluster) {
  const test = suite('scale-out: Redis frozen or killed mid-run');

  test('frozen (SIGSTOP): every call fails with an error naming Redis, not a hang; thawed: calls succeed', async () => {
    const session = await openSession(cluster.proxy.url);
    assert.is((await echo(session, 'before')).text, 'before');
    cluster.redis.signal('SIGSTOP');
    try {
      for (let i = 0; i < 2; i++) {
        const failed = await echo(session, 'during');
        assert.ok(failed.status >= 500 || failed.text?.includes('error'), `an error, got ${JSON.stringify(failed)}`);
        assert.match(failed.body ?? failed.text ?? '', /Redis/);
      }
    } finally {
      cluster.redis.signal('SIGCONT');
    }
    assert.is(await echoOnceBack(session, 'thawed'), 'thawed');
  });

  test('killed (SIGKILL): clear errors; started again: both instances alive and serving', async () => {
    const session = await openSession(cluster.proxy.url);
    await cluster.redis.kill();
    const failed = await echo(session, 'during');
    assert.ok(failed.status >= 500, `status ${failed.status}`);
    assert.match(failed.body ?? '', /Redis/);
    await cluster.redis.up();
    const fresh = await (async () => {
      for (let i = 0; i < 50; i++) {
        const s = await openSession(cluster.proxy.url).catch(() => undefined);
        if (s) return s;
        await new Promise<void>((resolve) => setTimeout(resolve, 200));
      }
      return undefined;
    })();
    assert.ok(fresh, 'a new session starts once Redis is back');
    assert.is(await echoOnceBack(fresh!, 'back'), 'back');
    for (const instance of cluster.instances) assert.is(instance.child.exitCode, null, instance.log());
  });

  test('frozen while a stream is followed on the other instance: the followed stream ends (the client resumes later), not a hang', async () => {
    const session = await openSession(cluster.proxy.url);
    const cut = new AbortController();
    const call = await session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: 40, delayMs: 100 }, _meta: { progressToken: 'p' } } }, cut.signal);
    const onA = new SseReader(call);
    await onA.until((m) => m.method === 'notifications/progress');
    cut.abort();
    await onA.cancel();
    const followed = new SseReader(await session.get(onA.events.at(-1)!.id!));
    await followed.until((m) => m.method === 'notifications/progress' && m.params.progress >= 3);
    cluster.redis.signal('SIGSTOP');
    try {
      await followed.until(() => false, 30_000); // the end of the stream, or a throw on a hang
      assert.ok(followed.ended);
    } finally {
      cluster.redis.signal('SIGCONT');
    }
    assert.is(await echoOnceBack(session, 'after'), 'after');
  });

  test('frozen: an instance told to stop (SIGTERM) exits, not held by its Redis connections', async () => {
    const session = await openSession(cluster.proxy.url);
    assert.is((await echo(session, 'before')).text, 'before');
    const instance = cluster.instances[1]!;
    cluster.redis.signal('SIGSTOP');
    try {
      const exited = new Promise<number | null>((resolve) => instance.child.once('exit', (code) => resolve(code)));
      instance.child.kill('SIGTERM');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still running after 30 s'), 30_000); });
      const outcome = await Promise.race([exited, hung]).finally(() => clearTimeout(timer));
      assert.is.not(outcome, 'still running after 30 s', instance.log());
    } finally {
      cluster.redis.signal('SIGCONT');
    }
  });

  test.after(() => cluster.stop());
  test.run();
}
