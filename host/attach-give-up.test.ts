// `resume` then `detach` before the buffer is shown: the attach moved the stored position to the
// last buffered event (so it is on disk before the buffer is shown) and then gave up. The position
// stayed there, after events the person never saw: a run that quit then resumed past them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createCallOutput } from './calls.ts';
import type { Connection } from './connection-types.ts';
import { createCallJournal } from './journal.ts';
import { createPaint } from './progress-view.ts';
import type { Terminal } from './terminal.ts';

const session = { sessionId: 's1', protocolVersion: '2025-11-25' };

function setup() {
  const store = createMemoryResumeStore();
  const journal = createCallJournal(store, 'k', (e) => { throw e; });
  const printed: string[] = [];
  const term = { tty: false, paint: createPaint(false), columns: 100, asking: false, print(text: string) { printed.push(text); }, setLive() {} } as unknown as Terminal;
  /** The next `saved()` waits for this (a slow disk), so a detach can come in between. */
  let gate: Promise<void> | undefined;
  const conn = {
    name: 'agents', journal,
    hold: (id: number, undo?: boolean) => journal.hold(id, undo),
    release: (id: number) => journal.release(id),
    saved: async () => { await gate; await journal.flush(); return true; },
  } as unknown as Connection;
  const stored = async () => { await journal.flush(); return (await store.get('k'))?.inflight?.[0]?.lastEventId; };
  return { journal, conn, printed, term, stored, slowDisk: () => { let open!: () => void; gate = new Promise((r) => { open = r; }); return () => { gate = undefined; open(); }; } };
}

const give = suite('host: an attach given up before its buffer was shown');

give('detach right after resume: the stored position goes back before the buffered events', async () => {
  const { journal, conn, printed, term, stored, slowDisk } = setup();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(1, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: true });
  call.requestId = 7;
  journal.begin(7, {}, session);
  journal.advance(7, 'e1');
  output.emit(call, 'step 1');
  output.detach(call);
  journal.advance(7, 'e2');
  output.emit(call, 'step 2');
  journal.advance(7, 'e3');
  output.emit(call, 'step 3');
  assert.is(await stored(), 'e1', 'detached: the position stays on the last event seen');

  const open = slowDisk();
  const attached = output.attach(call); // `resume 1`: the position moves to e3, the buffer waits for the disk
  output.detach(call); // `detach 1` (or a quit) before the buffer is shown
  open();
  await attached;
  assert.not.ok(printed.join('\n').includes('step 2'), 'the buffer was not shown');
  assert.is(await stored(), 'e1', 'steps 2 and 3 were not seen: a next run replays them');

  journal.advance(7, 'e4');
  output.emit(call, 'step 4');
  assert.is(await stored(), 'e1', 'still detached: held');
  await output.attach(call);
  assert.equal(printed.join('\n').split('\n').filter((l) => l.startsWith('step')), ['step 1', 'step 2', 'step 3', 'step 4'], 'each shown once, in order');
  assert.is(await stored(), 'e4', 'all seen now');
  output.finish(call);
});

give('an attach given up while a form still holds the position leaves it where the form put it', async () => {
  const { journal, conn, term, stored, slowDisk } = setup();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(1, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: true });
  call.requestId = 7;
  journal.begin(7, {}, session);
  journal.advance(7, 'e1');
  journal.advance(7, 'e2-form');
  journal.holdQuestion(7);
  await Promise.resolve();
  output.detach(call);
  journal.advance(7, 'e3');
  const open = slowDisk();
  const attached = output.attach(call);
  output.detach(call);
  open();
  await attached;
  assert.is(await stored(), 'e1', 'before the question, as the form left it');
  output.finish(call);
});

give.run();
