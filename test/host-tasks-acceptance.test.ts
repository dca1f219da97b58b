// Issue #15 acceptance, with real processes: `mcpwire host --tasks auto` starts a travel
// booking as a task on `mcpwire serve --http --agents --state DIR`, the person detaches and
// quits, the server is killed and started again on the same state, a new host (same state)
// shows the task in `status` waiting for the confirmation, the form is answered from there
// (`resume N`), and the result arrives; exactly one booking is on disk. In the 2025-11-25 era
// (sessions: the new host rejoins the task's session) and pinned to 2026-07-28 (`--era
// modern`: the task id alone reaches the task).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { all, answerModel, conversation, killAll, spawnHost, startServer, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const test = suite('host: a booking as a task outlives the host and the server');
test.before(async () => { dir = await tempDir('mcpwire-host-tasks-'); });
test.after(async () => {
  await killAll();
  await dir.remove();
});

async function bookings(state: string): Promise<Array<Record<string, any>>> {
  const folder = join(state, 'agents', 'bookings');
  const names = await readdir(folder).catch(() => [] as string[]);
  return Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(join(folder, n), 'utf8'))));
}

for (const era of ['legacy-first', 'modern'] as const) {
  test(`${era}: start as a task, quit, restart the server, a new host answers from status: one booking`, async () => {
    const state = join(dir.path, `server-${era}`);
    const hostState = join(dir.path, `host-${era}`);
    const hostArgs = (url: string) => ['--url', url, '--state', hostState, '--tasks', 'auto', '--era', era];
    let server = await startServer({ state, stepMs: 20 });

    const first = spawnHost(hostArgs(server.url));
    const c1 = conversation(first);
    await c1.expect(/Type "help"/, 'travel_agent destination=Lisbon');
    const started = await c1.expect(/#1 travel_agent runs as task (\S+):/);
    const taskId = started[1]!;
    // The form is open; the person leaves it: Ctrl+C, detach, quit.
    await c1.expect(/Answer\?/);
    first.kill('SIGINT');
    await c1.expect(/\[d\]etach/, 'd');
    await c1.expect(/#1 travel_agent detached/, 'quit');
    assert.is(await first.exited(), 0);
    assert.match(first.out(), /Goodbye\. 1 call goes on on the server/, first.out());

    await server.kill9();
    server = await startServer({ state, stepMs: 20, port: server.port });

    const second = spawnHost(hostArgs(server.url));
    const c2 = conversation(second);
    await c2.expect(/A task an earlier run started went on on the server:/);
    await c2.expect(/Type "help"/);
    // The restarted server re-runs the task up to its question again: poll with status until it asks.
    for (let i = 0; ; i++) {
      const from = c2.at;
      second.send('status');
      const line = await second.waitFor(/\(task\) #1 travel_agent[^\n]*\n/, { from });
      if (/input_required/.test(line[0])) {
        assert.match(line[0], new RegExp(`task ${taskId.slice(0, 8)}`));
        assert.match(line[0], /waits for your answer to (a form|"Book this trip\? London → Lisbon)/);
        assert.match(line[0], /type "resume 1" to answer, "cancel 1" to cancel/);
        break;
      }
      assert.ok(i < 100, `the task never asked again: ${line[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await c2.expect(/\(task\) #1/);
    }
    second.send('resume 1');
    await c2.expect(/following its task/);
    await c2.expect(/Answer\?/, 'a');
    await c2.expect(/Book this trip \(yes\/no\)/, 'yes');
    await c2.expect(/Fare class/, '');
    await c2.expect(/Notes/, '');
    await c2.expect(/Send\?/, '');
    await answerModel(c2, '', 30_000);
    await c2.expect(/✓ #1 travel_agent finished/, undefined, 30_000);
    await c2.expect(/Booked: London → Lisbon/, 'quit');
    assert.is(await second.exited(), 0);

    const made = await bookings(state);
    assert.is(made.length, 1, `one booking: ${JSON.stringify(made.map((b) => [b.id, b.status, b.idempotencyKey ?? b.key]))}`);
    assert.is(made[0]!.status, 'booked');
    assert.is(all(second.out(), /Booked: London → Lisbon/).length, 1);
    await server.stop();
  });
}

test.run();
