// Task lease renewals failing while the shared store is away (Redis stopped or frozen) are
// reported once per outage, not once per beat and task (a beat is every third of the lease:
// 20 tasks at --redis-lease-ms 600 made 2,400 lines a minute); a beat that renews every lease
// ends the outage, and the next one is reported again. Runs keep going meanwhile.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryTaskStore, type TaskStore } from '../../transport/index.ts';
import { TaskLeaseKeeper } from './leases.ts';

/** A store whose `lease` fails while `down`; `beats(n)` resolves after n more lease calls. */
function flakyStore() {
  const inner = createMemoryTaskStore();
  let down = false;
  let calls = 0;
  const waiters: Array<{ at: number; done: () => void }> = [];
  const store: TaskStore = {
    create: (r) => inner.create(r), get: (id) => inner.get(id), update: (id, c) => inner.update(id, c),
    list: (q) => inner.list(q), releaseLease: (id, h) => inner.releaseLease(id, h), close: async () => {},
    async lease(id, holder, ms) {
      calls++;
      for (const w of [...waiters]) if (calls >= w.at) { waiters.splice(waiters.indexOf(w), 1); w.done(); }
      if (down) throw new Error('Redis SET failed: connection lost');
      return inner.lease(id, holder, ms);
    },
  };
  // Bounded, and the bound's timer holds the process open (the keeper's own timer does not).
  const beats = (n: number) => new Promise<void>((done, fail) => {
    const bound = setTimeout(() => fail(new Error(`${n} renewals did not come within 5 s`)), 5000);
    waiters.push({ at: calls + n, done: () => { clearTimeout(bound); done(); } });
  });
  return { store, setDown: (d: boolean) => { down = d; }, beats };
}

const test = suite('task leases: a store outage is reported once');

test('many failing beats over three tasks make one report; after a clean beat the next outage is reported again', async () => {
  const { store, setDown, beats } = flakyStore();
  const reports: Error[] = [];
  const lost: string[] = [];
  const keeper = new TaskLeaseKeeper(store, 30, { lost: (id) => lost.push(id), report: (e) => reports.push(e) });
  try {
    for (const id of ['t1', 't2', 't3']) assert.ok(await keeper.claim(id));
    setDown(true);
    await beats(3 * 10); // ten beats of three renewals
    assert.is(reports.length, 1, reports.map((e) => e.message).join('\n'));
    assert.match(reports[0]!.message, /cannot renew the lease of task t\d \(and 2 other tasks\): Redis SET failed/);
    assert.equal(lost, [], 'runs go on through the outage');
    setDown(false);
    await beats(3 * 3);
    setDown(true);
    await beats(3 * 5);
    assert.is(reports.length, 2, 'the second outage is reported too');
    assert.ok(['t1', 't2', 't3'].every((id) => keeper.has(id)));
  } finally {
    setDown(false);
    await keeper.close();
  }
});

test.run();
