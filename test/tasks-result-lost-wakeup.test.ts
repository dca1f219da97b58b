// tasks/result must not miss the change it waits for (2025-11-25 basic/utilities/tasks: the receiver
// "MUST block the response until the task reaches a terminal status", and then answer). The long-poll
// read the record, then started watching for its next change: a change that landed while the
// read was on its way (with Redis a round trip, wide on a loaded machine) woke nobody, and for a
// task whose run is still in this process nothing polls, so tasks/result never answered
// (tasks-per-principal-redis failed 1 of 19 runs under load). Here the store holds that read
// back until the task was cancelled, so the order is forced rather than hoped for; the tool
// goes on after the cancellation (cooperative: it may), which keeps its run in this process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryTaskStore, type TaskStore } from 'mcpwire/transport';
import { callAsTask, connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const test = suite('tasks/result: a task that ends while the long-poll reads it is answered');

/** A memory store whose next `get`, once armed, answers what it read only when `letGo` opens. */
function heldStore() {
  const inner = createMemoryTaskStore();
  let armed: { held: () => void; letGo: Promise<void> } | undefined;
  const store: TaskStore = {
    create: (r, o) => inner.create(r, o), update: (id, c) => inner.update(id, c), list: (q) => inner.list(q), close: () => inner.close(),
    lease: (id, holder, ms) => inner.lease(id, holder, ms), releaseLease: (id, holder) => inner.releaseLease(id, holder),
    async get(id) {
      const record = await inner.get(id);
      const hold = armed;
      armed = undefined;
      if (hold) {
        hold.held();
        await hold.letGo;
      }
      return record;
    },
  };
  /** Hold the next read until `letGo`; resolves once it is held. */
  const holdNextRead = (letGo: Promise<void>) => new Promise<void>((held) => { armed = { held, letGo }; });
  return { store, holdNextRead };
}

test('cancelled between the read of its record and the wait: tasks/result answers', async () => {
  const started = gate();
  const release = gate();
  const { store, holdNextRead } = heldStore();
  const { server } = tasksServer((s) => {
    s.tool({ name: 'stubborn', description: 'runs until the test lets it end, cancelled or not', execution: { taskSupport: 'optional' } }, async () => {
      started.open();
      await release.promise;
      return 'done';
    });
  }, { store });
  const c = await connectClient(server);
  try {
    const task = await callAsTask(c, 'stubborn');
    await within(started.promise, 5000, 'the tool running'); // no read of the runtime's own is left to come
    const letGo = gate();
    const held = holdNextRead(letGo.promise);
    const result = c.client.peer.request('tasks/result', { taskId: task.taskId }).then(() => 'result', (e: Error) => `error: ${e.message}`);
    await within(held, 5000, 'the long-poll reading the record');
    // The read saw the task working; it is cancelled now (the answer comes after the change is stored and told).
    const cancelled = await c.client.peer.request('tasks/cancel', { taskId: task.taskId }) as { status?: string };
    assert.is(cancelled.status, 'cancelled');
    letGo.open();
    const answer = await within(result, 5000, 'the answer to tasks/result');
    assert.match(answer, /cancelled/);
  } finally {
    release.open();
    await c.client.close();
    await server.close();
  }
});

test.run();
