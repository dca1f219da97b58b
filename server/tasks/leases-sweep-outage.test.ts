// scalewalk7's walk: while Redis was away, each instance's takeover sweep (every `sweepMs`)
// logged a bare "Redis ZRANGE failed: the connection to Redis is down (reconnecting)": it did
// not say what had failed, and it came again at every sweep for the whole outage. Now the
// failure names the sweep and is reported once per outage, as the lease renewals are
// (leases-outage.test.ts): again only after a sweep succeeded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryTaskStore } from '../../transport/index.ts';
import { TaskLeaseKeeper } from './leases.ts';

const test = suite('task takeover sweep: a store outage is reported once, named');

test('ten failing sweeps make one report naming the sweep; after a sweep succeeds the next outage is reported again', async () => {
  const reports: Error[] = [];
  const keeper = new TaskLeaseKeeper(createMemoryTaskStore(), 60_000, { lost: () => {}, report: (e) => reports.push(e) });
  let down = true;
  let sweeps = 0;
  const waiters: Array<{ at: number; done: () => void }> = [];
  // Bounded, and the bound's timer holds the process open (the sweeper's own timer does not).
  const swept = (n: number) => new Promise<void>((done, fail) => {
    const bound = setTimeout(() => fail(new Error(`${n} sweeps did not come within 5 s`)), 5000);
    waiters.push({ at: sweeps + n, done: () => { clearTimeout(bound); done(); } });
  });
  keeper.startSweep(5, async () => {
    sweeps++;
    // Resolved after this sweep settled (the keeper's report follows its rejection).
    for (const w of [...waiters]) if (sweeps >= w.at) { waiters.splice(waiters.indexOf(w), 1); setTimeout(w.done, 1); }
    if (down) throw new Error('Redis ZRANGE failed: the connection to Redis is down (reconnecting)');
    return 0;
  });
  try {
    await swept(10);
    assert.is(reports.length, 1, reports.map((e) => e.message).join('\n'));
    assert.is(reports[0]!.message, 'cannot look for tasks to take over (tasks whose instance stopped renewing their lease): Redis ZRANGE failed: the connection to Redis is down (reconnecting) (retried every 5 ms, reported again only after a sweep succeeded)');
    assert.is((reports[0] as { code?: string }).code, 'MCP_ERR_STORE');
    down = false;
    await swept(2);
    down = true;
    await swept(3);
    assert.is(reports.length, 2, 'the second outage is reported too');
  } finally {
    await keeper.close();
  }
});

test.run();
