// A session survives any number of server restarts, in any mix of SIGINT, SIGTERM and
// SIGKILL (issue #11 defect 1: after the first restart the application state was saved as
// null, so the second restart brought the session back uninitialised). Real processes on
// 127.0.0.1, port 0, one state directory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, startServe, stopped } from './serve-process.ts';

const repeat = suite('restart: one session across five restarts with mixed signals');

repeat('every call after each restart is answered, none gets "before initialize"', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restarts-'));
  let server = await startServe(['--state', dir]);
  try {
    const { call: post } = await openSession(() => server.url);
    // A call that lasts a few ms: it is recorded as in flight, so the session's record is saved again.
    const call = async (id: number) => {
      const res = await post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'count', arguments: { steps: 3, delayMs: 20 } } });
      assert.is(res.status, 200, `call ${id}`);
      return messagesOf(await readEvents(res)).find((m) => m.id === id);
    };
    assert.equal((await call(1))?.result?.content, [{ type: 'text', text: 'counted to 3' }]);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGKILL', 'SIGTERM', 'SIGINT', 'SIGKILL'];
    for (const [i, signal] of signals.entries()) {
      await stopped(server.child, signal);
      server = await startServe(['--state', dir]);
      assert.match(server.log(), /restored 1 sessions/, `restart ${i + 1} (after ${signal})`);
      const answer = await call(10 + i);
      assert.equal(answer?.error, undefined, `restart ${i + 1} (after ${signal}): ${JSON.stringify(answer?.error)}`);
      assert.equal(answer?.result?.content, [{ type: 'text', text: 'counted to 3' }]);
    }
    assert.not.match(server.log(), /before initialize/);
  } finally {
    if (server.child.exitCode === null) await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

repeat.run();
