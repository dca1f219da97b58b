// Redis frozen (SIGSTOP) or killed while an elicitation round trip is open (its answer landing
// on the other instance) or a task runs: every request gets a clear error naming Redis within
// the command timeout, never a hang; no instance crashes; once Redis answers again the open
// call completes with the answer and the task completes (re-run after its lease lapsed), and
// nothing acknowledged is lost. A Redis started again empty has forgotten the task: a clear
// "not found", as for any state of a Redis without persistence (README "Running several instances").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster, type Cluster } from './cluster.ts';
import { openSession, SseReader } from './mcp-http.ts';
import { ask, pollTask } from './task-poll.ts';

const CLIENT_BOUND_MS = 20_000; // far above the 5 s command timeout: tells a hang from an error

/** POST `message` and read the status and body; the client-side bound tells a hang from an error. */
async function post(session: Awaited<ReturnType<typeof openSession>>, message: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const res = await session.post(message, AbortSignal.timeout(CLIENT_BOUND_MS));
  return { status: res.status, body: res.status === 200 ? '' : await res.text() };
}

function outageSuite(name: string, cluster: Cluster, outage: () => Promise<void>, back: () => Promise<void>) {
  const test = suite(`scale-out: Redis ${name} while an elicitation or a task is open`);
  const last = () => cluster.proxy.served.at(-1)!.backend;

  test('an elicitation answer posted during the outage fails clearly; posted again afterwards, the call completes with it', async () => {
    const session = await openSession(cluster.proxy.url, { elicitation: {} });
    const call = await session.post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'Who are you?' } } });
    const asking = last();
    const stream = new SseReader(call);
    const question = (await stream.until((m) => m.method === 'elicitation/create'))!.message!;
    const answer = { jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { username: 'lima' } } };
    await outage();
    try {
      const during = await post(session, answer);
      assert.is.not(last(), asking, 'the answer went to the other instance');
      assert.is(during.status, 507, during.body);
      assert.match(during.body, /Redis/);
    } finally {
      await back();
    }
    // Once Redis answers, the answer is taken (wherever the proxy sends it: the asker, or the
    // other instance that relays it); the instances may need a reconnect first.
    let after = { status: 0, body: '' };
    for (let i = 0; i < 50 && after.status !== 202; i++) {
      after = await post(session, answer);
      if (after.status !== 202) await new Promise<void>((resolve) => setTimeout(resolve, 200));
    }
    assert.is(after.status, 202, after.body);
    const result = await stream.until((m) => m.id === 'call-1');
    assert.match(JSON.stringify(result?.message?.result?.content), /lima/, JSON.stringify(result?.message));
    for (const instance of cluster.instances) assert.is(instance.child.exitCode, null, instance.log());
  });

  test('a task running through the outage: tasks/get fails clearly during it, the task completes afterwards (or is clearly gone)', async () => {
    const session = await openSession(cluster.proxy.url, { tasks: {} });
    const created = await ask(session, 'tools/call', { name: 'slow_compute', arguments: { seconds: 2 }, task: { ttl: 60_000 } });
    const taskId = created.result?.task?.taskId as string;
    assert.ok(taskId, JSON.stringify(created));
    await outage();
    try {
      const during = await post(session, { jsonrpc: '2.0', id: 'get-during', method: 'tasks/get', params: { taskId } });
      assert.is(during.status, 507, during.body);
      assert.match(during.body, /Redis/);
    } finally {
      await back();
    }
    const reply = await (async () => {
      for (let i = 0; i < 50; i++) {
        const got = await ask(session, 'tasks/get', { taskId }).catch(() => undefined);
        if (got) return got;
        await new Promise<void>((resolve) => setTimeout(resolve, 200));
      }
      return undefined;
    })();
    assert.ok(reply, 'tasks/get answers once Redis is back');
    if (name === 'frozen') {
      const done = await pollTask(session, taskId, (t) => t.status !== 'working');
      assert.is(done.status, 'completed', JSON.stringify(done));
      const result = await ask(session, 'tasks/result', { taskId });
      assert.match(JSON.stringify(result.result?.content), /Computed for 2 s/);
    } else {
      // Started again empty: the task record is gone with everything else.
      assert.is(reply.error?.code, -32602, JSON.stringify(reply));
      assert.match(reply.error?.message ?? '', /not found/);
    }
    for (const instance of cluster.instances) assert.is(instance.child.exitCode, null, instance.log());
  });

  return test;
}

const cluster = await startCluster(2, ['--fixtures']);
if (cluster) {
  const frozen = outageSuite('frozen', cluster, async () => cluster.redis.signal('SIGSTOP'), async () => cluster.redis.signal('SIGCONT'));
  frozen.run();
  const killed = outageSuite('killed and started again empty', cluster, () => cluster.redis.kill(), async () => {
    await cluster.redis.up();
    // The next case starts with both instances serving (it failed with "The client is offline"
    // on the instance still in its reconnect backoff).
    await cluster.allServe();
  });
  killed.after(() => cluster.stop());
  killed.run();
}
