// A server's tasks runtime loads with import() when the server is created with `tasks`
// (issue #20 item 3, server/tasks-lazy.ts); a server without them never loads it. Requests
// that come before the load has finished wait for it; nothing else changes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryTaskStore } from 'mcpwire/transport';
import { createServer } from '../server/server.ts';
import { LazyTaskRuntime, lazyTasksFeature, PLAIN_CALL, TASK_METHODS, type TasksModule } from '../server/tasks-lazy.ts';
import { createTasksFeature } from '../server/tasks/feature.ts';
import type { TaskRuntime as Runtime, TaskRuntimeHost } from '../server/tasks/runtime.ts';
import type { MethodTable } from '../server/method-table.ts';
import type { ServerRequest } from '../server/request.ts';
import { callAsTask, connectClient, within } from './tasks-fixture.ts';

const first = suite('tasks: loaded when the server is created with them');

first('a task tool works from the first call; resume and setInlineFirst given before the load apply', async () => {
  const server = createServer({ name: 't', version: '1' }, { tasks: { store: createMemoryTaskStore() } });
  server.tasks!.setInlineFirst('later');
  const resumed = server.tasks!.resume(); // before the runtime's code has loaded
  assert.ok(server.tasks!.inlineFirst('later'));
  server.tool({ name: 'work', execution: { taskSupport: 'optional' } }, () => 'worked');
  const c = await connectClient(server);
  assert.ok(c.client.serverCapabilities?.tasks?.requests?.tools?.call, 'tasks declared');
  const task = await within(callAsTask(c, 'work'));
  assert.is(task.status, 'working');
  const result = await within(c.client.peer.request('tasks/result', { taskId: task.taskId }) as Promise<{ content: unknown }>);
  assert.equal(result.content, [{ type: 'text', text: 'worked' }]);
  assert.is(await within(resumed), 0);
  await c.close();
  await server.close();
});

first('a bad tasks option is still refused by createServer, before anything loads', () => {
  assert.throws(() => createServer({ name: 't', version: '1' }, { tasks: { store: createMemoryTaskStore(), leaseMs: 0 } }),
    (e: unknown) => e instanceof RangeError && e.message === 'tasks.leaseMs must be a positive integer, got 0');
});

const wiring = suite('tasks: what the lazy runtime declares and serves before its code loads');

/** The methods a feature registers. */
function methodsOf(register: (table: MethodTable) => void): string[] {
  const names: string[] = [];
  register({ on: (name: string) => names.push(name) } as unknown as MethodTable);
  return names.sort();
}

const host = (errors: Error[]): TaskRuntimeHost => ({
  run: () => ({ content: [] }), context: () => ({}) as never, publish: () => {}, subscribe: () => () => {}, report: (e) => errors.push(e),
});

for (const list of [true, false]) {
  wiring(`the methods and capabilities match tasks/feature.ts's (list: ${list})`, async () => {
    const lazy = new LazyTaskRuntime({ store: createMemoryTaskStore(), list }, host([]), () => new Promise<TasksModule>(() => {}));
    const feature = lazyTasksFeature(lazy);
    const real = createTasksFeature({ listed: list } as unknown as Runtime);
    assert.equal(methodsOf((t) => feature.register(t)), methodsOf((t) => real.register(t)));
    assert.equal(feature.capabilities(), real.capabilities());
    assert.ok(TASK_METHODS.length >= methodsOf((t) => real.register(t)).length);
  });
}

wiring('a failed load fails the request that waited (-32603), is reported, and the next request loads again', async () => {
  const errors: Error[] = [];
  let attempts = 0;
  const load = async (): Promise<TasksModule> => {
    if (++attempts === 1) throw new Error('chunk missing'); // the load createServer starts
    return import('../server/tasks-parts.ts');
  };
  const lazy = new LazyTaskRuntime({ store: createMemoryTaskStore() }, host(errors), load);
  const req = { protocolVersion: '2025-06-18' } as ServerRequest; // before tasks: every call is plain
  const run = async () => ({ content: [] });
  const failed = await lazy.route({ name: 'x' }, req, undefined, run).catch((e: { code?: number; message: string }) => e);
  assert.is((failed as { code?: number }).code, -32603);
  assert.is((failed as Error).message, 'Internal error: the tasks runtime did not load: chunk missing');
  assert.equal(errors.map((e) => e.message), ['chunk missing']);
  assert.is(await lazy.route({ name: 'x' }, req, undefined, run), PLAIN_CALL);
  assert.is(attempts, 2);
  await lazy.close();
});

first.run();
wiring.run();
