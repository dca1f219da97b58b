// "Every missed event exactly once": a host killed in the moment between showing a step and
// saving its position showed that step again after a restart (hostwalk3's leftover, session
// 21). The transport records an event's id only after handing its message up, and the
// journal's write of it came 10-25 ms later (coalesced, fsynced). The window is made exact
// here: what is on disk at the end of the turn that shows a step is what a kill -9 then
// leaves, so the test takes a copy of it then, and a second connection resumes from that
// copy. The same for the result: on disk when the result is handed up, the call must be over.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ResumeRecord } from 'mcpwire/client';
import type { Progress } from 'mcpwire/protocol';
import type { Connection } from '../host/connection-types.ts';
import { watchedDisk } from './watched-disk.ts';
import { hostConnection, oneToolServer, signal } from './steps-host.ts';

const noop = () => undefined;

const once = suite('host: a step shown is a step saved, so a kill at any instant shows it once');

once('kill right after step 2 of 4 is shown: the next start shows each step not yet shown, once, and after the result nothing is left to resume', async () => {
  const released = signal();
  const { spec, close } = await oneToolServer('steps', 'three steps, a wait, a fourth', async (ctx) => {
    await ctx.progress(1, 4, 'one');
    await ctx.progress(2, 4, 'two');
    await ctx.progress(3, 4, 'three');
    await released.promise;
    await ctx.progress(4, 4, 'four');
    return 'done';
  });
  const disk1 = watchedDisk();
  const first = hostConnection(spec, disk1);
  let second: Connection | undefined;
  try {
    await first.ensure();
    const shown1: number[] = [];
    // What a kill -9 at the end of the turn that showed step 2 leaves: what is on disk then,
    // and the steps shown by then (events read together are shown in one turn).
    let atKill: { disk: Array<[string, ResumeRecord]>; shown: number[] } | undefined;
    const killed = signal();
    const call = first.call('steps', {}, {
      signal: new AbortController().signal,
      onProgress: (p: Progress) => {
        shown1.push(p.progress);
        if (p.progress === 2) setImmediate(() => { atKill = { disk: disk1.onDisk(), shown: [...shown1] }; killed.resolve(); });
      },
    });
    call.catch(noop);
    await killed.promise;
    await first.close(true); // leave the session running on the server, as a killed host does
    assert.ok(atKill && atKill.disk.length === 1, `a record was on disk at step 2: ${JSON.stringify(atKill)}`);

    // The next start: a store holding exactly what was on disk when step 2 was shown.
    const disk2 = watchedDisk();
    for (const [key, record] of atKill.disk) await disk2.set(key, record);
    second = hostConnection(spec, disk2);
    await second.ensure();
    const stored = second.journal.entries();
    assert.is(stored.length, 1);
    const shown2: number[] = [];
    let atResult: Array<[string, ResumeRecord]> | undefined;
    const resumed = second.resume(stored[0]!, {
      signal: new AbortController().signal,
      onProgress: (p: Progress) => { shown2.push(p.progress); },
    }).then((result) => { atResult = disk2.onDisk(); return result; });
    released.resolve();
    const result = await resumed;
    assert.is((result.content[0] as { text: string }).text, 'done');
    assert.equal([...atKill.shown, ...shown2], [1, 2, 3, 4], `steps shown before the kill and after it, each once: ${atKill.shown} | ${shown2}`);
    assert.equal(atResult, [], `nothing left on disk to resume once the result is handed up: ${JSON.stringify(atResult)}`);
  } finally {
    released.resolve();
    await first.close(false).catch(noop);
    await second?.close(false).catch(noop);
    await close();
  }
});

once('a call that ends in the run that started it: its end is on disk when its result is handed up', async () => {
  const { spec, close } = await oneToolServer('quick', 'one step, then a result', async (ctx) => {
    await ctx.progress(1, 1, 'one');
    return 'done';
  });
  const disk = watchedDisk();
  const conn = hostConnection(spec, disk);
  try {
    await conn.ensure();
    let atProgress: Array<[string, ResumeRecord]> = [];
    const result = await conn.call('quick', {}, { signal: new AbortController().signal, onProgress: () => { atProgress = disk.onDisk(); } });
    const atResult = disk.onDisk();
    assert.is((result.content[0] as { text: string }).text, 'done');
    assert.is(atProgress[0]?.[1].inflight?.length, 1, 'the call was on record while it ran');
    assert.equal(atResult, [], `nothing left on disk to resume once the result is handed up: ${JSON.stringify(atResult)}`);
  } finally {
    await conn.close(false);
    await close();
  }
});

once.run();
