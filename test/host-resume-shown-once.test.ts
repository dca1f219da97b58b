// `resume N` of a call detached in the same run (hostwalk4's leftover, session 22): the host
// printed the lines buffered while it was detached, then let the call's stored position move
// to the last of them, a write that lands 10-25 ms later. A kill in that window left the old
// position on disk, and the next start showed those lines again. Now the position is on disk
// before they are printed, as the event gate does for live events. What is on disk at the
// moment the buffered lines are printed is what a kill -9 then leaves: a second connection
// resumes from a copy of it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ResumeRecord } from 'mcpwire/client';
import type { Progress } from 'mcpwire/protocol';
import { createCallOutput } from '../host/calls.ts';
import type { Connection } from '../host/connection-types.ts';
import { scriptedTerminal } from './scripted-terminal.ts';
import { watchedDisk } from './watched-disk.ts';
import { hostConnection, oneToolServer, signal } from './steps-host.ts';

const noop = () => undefined;

/** The step numbers in printed progress lines, `(2/4)`. */
const stepsIn = (lines: readonly string[]): number[] => lines.flatMap((l) => [...l.matchAll(/\((\d+)\/4\)/g)].map((m) => Number(m[1])));

const resumed = suite('host: resume of a detached call saves its position before it prints what it buffered');

resumed('kill right when the buffered steps 2 and 3 are printed: the next start shows step 4 only', async () => {
  const more = signal();
  const last = signal();
  const { spec, close } = await oneToolServer('steps', 'a step, a wait, two steps, a wait, a fourth', async (ctx) => {
    await ctx.progress(1, 4, 'one');
    await more.promise;
    await ctx.progress(2, 4, 'two');
    await ctx.progress(3, 4, 'three');
    await last.promise;
    await ctx.progress(4, 4, 'four');
    return 'done';
  });
  const disk1 = watchedDisk();
  const first = hostConnection(spec, disk1);
  let second: Connection | undefined;
  try {
    await first.ensure();
    const { term, printed } = scriptedTerminal();
    // What a kill -9 right after the buffered lines are printed leaves on disk.
    let atKill: Array<[string, ResumeRecord]> | undefined;
    const print = term.print.bind(term);
    term.print = (text: string) => {
      print(text);
      if (atKill === undefined && stepsIn([text]).includes(3)) atKill = disk1.onDisk();
    };
    const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
    const call = output.add(1, { conn: first, tool: 'steps', args: {}, resumed: false, quiet: false });
    const reached = new Map<number, () => void>();
    const seen = (n: number) => new Promise<void>((resolve) => { reached.set(n, resolve); });
    const one = seen(1);
    const three = seen(3);
    // As the host wires a call (host.ts hooksFor).
    const running = first.call('steps', {}, {
      signal: call.controller.signal,
      onProgress: (p: Progress) => { output.progress(call, p); reached.get(p.progress)?.(); },
      onRequestId: (id) => { call.requestId = id; if (!call.attached) first.hold(id); },
    });
    running.catch(noop);
    await one;
    output.detach(call);
    more.resolve();
    await three; // steps 2 and 3 are in the call's buffer
    assert.equal(stepsIn(printed), [1], 'only step 1 shown while attached');
    await first.journal.flush(); // nothing held back is written: the position stays at step 1
    await output.attach(call); // "resume 1"
    assert.equal(stepsIn(printed), [1, 2, 3]);
    await first.close(true); // leave the session running on the server, as a killed host does
    assert.ok(atKill && atKill.length === 1, `a record was on disk when steps 2 and 3 were printed: ${JSON.stringify(atKill)}`);

    const disk2 = watchedDisk();
    for (const [key, record] of atKill) await disk2.set(key, record);
    second = hostConnection(spec, disk2);
    await second.ensure();
    const stored = second.journal.entries();
    assert.is(stored.length, 1);
    const shown2: number[] = [];
    const again = second.resume(stored[0]!, { signal: new AbortController().signal, onProgress: (p: Progress) => { shown2.push(p.progress); } });
    last.resolve();
    const result = await again;
    assert.is((result.content[0] as { text: string }).text, 'done');
    assert.equal(shown2, [4], `steps shown again after the kill: ${shown2} (1, 2 and 3 were shown before it)`);
  } finally {
    more.resolve();
    last.resolve();
    await first.close(false).catch(noop);
    await second?.close(false).catch(noop);
    await close();
  }
});

resumed('detached again while its position is being saved: the buffer waits for the next resume, and the position is held again', async () => {
  const { term, printed } = scriptedTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const log: string[] = [];
  let landed!: (ok: boolean) => void;
  const conn = {
    name: 's', hold: () => log.push('hold'), release: () => log.push('release'),
    saved: () => new Promise<boolean>((resolve) => { log.push('saving'); landed = resolve; }),
  } as unknown as Connection;
  const call = output.add(1, { conn, tool: 'steps', args: {}, resumed: false, quiet: false });
  call.requestId = 7;
  output.detach(call);
  output.emit(call, 'buffered line');
  const first = output.attach(call);
  assert.equal(log, ['hold', 'release', 'saving']);
  assert.equal(printed, [], 'nothing shown before the position is on disk');
  output.detach(call); // Ctrl+C, detach, before the write landed
  landed(true);
  await first;
  assert.equal(printed, [], 'the attach gave up: the call is detached');
  assert.is(call.attached, false);
  assert.equal(log, ['hold', 'release', 'saving', 'hold']);
  const second = output.attach(call);
  landed(true);
  await second;
  assert.equal(printed, ['buffered line']);
  assert.is(call.attached, true);
});

resumed.run();
