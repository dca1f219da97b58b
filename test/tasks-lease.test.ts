// Run leases of tasks on one shared store (several instances): a task whose instance stops
// renewing is taken over by the periodic sweep of another and completes there once; of two
// instances sweeping at once exactly one re-runs it; and a run whose lease another instance
// took stops without recording anything. The store's clock is injected, so a lease lapses
// when the test moves the clock, not after a sleep.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { McpServer } from 'mcpwire/server';
import { createMemoryTaskStore, type TaskChange, type TaskStore } from 'mcpwire/transport';
import { McpError } from 'mcpwire/protocol';
import { callAsTask, connectClient, gate, tasksServer, within } from './tasks-fixture.ts';

const LEASE = { leaseMs: 1_000, sweepMs: 20 };

/** A memory store on a clock the test moves; `changed` resolves when a change matches. */
function sharedStore() {
  let offset = 0;
  const inner = createMemoryTaskStore({ now: () => Date.now() + offset });
  const watchers: Array<{ match: (c: TaskChange) => boolean; done: () => void }> = [];
  const store: TaskStore = {
    create: (r) => inner.create(r), get: (id) => inner.get(id), list: (q) => inner.list(q), close: async () => {},
    lease: (id, holder, ms) => inner.lease(id, holder, ms), releaseLease: (id, holder) => inner.releaseLease(id, holder),
    async update(id, change) {
      const next = await inner.update(id, change);
      for (const w of [...watchers]) if (w.match(change)) { watchers.splice(watchers.indexOf(w), 1); w.done(); }
      return next;
    },
  };
  const changed = (match: (c: TaskChange) => boolean) => within(new Promise<void>((done) => watchers.push({ match, done })), 5000, 'the change');
  return { store, inner, changed, advance: (ms: number) => { offset += ms; } };
}

/** An instance's view of `store` that dies on `die()`: every call fails from then on (its process is gone). */
function mortal(store: TaskStore) {
  let dead = false;
  const check = () => { if (dead) throw new McpError('MCP_ERR_STORE', 'this instance is dead'); };
  const view: TaskStore = {
    create: async (r) => { check(); return store.create(r); }, get: async (id) => { check(); return store.get(id); },
    update: async (id, c) => { check(); return store.update(id, c); }, list: async (q) => { check(); return store.list(q); },
    lease: async (id, h, ms) => { check(); return store.lease(id, h, ms); }, releaseLease: async (id, h) => { check(); return store.releaseLease(id, h); },
    close: async () => {},
  };
  return { view, die: () => { dead = true; } };
}

/** An instance whose `job` tool records each run, makes its side effect once per task, then does `finish`. */
function instance(name: string, store: TaskStore, runs: string[], effects: Set<string>, finish: (signal: AbortSignal) => Promise<string>, started?: () => void): McpServer {
  return tasksServer((s) => {
    s.tool({ name: 'job', description: 'job', execution: { taskSupport: 'required' } }, async (_args, ctx) => {
      runs.push(name);
      effects.add(ctx.taskId!); // keyed by the task id: a re-run does not make it twice
      started?.();
      return finish(ctx.signal);
    });
  }, { store, ...LEASE }).server;
}

const forever = () => new Promise<string>(() => {});

const test = suite('tasks: run leases across instances sharing a store');

test('the sweep of a live instance takes over a task whose instance died; it completes once there, one side effect', async () => {
  const shared = sharedStore();
  const a = mortal(shared.store);
  const runs: string[] = [];
  const effects = new Set<string>();
  const startedOnA = gate();
  const serverA = instance('A', a.view, runs, effects, forever, () => startedOnA.open());
  const serverB = instance('B', shared.store, runs, effects, async () => 'done by B');
  const c = await connectClient(serverA);
  const task = await callAsTask(c, 'job');
  await within(startedOnA.promise);
  assert.is(await serverB.tasks!.resume(), 0, 'A still holds the lease');
  a.die();
  const completed = shared.changed((ch) => ch.status === 'completed');
  shared.advance(LEASE.leaseMs); // A's last renewal lapses
  await completed;
  const record = await shared.inner.get(task.taskId);
  assert.is(record?.status, 'completed');
  assert.equal(record?.outcome, { result: { content: [{ type: 'text', text: 'done by B' }] } });
  assert.equal(runs, ['A', 'B']);
  assert.equal([...effects], [task.taskId]);
  await serverB.close();
  await c.close().catch(() => undefined);
});

test('two instances sweeping at once: exactly one re-runs the orphaned task', async () => {
  const shared = sharedStore();
  const a = mortal(shared.store);
  const runs: string[] = [];
  const startedOnA = gate();
  const serverA = instance('A', a.view, runs, new Set(), forever, () => startedOnA.open());
  const c = await connectClient(serverA);
  const task = await callAsTask(c, 'job');
  await within(startedOnA.promise);
  a.die();
  shared.advance(LEASE.leaseMs);
  const survivors = [instance('B', shared.store, runs, new Set(), forever), instance('C', shared.store, runs, new Set(), forever)];
  const taken = await Promise.all(survivors.map((s) => s.tasks!.resume()));
  assert.equal(taken.reduce((x, y) => x + y, 0), 1, `taken: ${JSON.stringify(taken)}`);
  assert.is(runs.length, 2, `runs: ${JSON.stringify(runs)}`);
  assert.is((await shared.inner.get(task.taskId))?.status, 'working');
  await Promise.all(survivors.map((s) => s.close()));
  await c.close().catch(() => undefined);
});

test('a run whose lease another instance took stops, and records nothing', async () => {
  const shared = sharedStore();
  const runs: string[] = [];
  const started = gate();
  const stopped = gate<unknown>();
  const server = instance('A', shared.store, runs, new Set(), (signal) => new Promise<string>((_, reject) => {
    signal.addEventListener('abort', () => { stopped.open(signal.reason); reject(signal.reason); }, { once: true });
  }), () => started.open());
  const c = await connectClient(server);
  const task = await callAsTask(c, 'job');
  await within(started.promise);
  // A pause longer than the lease (a stalled process): another instance took it meanwhile.
  shared.advance(LEASE.leaseMs);
  assert.ok(await shared.inner.lease(task.taskId, 'another-instance', 60_000));
  const reason = await within(stopped.promise) as Error;
  assert.match(reason.message, /another instance took task/);
  const record = await shared.inner.get(task.taskId);
  assert.is(record?.status, 'working', 'nothing recorded: the new holder finishes it');
  assert.is(record?.outcome, undefined);
  await server.close();
  await c.close().catch(() => undefined);
});

test.run();
