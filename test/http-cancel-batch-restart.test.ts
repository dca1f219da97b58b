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
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SessionEventStore } from 'mcpwire/transport';
import { killedProcesses, recoveringServer, sessionHeaders, toolCall as call } from './support/kill-restart.ts';

const VERSION = '2025-03-26';
const headers = (sid: string) => sessionHeaders(sid, VERSION);
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
  const f = recoveringServer(store, mode, (server) => {
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
  });
  return { f, running: Promise.all([charging.promise, shipping.promise]), release: release.settle };
}

const kills = killedProcesses('mcpwire-cancel-batch-');
const killed = suite('kill -9 after a batch whose one call was cancelled while another ran');

for (const mode of ['json', 'sse'] as const) {
  killed(`${mode} reply: the cancelled call is not run again after the restart, its batch-mate that answered neither`, async () => {
    const runs = { charge: 0, ship: 0 };
    const { held, store, restart } = await kills.start();
    const before = serverProcess(store, runs, mode, true);
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

    await restart((after) => serverProcess(after, runs, mode, false).f, sid, VERSION, 3, () => {
      assert.equal(runs, { charge: 1, ship: 1 }, 'the restart took a call that ended for interrupted and ran it again');
    });
  });
}

killed.after(() => kills.removeAll());

killed.run();
