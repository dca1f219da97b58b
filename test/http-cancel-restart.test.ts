// A call the client cancelled ends with no response (2025-11-25 basic/utilities/cancellation):
// its JSON reply is a 202, its SSE stream ends without one. Under restart recovery only the
// session's save after that said the call was over: a process killed (kill -9) between the
// end and that save ran the cancelled call again after its restart, a tool with side effects
// included (faults8's leftover). Two handlers on one directory stand for the process before
// and after the kill; the session saves the first made after the call was saved in flight
// are held back, as a killed process's would be.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture } from './http-fixture.ts';
import { holdingSaves, saves } from './support/held-saves.ts';

const VERSION = '2025-11-25';
const headers = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': VERSION });
const call = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
const cancel = (id: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user' } });

/** One server process whose `charge` counts its runs; in the first process it runs until cancelled. */
function serverProcess(store: SessionEventStore, runs: { count: number }, mode: 'json' | 'sse', holds: boolean) {
  let started: (() => void) | undefined;
  const running = new Promise<void>((r) => { started = r; });
  const f = makeFixture({ eventStore: store, recoverInflight: true, responseMode: mode, jsonSseAfterMs: Infinity, keepAliveMs: 0 }, (server) => {
    server.tool({ name: 'charge', description: 'Charges a card once.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      runs.count++;
      started?.();
      if (holds) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      return 'charged';
    });
    server.tool({ name: 'noop', description: 'Does nothing.', inputSchema: { type: 'object' } }, async () => 'ok');
  });
  return { f, running };
}

const dirs: string[] = [];
const killed = suite('kill -9 after a cancelled call ended, before the session save');

for (const mode of ['json', 'sse'] as const) {
  killed(`${mode} reply: the cancelled call is not run again after the restart`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-cancel-restart-'));
    dirs.push(dir);
    const runs = { count: 0 };
    const held = saves();
    const errors: string[] = [];
    const store = await createFileEventStore({ dir, fsync: 'always', onError: (e) => errors.push(e.message) });
    const before = serverProcess(holdingSaves(store, held), runs, mode, true);
    const sid = await before.f.initialize(VERSION);
    const reply = before.f.post(call(1, 'charge'), headers(sid));
    await before.running;
    await held.tracked; // saved as in flight, as restart recovery does before the call ends
    held.on = true; // from here on the process "dies" before any session save lands
    const res = mode === 'json' ? undefined : await reply; // the SSE stream is open before the cancel
    assert.is((await before.f.post(cancel(1), headers(sid))).status, 202);
    if (mode === 'json') {
      const r = await reply;
      assert.is(r.status, 202, 'a cancelled call\'s JSON reply: 202, no response will come');
      assert.is(await r.text(), '');
    } else {
      assert.is(res!.status, 200);
      const text = await res!.text(); // the stream ends: the client has seen the call end
      assert.not.match(text, /charged/);
    }
    assert.is(runs.count, 1);
    await store.close();

    const after = await createFileEventStore({ dir, fsync: 'always', onError: (e) => errors.push(e.message) });
    const next = serverProcess(after, runs, mode, false);
    try {
      await next.f.handler.restore();
      const later = await next.f.post(call(2, 'noop'), headers(sid));
      assert.is(later.status, 200);
      await later.text();
      assert.ok(held.count > 0, 'the save after the cancel was held back');
      assert.is(runs.count, 1, 'the cancelled call ran once: the restart did not take it for interrupted');
      assert.equal(errors, [], 'the store reported nothing');
    } finally {
      await next.f.close();
      await after.close();
    }
  });
}

killed.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

killed.run();
