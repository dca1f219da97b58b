// A call answered with a JSON body (no SSE) ended once its reply was written, but a JSON
// reply is not in the stream's history: only the session's save after it told a restart that
// the call was over. A process killed (kill -9) between the reply and that save ran the call
// again after its restart: a tool with side effects ran twice (faults7's leftover). Two
// handlers on one directory stand for the process before and after the kill; the session
// saves the first never landed are held back, as a killed process's would be.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SessionEventStore } from 'mcpwire/transport';
import { killedProcesses, recoveringServer, sessionHeaders, toolCall as call } from './support/kill-restart.ts';

const VERSION = '2025-11-25';
const headers = (sid: string) => sessionHeaders(sid, VERSION);

/** One server process: `charge` counts its runs (its side effect), once released when `gated`. */
function serverProcess(store: SessionEventStore, runs: { count: number }, gated: boolean) {
  let release: (() => void) | undefined;
  const f = recoveringServer(store, 'json', (server) => {
    server.tool({ name: 'charge', description: 'Charges a card once.', inputSchema: { type: 'object' } }, async () => {
      runs.count++;
      if (gated) await new Promise<void>((resolve) => { release = resolve; });
      return 'charged';
    });
  });
  const started = async () => {
    while (!release) await new Promise((r) => setImmediate(r));
    return release;
  };
  return { f, started };
}

const kills = killedProcesses('mcpwire-json-restart-');
const killed = suite('kill -9 between a JSON reply and the session save after it');

killed('the call is not run again after the restart', async () => {
  const runs = { count: 0 };
  const { held, store, restart } = await kills.start();
  const before = serverProcess(store, runs, true);
  const sid = await before.f.initialize(VERSION);
  const reply = before.f.post(call(1, 'charge'), headers(sid));
  const release = await before.started();
  await held.tracked; // the call is saved as in flight, as restart recovery does before it ends
  held.on = true; // from here on the process "dies" before any session save lands
  release();
  const res = await reply;
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.equal((await res.json() as { result: { content: unknown } }).result.content, [{ type: 'text', text: 'charged' }]);
  assert.is(runs.count, 1);

  // The killed process is left as it is (no graceful stop: its held saves never land); what it
  // wrote is on disk, as after a kill -9. A later call of the session has gone through the same
  // steps as a re-run would have.
  await restart((after) => serverProcess(after, runs, false).f, sid, VERSION, 2, ({ restored }) => {
    assert.is(restored, 1);
    assert.is(runs.count, 1, 'the call ran once: the restart did not take it for interrupted');
  });
});

killed.after(() => kills.removeAll());

killed.run();
