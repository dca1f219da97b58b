// kill -9 in the middle of an event log append, end to end (faults26): a real `serve --http
// --state DIR` killed while a call streams, its session log then ending as the kill left it
// (a record cut short: the write in progress; or a whole last line gone bad, as a disk may
// leave it), restarted on the same directory, the client resuming from the last event it
// read. The call completes with every progress step once and one result; a cut write, never
// acknowledged, is removed without a word (it is what every kill -9 may leave), a damaged
// whole line is reported on stderr naming the file and the event; a damaged event the client
// had not read is written again by the call's re-run. Real processes, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagesOf, readEvents } from './http-fixture.ts';
import { killed, openSession, resumeUntil, startServe } from './serve-process.ts';

const STEPS = 200;

/** The session's log under `dir` (one session was opened). */
async function sessionLog(dir: string): Promise<string> {
  const logs = (await readdir(join(dir, 'events'))).filter((n) => n.endsWith('.log'));
  assert.is(logs.length, 1, logs.join(', '));
  return join(dir, 'events', logs[0]!);
}

const DAMAGE = {
  /** Half of a copy of the last record, no newline: the append the kill cut. */
  cut: (last: string) => last.slice(0, Math.floor(last.length / 2)),
  /** A whole line gone bad, naming nothing (a sector of garbage where a record was). */
  garbled: (last: string) => `${'\u0000'.repeat(Math.min(64, last.length))}\n`,
  /**
   * The next event, whole but failing its checksum: one the client never read (faults27). The
   * restarted server's re-run writes it again; before, the stream was 410 from before it.
   */
  unread: (last: string) => `${last.replace(/"n":(\d+),/, (_, n: string) => `"n":${Number(n) + 1},`)}\n`,
};

const REPORT = {
  cut: undefined,
  garbled: /with damage: unreadable or altered line at byte \d+, skipped/,
  unread: /with damage: event \d+ of a stream at byte \d+ is damaged/,
};

const test = suite('kill -9 mid-append: restart on the same state, resume, nothing lost or twice');

for (const [kind, damage] of Object.entries(DAMAGE)) {
  test(`a log ending in a ${kind} record: the call completes once, ${kind === 'cut' ? 'no report' : 'the damage reported'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-torn-'));
    let server = await startServe(['--state', dir]);
    try {
      const { headers, call } = await openSession(server.url);
      const res = await call({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'count', arguments: { steps: STEPS, delayMs: 5 }, _meta: { progressToken: 'run' } } });
      const before = await readEvents(res, 41); // the priming event and 40 steps
      await killed(server.child);

      const path = await sessionLog(dir);
      const lines = (await readFile(path, 'utf8')).split('\n');
      const lastEvent = [...lines].reverse().find((l) => l.startsWith('{"k":'));
      assert.ok(lastEvent, 'the log holds events');
      await appendFile(path, damage(lastEvent!));

      server = await startServe(['--state', dir]);
      assert.match(server.log(), /restored 1 sessions/);
      const seen = [...before];
      await resumeUntil(server.url, headers, seen, 1);
      const messages = messagesOf(seen);
      const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress as number);
      assert.equal(progress, Array.from({ length: STEPS }, (_, i) => i + 1), 'every step once, in order');
      const results = messages.filter((m) => m.id === 1);
      assert.is(results.length, 1, 'one result');
      assert.equal(results[0]!.result.content, [{ type: 'text', text: `counted to ${STEPS}` }]);
      const reports = server.log().split('\n').filter((l) => /event store:/.test(l));
      const report = REPORT[kind as keyof typeof REPORT];
      if (report === undefined) assert.equal(reports, [], 'a cut write is no damage');
      else assert.ok(reports.some((l) => l.includes(path) && report.test(l)), server.log());
    } finally {
      await killed(server.child);
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test.run();
