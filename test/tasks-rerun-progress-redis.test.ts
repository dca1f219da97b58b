// tasks-rerun-progress-kept.test.ts across instances: two `mcpwire serve --http --agents
// --redis` on one real redis-server (loopback, free port). research_agent runs as a 2025-11-25
// task on instance A, its progress read on A's standalone stream; A is killed. The client, away,
// asks B for the task's result; B takes the task over (A's lease lapsed) and re-runs it. What the
// re-run reports goes on the session's standalone stream in Redis; the client resumes that
// stream on B with its Last-Event-ID and gets every step it missed, each progress value once
// over both runs (basic/utilities/progress; basic/transports: resumability). Skipped, with the
// reason printed, when redis-server or the built CLI is missing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestRedis } from '../transport/redis/test-server.ts';
import { killed, startServe, type ServeProcess } from './serve-process.ts';
import { openSession, progressOf, taskToStepTwo } from './tasks-rerun-fixture.ts';

const built = existsSync(fileURLToPath(new URL('../dist/bin/cli.js', import.meta.url)));
if (!built) console.log('skipped: the CLI is not built (npm run build)');
const redis = built ? await startTestRedis() : undefined;
if (redis) {
  const test = suite('tasks: a task re-run on another instance keeps its progress for its client (Redis)');
  const records = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-redis-'));
  // One records folder, as instances of one deployment share: the re-run finds the steps A did.
  const start = () => startServe(['--agents', '--redis', redis.url, '--redis-lease-ms', '600', '--records', records, '--step-ms', '400']);

  test('after kill -9 of the instance running it, the steps the re-run on the other reported while no client was connected are replayed once', async () => {
    const a = await start();
    const b = await start();
    let server: ServeProcess = a;
    try {
      const s = await openSession(() => server);
      const { taskId, total, live } = await taskToStepTwo(s, 'on A');
      await killed(a.child);

      // The client asks B for the result (tasks/result waits until the task ends), away from
      // any standalone stream; B takes the task over once A's lease lapsed and re-runs it.
      server = b;
      const result = await s.request(2, 'tasks/result', { taskId });
      assert.ok(result.result && !result.result.isError, `the re-run on B completed: ${JSON.stringify(result).slice(0, 300)}`);

      const resumed = await s.stream(live.lastId);
      await resumed.until((m) => m.method === 'notifications/progress' && m.params.progress === total, 'the last step, replayed by B');
      await resumed.cancel();
      const before = progressOf(live.messages);
      const after = progressOf(resumed.messages);
      assert.equal([...before, ...after], Array.from({ length: total }, (_, i) => i + 1), `each step once: before ${before}, after ${after}`);
    } finally {
      await killed(a.child);
      await killed(b.child);
    }
  });

  test.after(async () => {
    await redis.stop();
    await rm(records, { recursive: true, force: true });
  });
  test.run();
}
