// A 2025-11-25 task re-run after kill -9 reports its progress while its client is away: a
// real `mcpwire serve --http --agents --state DIR`, research_agent started as a task with a
// progress token, its progress read on the standalone GET stream, the server killed and
// restarted on the same state. The re-run finishes while no stream of the session is open;
// the client then resumes its standalone stream with Last-Event-ID and gets every step it
// missed, each progress value once over both runs (basic/utilities/progress: the token is
// valid for the task's lifetime; basic/transports: resumability). Real processes, 127.0.0.1.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed, startServe } from './serve-process.ts';
import { openSession, progressOf, taskToStepTwo } from './tasks-rerun-fixture.ts';

const start = (dir: string) => startServe(['--agents', '--state', dir, '--step-ms', '400']);

const test = suite('tasks: a re-run task\'s progress is kept for its client while it is away');

test('after kill -9 and a restart, the steps the re-run reported while no client was connected are replayed once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-progress-'));
  let server = await start(dir);
  try {
    const s = await openSession(() => server);
    const { taskId, total, live } = await taskToStepTwo(s, 'before the kill');
    await killed(server.child);

    server = await start(dir);
    assert.match(server.log(), /resumed 1 tasks/);
    // The re-run goes on while no stream of the session is open; tasks/get (a plain POST) tells when it is done.
    let status = 'working';
    for (let attempt = 0; attempt < 100 && status !== 'completed'; attempt++) {
      status = (await s.request(100 + attempt, 'tasks/get', { taskId })).result.status as string;
      assert.ok(['working', 'completed'].includes(status), `status ${status}`);
      if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.is(status, 'completed', 'the re-run finished');

    const resumed = await s.stream(live.lastId);
    await resumed.until((m) => m.method === 'notifications/progress' && m.params.progress === total, 'the last step, replayed');
    await resumed.cancel();
    const before = progressOf(live.messages);
    const after = progressOf(resumed.messages);
    assert.equal([...before, ...after], Array.from({ length: total }, (_, i) => i + 1), `each step once: before ${before}, after ${after}`);
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
