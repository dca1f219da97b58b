// After a restart on the same state, a new POST's stream is a new stream: its event ids never
// continue a stream the previous process wrote (found walking the demo: the restarted
// process numbered its POST streams from p1 again, so the file store handed a new call the
// token of an old tools/call's finished stream; a resume from the new call's first event
// replayed the old response, and a re-run after a kill -9 stored every step twice, since the
// history it compared with began with the foreign response). Real processes on 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, startServe, stopped } from './serve-process.ts';

const ids = suite('restart: POST streams of the new process are new streams');

/** The stream token of an event id (`<token>.<n>`). */
const tokenOf = (id: string | undefined) => id?.slice(0, id.lastIndexOf('.'));

ids('calls after a restart get streams of their own: no token of the previous process is used again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-restart-ids-'));
  let server = await startServe(['--state', dir]);
  try {
    const { call: post } = await openSession(() => server.url);
    const call = async (id: number) => {
      const res = await post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'count', arguments: { steps: 2, delayMs: 5 } } });
      assert.is(res.status, 200, `call ${id}`);
      const events = await readEvents(res);
      assert.ok(messagesOf(events).some((m) => m.id === id), `call ${id} answered`);
      return tokenOf(events[0]?.id);
    };
    const before = new Set([await call(1), await call(2), await call(3)]);
    await stopped(server.child, 'SIGTERM');
    server = await startServe(['--state', dir]);
    for (const id of [4, 5, 6, 7]) {
      const token = await call(id);
      assert.ok(token, `call ${id} has event ids`);
      assert.not.ok(before.has(token), `call ${id} got stream ${token}, a stream of the previous process`);
    }
  } finally {
    if (server.child.exitCode === null) await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

ids.run();
