// Two instances sharing a TaskStore whose event buses do not reach each other: every relay
// message between them is lost (as pub/sub loses them while an instance reconnects to
// Redis). What the other instance recorded still reaches the run: answers given there
// (2026-07-28 tasks/update) are taken, and a cancel made there stops the handler, at the
// running instance's next sweep (`sweepMs`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { McpServer } from 'mcpwire/server';
import { createMemoryTaskStore, type TaskStore } from 'mcpwire/transport';
import { modernTasks } from './tasks-modern-kit.ts';
import { gate, within } from './tasks-fixture.ts';

const form = { type: 'object' as const, properties: { name: { type: 'string' as const } } };

/** Instances A and B on one store, each with its own in-process bus; A's handler stops on `stopped`. */
function pair() {
  const store = createMemoryTaskStore();
  const started = gate();
  const stopped = gate<unknown>();
  const tools = (server: McpServer) => {
    server.tool({ name: 'ask', description: 'Asks a name.', execution: { taskSupport: 'optional' } }, async (_a, ctx) => {
      const answer = await ctx.elicit({ message: 'Name?', requestedSchema: form });
      return `Hello, ${String(answer.content?.name)}`;
    });
    server.tool({ name: 'wait', description: 'Waits for its signal.', execution: { taskSupport: 'optional' } }, (_a, ctx) => new Promise<string>((_, reject) => {
      started.open();
      ctx.signal.addEventListener('abort', () => { stopped.open(ctx.signal.reason); reject(ctx.signal.reason); }, { once: true });
    }));
  };
  // Closing one instance must not close the store the other still uses.
  const shared: TaskStore = {
    create: (r) => store.create(r), get: (id) => store.get(id), update: (id, c) => store.update(id, c), list: (q) => store.list(q),
    lease: (id, h, ms) => store.lease(id, h, ms), releaseLease: (id, h) => store.releaseLease(id, h), close: async () => {},
  };
  const options = { store: shared, sweepMs: 20 };
  return { a: modernTasks(tools, options), b: modernTasks(tools, options), started, stopped };
}

const test = suite('tasks: relay messages an instance missed are made up by its sweep');

test('answers recorded by tasks/update on B are taken by A\'s sweep; the task completes on A', async () => {
  const { a, b } = pair();
  const { taskId } = await a.call('tools/call', { name: 'ask' });
  await a.reached(taskId, 'input_required');
  const [key] = Object.keys((await b.call('tasks/get', { taskId })).inputRequests);
  await b.call('tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { name: 'Ada' } } } });
  assert.equal((await b.call('tasks/get', { taskId })).inputRequests, {}, 'recorded: no longer waiting');
  await a.server.tasks!.resume();
  const done = await a.reached(taskId, 'completed');
  assert.equal(done.result?.content, [{ type: 'text', text: 'Hello, Ada' }]);
  await Promise.all([a.server.close(), b.server.close()]);
});

test('a cancel made on B stops A\'s handler at A\'s sweep', async () => {
  const { a, b, started, stopped } = pair();
  const { taskId } = await a.call('tools/call', { name: 'wait' });
  await within(started.promise, 5000, 'the handler starting');
  await b.call('tasks/cancel', { taskId });
  assert.is((await b.call('tasks/get', { taskId })).status, 'cancelled');
  await a.server.tasks!.resume();
  const reason = await within(stopped.promise, 5000, 'the handler stopping') as Error;
  assert.match(reason.message, /finished elsewhere/);
  await Promise.all([a.server.close(), b.server.close()]);
});

test.run();
