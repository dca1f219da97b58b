/**
 * The behavioural contract of a {@link TaskStore}, as plain async cases using
 * `node:assert/strict`, so any test framework can run them:
 *
 * ```ts
 * for (const c of taskStoreContract((limits) => createMyStore(limits))) test(c.name, c.run);
 * ```
 *
 * Every case makes its own store with `makeStore` (passing the limits it needs, including an
 * injected clock) and closes it.
 */
import assert from 'node:assert/strict';
import type { TaskRecord, TaskStore, TaskStoreLimits } from './types.ts';

/** One contract case. */
export interface TaskStoreContractCase {
  name: string;
  run: () => Promise<void>;
}

/** Makes a fresh, empty store with `limits`. */
export type MakeTaskStore = (limits: TaskStoreLimits) => Promise<TaskStore> | TaskStore;

/** A record for the cases: working, owned by `owner`, created at `at`. */
export function sampleTask(taskId: string, owner = 'session-a', at = 1_000, ttl: number | null = 60_000): TaskRecord {
  return {
    taskId, owner, status: 'working', createdAt: at, lastUpdatedAt: at, ttl, inputs: [],
    request: { method: 'tools/call', params: { name: 'slow', arguments: { n: 1 } }, protocolVersion: '2025-11-25', clientCapabilities: {} },
  };
}

function clock(start = 1_000): { now: () => number; set(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => { t = ms; } };
}

async function withStore(make: MakeTaskStore, limits: TaskStoreLimits, body: (store: TaskStore) => Promise<void>): Promise<void> {
  const store = await make(limits);
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

const ids = (page: { tasks: TaskRecord[] }) => page.tasks.map((t) => t.taskId);

/** The cases every TaskStore must pass. */
export function taskStoreContract(make: MakeTaskStore): TaskStoreContractCase[] {
  return [
    {
      name: 'a created task reads back whole; an unknown id reads as undefined',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        const record = { ...sampleTask('t1'), pollInterval: 500, statusMessage: 'starting' };
        await store.create(record);
        assert.deepEqual(await store.get('t1'), record);
        assert.equal(await store.get('nope'), undefined);
      }),
    },
    {
      name: 'creating a task id twice is refused and keeps the first record',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        await store.create(sampleTask('t1', 'a'));
        await assert.rejects(store.create(sampleTask('t1', 'b')), (e: { code?: unknown }) => e.code === 'MCP_ERR_VALIDATION');
        assert.equal((await store.get('t1'))?.owner, 'a');
      }),
    },
    {
      name: 'update applies the change, stamps lastUpdatedAt and resolves with the new record',
      run: async () => {
        const c = clock();
        await withStore(make, { now: c.now }, async (store) => {
          await store.create(sampleTask('t1'));
          c.set(2_500);
          const next = await store.update('t1', { status: 'input_required', inputs: [{ action: 'accept' }] });
          assert.equal(next?.status, 'input_required');
          assert.equal(next?.lastUpdatedAt, 2_500);
          assert.deepEqual(await store.get('t1'), next);
          assert.equal(await store.update('missing', { status: 'working' }), undefined);
        });
      },
    },
    {
      name: 'questions wait in inputRequests; an answer goes to its index in inputs and its question leaves; a second answer changes nothing',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        const first = { index: 0, method: 'elicitation/create', params: { message: 'Delete it?' } };
        const second = { index: 1, method: 'roots/list' };
        await store.create(sampleTask('t1'));
        await store.update('t1', { status: 'input_required', ask: { 'input-0': first } });
        await store.update('t1', { ask: { 'input-1': second } });
        assert.deepEqual((await store.get('t1'))?.inputRequests, { 'input-0': first, 'input-1': second });
        const answered = await store.update('t1', { answer: { 'input-1': { roots: [] }, unknown: { action: 'accept' } } });
        assert.deepEqual(answered?.inputs, [null, { roots: [] }], 'recorded at its index; an unknown key is ignored');
        assert.deepEqual(answered?.inputRequests, { 'input-0': first });
        await store.update('t1', { answer: { 'input-1': { roots: [{ uri: 'file:///late' }] } } });
        assert.deepEqual((await store.get('t1'))?.inputs, [null, { roots: [] }], 'the first answer is kept');
        await store.update('t1', { answer: { 'input-0': { action: 'accept' } } });
        const done = await store.get('t1');
        assert.deepEqual(done?.inputs, [{ action: 'accept' }, { roots: [] }]);
        assert.equal(done?.inputRequests, undefined, 'nothing waits any more');
        assert.equal(done?.status, 'input_required', 'the status is the runtime\'s to change');
      }),
    },
    {
      name: 'answers to one question sent at once by several writers: exactly one is recorded, none is lost',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        await store.create(sampleTask('t1'));
        await store.update('t1', { ask: { a: { index: 0, method: 'elicitation/create' }, b: { index: 1, method: 'elicitation/create' } } });
        const writers = [1, 2, 3, 4, 5, 6];
        await Promise.all(writers.map((n) => store.update('t1', { answer: n % 2 === 0 ? { a: { n } } : { b: { n } } })));
        const record = await store.get('t1');
        assert.equal(record?.inputRequests, undefined);
        assert.equal(record?.inputs.length, 2);
        assert.ok(writers.some((n) => n % 2 === 0 && JSON.stringify(record?.inputs[0]) === JSON.stringify({ n })), JSON.stringify(record?.inputs));
        assert.ok(writers.some((n) => n % 2 === 1 && JSON.stringify(record?.inputs[1]) === JSON.stringify({ n })), JSON.stringify(record?.inputs));
      }),
    },
    {
      name: 'a terminal task never changes: update rejects with MCP_ERR_STATE',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        await store.create(sampleTask('t1'));
        await store.update('t1', { status: 'cancelled' });
        await assert.rejects(store.update('t1', { status: 'completed', outcome: { result: { content: [] } } }), (e: { code?: unknown }) => e.code === 'MCP_ERR_STATE');
        assert.equal((await store.get('t1'))?.status, 'cancelled');
        assert.equal((await store.get('t1'))?.outcome, undefined);
      }),
    },
    {
      name: 'a task past its TTL is neither returned nor listed; a null TTL never expires',
      run: async () => {
        const c = clock();
        await withStore(make, { now: c.now }, async (store) => {
          await store.create(sampleTask('short', 'a', 1_000, 1_000));
          await store.create(sampleTask('forever', 'a', 1_000, null));
          c.set(1_999);
          assert.ok(await store.get('short'));
          c.set(2_000);
          assert.equal(await store.get('short'), undefined);
          assert.equal(await store.update('short', { status: 'completed' }), undefined);
          assert.deepEqual(ids(await store.list()), ['forever']);
          c.set(10 ** 12);
          assert.ok(await store.get('forever'));
        });
      },
    },
    {
      name: 'when full, a new task evicts the oldest finished one; full of unfinished tasks, create rejects with MCP_ERR_STORE',
      run: () => withStore(make, { now: clock().now, maxTasks: 3 }, async (store) => {
        for (const id of ['a', 'b', 'c']) await store.create(sampleTask(id));
        await store.update('b', { status: 'completed', outcome: { result: { content: [] } } });
        await store.create(sampleTask('d'));
        assert.equal(await store.get('b'), undefined);
        assert.deepEqual(ids(await store.list()), ['a', 'c', 'd']);
        await assert.rejects(store.create(sampleTask('e')), (e: { code?: unknown }) => e.code === 'MCP_ERR_STORE');
        assert.deepEqual(ids(await store.list()), ['a', 'c', 'd']);
      }),
    },
    {
      // One owner making tasks without end would otherwise evict every other owner's
      // finished results before their clients fetch them (fault injection round eight).
      name: 'when full, a new task evicts the oldest finished task of its own owner first, then the oldest finished one',
      run: () => withStore(make, { now: clock().now, maxTasks: 4 }, async (store) => {
        await store.create(sampleTask('theirs', 'other'));
        await store.update('theirs', { status: 'completed', outcome: { result: { content: [] } } });
        for (const id of ['m1', 'm2']) {
          await store.create(sampleTask(id, 'flooder'));
          await store.update(id, { status: 'completed', outcome: { result: { content: [] } } });
        }
        await store.create(sampleTask('m3', 'flooder'));
        await store.create(sampleTask('m4', 'flooder'));
        assert.deepEqual(ids(await store.list()), ['theirs', 'm2', 'm3', 'm4'], 'the flooder\'s oldest finished task went, not the other owner\'s');
        await store.create(sampleTask('m5', 'flooder'));
        assert.deepEqual(ids(await store.list()), ['theirs', 'm3', 'm4', 'm5']);
        await store.create(sampleTask('o2', 'newcomer'));
        assert.deepEqual(ids(await store.list()), ['m3', 'm4', 'm5', 'o2'], 'an owner with no finished task evicts the oldest finished one');
      }),
    },
    {
      // A record keeps the request's arguments and the client's capabilities and info, each
      // up to the HTTP body limit: without a bound, maxTasks records held gigabytes (faults12).
      name: 'a record over maxRecordBytes is refused whole with MCP_ERR_MESSAGE_TOO_LARGE naming the option; so is a change that grows one past it',
      run: () => withStore(make, { now: clock().now, maxRecordBytes: 4096 }, async (store) => {
        const tooLarge = (e: Error & { code?: unknown }) => e.code === 'MCP_ERR_MESSAGE_TOO_LARGE' && /maxRecordBytes \(4096\)/.test(e.message) && /\d{4,} bytes/.test(e.message);
        const big = { ...sampleTask('big'), request: { ...sampleTask('big').request, params: { name: 'slow', arguments: { blob: 'x'.repeat(5000) } } } };
        await assert.rejects(store.create(big), tooLarge);
        assert.equal(await store.get('big'), undefined);
        assert.deepEqual(ids(await store.list()), []);
        await store.create(sampleTask('small'));
        const before = await store.get('small');
        await assert.rejects(store.update('small', { status: 'completed', outcome: { result: { content: [{ type: 'text', text: 'é'.repeat(2100) }] } } }), tooLarge);
        assert.deepEqual(await store.get('small'), before, 'the refused change left the record as it was');
        await store.update('small', { status: 'completed', outcome: { result: { content: [{ type: 'text', text: 'é'.repeat(1000) }] } } });
        assert.equal((await store.get('small'))?.status, 'completed');
      }),
    },
    {
      name: 'past maxTotalBytes a new or growing record evicts finished ones, oldest first; with only unfinished ones left it is refused with MCP_ERR_STORE naming the option',
      run: () => withStore(make, { now: clock().now, maxTotalBytes: 2500 }, async (store) => {
        const padded = (id: string) => ({ ...sampleTask(id), request: { ...sampleTask(id).request, params: { name: 'slow', arguments: { pad: 'p'.repeat(750) } } } });
        const grown = { status: 'completed' as const, outcome: { result: { content: [{ type: 'text', text: 'g'.repeat(600) }] } } };
        await store.create(padded('a'));
        await store.update('a', { status: 'completed', outcome: { result: { content: [] } } });
        await store.create(padded('b'));
        await store.create(padded('c'));
        assert.deepEqual(ids(await store.list()), ['b', 'c'], 'a, finished, made room for c');
        await assert.rejects(store.create(padded('d')), (e: Error & { code?: unknown }) => e.code === 'MCP_ERR_STORE' && /maxTotalBytes \(2500\)/.test(e.message));
        assert.deepEqual(ids(await store.list()), ['b', 'c']);
        await store.update('b', { status: 'completed', outcome: { result: { content: [] } } });
        await store.update('c', grown);
        assert.deepEqual(ids(await store.list()), ['c'], 'c, grown, took b\'s room');
        assert.equal((await store.get('c'))?.status, 'completed');
        await store.create(padded('e'));
        assert.deepEqual(ids(await store.list()), ['e'], 'c, finished, made room for e');
        await store.create(sampleTask('f'));
        assert.deepEqual(ids(await store.list()), ['e', 'f'], 'the bytes of the evicted records were given back: f fits beside e');
      }),
    },
    {
      name: 'list filters by owner (one name or several) and activity, in creation order',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        for (const [id, owner] of [['1', 'a'], ['2', 'b'], ['3', 'a'], ['4', 'a'], ['5', 'c']] as const) await store.create(sampleTask(id, owner));
        assert.deepEqual(ids(await store.list({ owner: ['b', 'c'] })), ['2', '5']);
        await store.update('5', { status: 'cancelled' });
        await store.update('3', { status: 'failed', outcome: { error: { code: -32603, message: 'x' } } });
        assert.deepEqual(ids(await store.list({ owner: 'a' })), ['1', '3', '4']);
        assert.deepEqual(ids(await store.list({ owner: 'a', active: true })), ['1', '4']);
        assert.deepEqual(ids(await store.list({ active: true })), ['1', '2', '4']);
        assert.deepEqual(ids(await store.list({ owner: ['a', 'c'], active: true })), ['1', '4']);
      }),
    },
    {
      name: 'list pages with a cursor that survives deletions; a cursor we did not issue is -32602',
      run: async () => {
        const c = clock();
        await withStore(make, { now: c.now }, async (store) => {
          for (let i = 0; i < 5; i++) await store.create(sampleTask(`t${i}`, 'a', 1_000, i === 2 ? 500 : 60_000));
          const first = await store.list({ limit: 2 });
          assert.deepEqual(ids(first), ['t0', 't1']);
          assert.equal(typeof first.nextCursor, 'string');
          c.set(1_600); // t2 expires between pages
          const second = await store.list({ limit: 2, cursor: first.nextCursor! });
          assert.deepEqual(ids(second), ['t3', 't4']);
          assert.equal(second.nextCursor, undefined);
          await assert.rejects(store.list({ cursor: 'not-a-cursor' }), (e: { code?: unknown }) => e.code === -32602);
        });
      },
    },
    {
      name: 'a run lease has one holder at a time: its holder renews it, another takes it once it lapses',
      run: async () => {
        const c = clock();
        await withStore(make, { now: c.now }, async (store) => {
          assert.equal(await store.lease('t1', 'a', 1_000), true, 'free: taken');
          assert.equal(await store.lease('t1', 'b', 1_000), false, 'held by a');
          c.set(1_900);
          assert.equal(await store.lease('t1', 'a', 1_000), true, 'renewed by its holder, to 2 900');
          c.set(2_500);
          assert.equal(await store.lease('t1', 'b', 1_000), false, 'the renewal still runs');
          assert.equal(await store.lease('t2', 'b', 1_000), true, 'leases are per task');
          c.set(2_900);
          assert.equal(await store.lease('t1', 'b', 1_000), true, 'lapsed: taken over');
          assert.equal(await store.lease('t1', 'a', 1_000), false, 'the old holder lost it');
          await assert.rejects(store.lease('t3', '', 1_000), (e: { code?: unknown }) => e.code === 'MCP_ERR_VALIDATION');
          await assert.rejects(store.lease('t3', 'a', 0), (e: { code?: unknown }) => e.code === 'MCP_ERR_VALIDATION');
        });
      },
    },
    {
      name: 'a released lease is free at once; releasing a lease one does not hold changes nothing',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        assert.equal(await store.lease('t1', 'a', 60_000), true);
        await store.releaseLease('t1', 'b');
        assert.equal(await store.lease('t1', 'b', 60_000), false, 'still a\'s');
        await store.releaseLease('t1', 'a');
        assert.equal(await store.lease('t1', 'b', 60_000), true, 'free once released');
        await store.releaseLease('never-leased', 'a');
      }),
    },
    {
      name: 'holders asking for one lease at once: exactly one gets it',
      run: () => withStore(make, { now: clock().now }, async (store) => {
        const holders = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
        const won = await Promise.all(holders.map((h) => store.lease('t1', h, 60_000)));
        assert.equal(won.filter(Boolean).length, 1, JSON.stringify(won));
        const winner = holders[won.indexOf(true)]!;
        assert.equal(await store.lease('t1', winner, 60_000), true);
      }),
    },
  ];
}
