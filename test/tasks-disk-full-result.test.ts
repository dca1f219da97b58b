// A task whose tool finished while the disk was full: its outcome could not be written, so the
// store still said `working`; the run was dropped and its lease given up, and the next
// tasks/get took the "orphan" over and ran the tool again (a side effect twice, the first
// result lost). Now the run keeps the task (no takeover runs it again) and writes the outcome
// again until it lands: once space is back the client gets the first run's result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFileTaskStore } from 'mcpwire/transport';
import { fullDiskFs } from './support/full-disk-fs.ts';
import { callAsTask, connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const dirs: string[] = [];
const test = suite('tasks: the outcome of a task cannot be written (disk full)');

test('the tool is not run again; once the disk has room the first run\'s result is stored and served', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-task-full-'));
  dirs.push(dir);
  const disk = { full: false };
  let refused!: () => void;
  const outcomeRefused = new Promise<void>((resolve) => { refused = resolve; });
  const store = await createFileTaskStore({ dir, fs: fullDiskFs(disk, () => refused()) });
  const release = gate();
  let runs = 0;
  const { server } = tasksServer((s) => {
    s.tool({ name: 'charge', description: 'Charges a card once.', execution: { taskSupport: 'optional' } }, async () => {
      runs++;
      await release.promise;
      return `charged (run ${runs})`;
    });
  }, { store, leaseMs: 300 });
  const c = await connectClient(server);
  try {
    const task = await callAsTask(c, 'charge');
    disk.full = true;
    release.open();
    await within(outcomeRefused, 5000, 'the outcome write refused');
    // A request about the task while its outcome is not stored: the task is not taken for an orphan.
    assert.is((await c.client.getTask(task.taskId)).status, 'working');
    assert.is(runs, 1, 'not run again while the disk is full');
    disk.full = false;
    const result = await within(c.client.getTaskResult<{ content: Array<{ text: string }> }>(task.taskId), 10_000, 'the stored result');
    assert.is(result.content[0]?.text, 'charged (run 1)');
    assert.is((await c.client.getTask(task.taskId)).status, 'completed');
    assert.is(runs, 1, 'the tool ran once');
  } finally {
    disk.full = false;
    await c.close();
  }
});

test.after(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
