// A call the client cancelled ends with no response (2025-11-25 basic/utilities/cancellation):
// its JSON reply is a 202, its SSE stream ends without one. Under restart recovery only the
// session's save after that said the call was over: a process killed (kill -9) between the
// end and that save ran the cancelled call again after its restart, a tool with side effects
// included (faults8's leftover). Two handlers on one directory stand for the process before
// and after the kill; the session saves the first made after the call was saved in flight
// are held back, as a killed process's would be.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SessionEventStore } from 'mcpwire/transport';
import { killedProcesses, recoveringServer, sessionHeaders, toolCall as call } from './support/kill-restart.ts';

const VERSION = '2025-11-25';
const headers = (sid: string) => sessionHeaders(sid, VERSION);
const cancel = (id: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user' } });

/** One server process whose `charge` counts its runs; in the first process it runs until cancelled. */
function serverProcess(store: SessionEventStore, runs: { count: number }, mode: 'json' | 'sse', holds: boolean) {
  let started: (() => void) | undefined;
  const running = new Promise<void>((r) => { started = r; });
  const f = recoveringServer(store, mode, (server) => {
    server.tool({ name: 'charge', description: 'Charges a card once.', inputSchema: { type: 'object' } }, async (_args, ctx) => {
      runs.count++;
      started?.();
      if (holds) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      return 'charged';
    });
  });
  return { f, running };
}

const kills = killedProcesses('mcpwire-cancel-restart-');
const killed = suite('kill -9 after a cancelled call ended, before the session save');

for (const mode of ['json', 'sse'] as const) {
  killed(`${mode} reply: the cancelled call is not run again after the restart`, async () => {
    const runs = { count: 0 };
    const { held, store, restart } = await kills.start();
    const before = serverProcess(store, runs, mode, true);
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

    await restart((after) => serverProcess(after, runs, mode, false).f, sid, VERSION, 2, () => {
      assert.is(runs.count, 1, 'the cancelled call ran once: the restart did not take it for interrupted');
    });
  });
}

killed.after(() => kills.removeAll());

killed.run();
