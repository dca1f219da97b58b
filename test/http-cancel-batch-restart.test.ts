// 2025-03-26 batches under restart recovery: a request the client cancelled ends with no
// response (basic/utilities/cancellation); the cancel is put in the stream's history so a
// restart does not take the call for interrupted (http-cancel-restart.test.ts). In a batch,
// a cancel of one request while others of its POST still ran was not put there: the stream
// was not finished yet, and only the stream's last cancel was recorded. A process killed
// (kill -9) after the batch ended, before the session's next save, then ran the cancelled
// call again after its restart (faults9's leftover). As in http-cancel-restart, two handlers
// on one directory stand for the process before and after the kill, and the saves the first
// made once the calls were saved in flight are held back. (A batch-mate cannot answer before
// the cancel reaches the stream: a batch's responses go out together once every handler
// settled, protocol/batch.ts. The JSON reply held already: its end records every request.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture } from './http-fixture.ts';
import { holdingSaves, saves } from './support/held-saves.ts';

const VERSION = '2025-03-26';
const headers = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': VERSION });
const call = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
const cancel = (id: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user' } });

/** A deferred the test settles. */
function later(): { promise: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const promise = new Promise<void>((r) => { settle = r; });
  return { promise, settle };
}

/**
 * One server process. `charge` counts its runs and, in the first process, runs until
 * cancelled; `ship` counts its runs and, in the first process, waits for `release`.
 */
function serverProcess(store: SessionEventStore, runs: { charge: number; ship: number }, mode: 'json' | 'sse', first: boolean) {
  const charging = later();
  const shipping = later();
  const release = later();
  const f = makeFixture({ eventStore: store, recoverInflight: true, responseMode: mode, jsonSseAfterMs: Infinity, keepAliveMs: 0 }, (server) => {
    server.tool({ name: 'charge', description: 'Charges a card once.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      runs.charge++;
      charging.settle();
      if (first) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      return 'charged';
    });
    server.tool({ name: 'ship', description: 'Ships a parcel once.', inputSchema: { type: 'object' } }, async () => {
      runs.ship++;
      shipping.settle();
      if (first) await release.promise;
      return 'shipped';
    });
    server.tool({ name: 'noop', description: 'Does nothing.', inputSchema: { type: 'object' } }, async () => 'ok');
  });
  return { f, running: Promise.all([charging.promise, shipping.promise]), release: release.settle };
}

const dirs: string[] = [];
const killed = suite('kill -9 after a batch whose one call was cancelled while another ran');

for (const mode of ['json', 'sse'] as const) {
  killed(`${mode} reply: the cancelled call is not run again after the restart, its batch-mate that answered neither`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-cancel-batch-'));
    dirs.push(dir);
    const runs = { charge: 0, ship: 0 };
    const held = saves();
    const errors: string[] = [];
    const store = await createFileEventStore({ dir, fsync: 'always', onError: (e) => errors.push(e.message) });
    const before = serverProcess(holdingSaves(store, held), runs, mode, true);
    const sid = await before.f.initialize(VERSION);
    const reply = before.f.post([call(1, 'charge'), call(2, 'ship')], headers(sid));
    await before.running;
    await held.tracked; // both saved as in flight, as restart recovery does before they end
    held.on = true; // from here on the process "dies" before any session save lands
    assert.is((await before.f.post(cancel(1), headers(sid))).status, 202);
    before.release(); // the batch-mate ends after the cancel
    const res = await reply;
    assert.is(res.status, 200);
    const text = await res.text(); // the batch has ended for the client
    assert.match(text, /shipped/);
    assert.not.match(text, /charged/);
    assert.equal(runs, { charge: 1, ship: 1 });
    await store.close();

    const after = await createFileEventStore({ dir, fsync: 'always', onError: (e) => errors.push(e.message) });
    const next = serverProcess(after, runs, mode, false);
    try {
      await next.f.handler.restore();
      const probe = await next.f.post(call(3, 'noop'), headers(sid));
      assert.is(probe.status, 200);
      await probe.text();
      assert.ok(held.count > 0, 'the saves after the cancel were held back');
      assert.equal(runs, { charge: 1, ship: 1 }, 'the restart took a call that ended for interrupted and ran it again');
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
