// The other order of tasks-rerun-progress-kept.test.ts: after a restart the client resumes
// its standalone stream (Last-Event-ID) before the re-run task reports anything. The re-run
// repeats step 1, which the stream already holds, then reports step 2: the client gets step
// 2 only, once (2025-11-25 basic/utilities/progress: progress MUST increase). In process: two
// servers on one event store and one task folder stand for the process before and after.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryEventStore } from 'mcpwire/transport';
import { messagesOf, readEvents } from './http-fixture.ts';
import { within } from './tasks-fixture.ts';
import { firstRun, progressOf, stepsHandler } from './tasks-rerun-steps.ts';

const test = suite('tasks: a client back before the re-run task reports gets each step once');

test('the re-run repeats step 1 (already on the stream, not sent again) and reports step 2 on the resumed stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-returned-'));
  const eventStore = createMemoryEventStore();
  let second: Awaited<ReturnType<typeof stepsHandler>> | undefined;
  try {
    const { session, lastId } = await firstRun(join(dir, 'tasks'), eventStore);
    second = await stepsHandler(join(dir, 'tasks'), eventStore, Promise.resolve());
    assert.is(await second.handler.restore(), 1);
    const resumed = await second.send('GET', { accept: 'text/event-stream', ...session, 'last-event-id': lastId });
    assert.is(resumed.status, 200);
    const reading = readEvents(resumed, 1);
    assert.is(await second.server.tasks!.resume(), 1);
    assert.equal(progressOf(messagesOf(await within(reading, 5000, 'step 2 on the resumed stream'))), [[2, 'two']], 'step 1 is not sent twice');
  } finally {
    await second?.handler.close();
    await second?.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
