// The live line a call keeps above the prompt on a terminal, before any progress came: a call
// an earlier run left and this one resumed said "started", and a form waiting for the person
// was not mentioned (only a line with progress said "waiting for you"). Then "waiting for you"
// said neither what for nor how to answer, and was said of a form not yet shown (hostwalk11's leftover).
import { suite } from 'uvu';
import type { PassThrough } from 'node:stream';
import { pipes } from '../test/support/term-pipes.ts';
import * as assert from 'uvu/assert';
import { createCallOutput, waitingText } from './calls.ts';
import type { Connection } from './connection-types.ts';
import { createPaint, fitLine } from './progress-view.ts';
import { displayWidth } from './wrap.ts';
import { createTerminal, type Terminal } from './terminal.ts';

function liveTerminal(columns = 100) {
  const live = new Map<string, string>();
  const term = {
    tty: true, paint: createPaint(false), columns, asking: false,
    print() {}, setLive(key: string, line: string | undefined) { if (line === undefined) live.delete(key); else live.set(key, line); },
  } as unknown as Terminal;
  return { term, live };
}

/** The next redraw of the live lines (they tick once a second). */
async function nextTick(live: Map<string, string>, key: string, before: string | undefined): Promise<string> {
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    const now = live.get(key);
    if (now !== undefined && now !== before) return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no redraw of ${key}; still ${before}`);
}

const line = suite('host live line');
const conn = { name: 'agents' } as unknown as Connection;

line('a resumed call with no progress yet says so, and a form it waits on', async () => {
  const { term, live } = liveTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(3, { conn, tool: 'travel_agent', args: {}, resumed: true, quiet: false });
  assert.match(live.get('call-3')!, /^#3 travel_agent resumed · /);
  Object.assign(call, { waiting: 1, waitsFor: 'form', asking: 'form' });
  assert.match(await nextTick(live, 'call-3', live.get('call-3')), /^#3 travel_agent resumed · .* · answer its form below$/);
  const fresh = output.add(4, { conn, tool: 'research_agent', args: {}, resumed: false, quiet: false });
  assert.match(live.get('call-4')!, /^#4 research_agent started · [^·]*$/);
  Object.assign(fresh, { waiting: 1, waitsFor: 'model request', asking: 'model request' });
  assert.match(await nextTick(live, 'call-4', live.get('call-4')), /^#4 research_agent started · .* · approve its model request below$/);
  for (const c of [call, fresh]) output.finish(c);
});

line('a question waiting its turn says so, not "waiting for you"; and what it waits for comes before the message', async () => {
  const { term, live } = liveTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(5, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: false });
  output.progress(call, { progress: 6, total: 10, message: 'Waiting for your confirmation' });
  Object.assign(call, { waiting: 1, waitsFor: 'form', asking: undefined }); // another call's form is on screen
  // It said "· waiting for you" at the end, after the message, where a narrow terminal cut it.
  assert.match(await nextTick(live, 'call-5', live.get('call-5')), /^#5 travel_agent [█░]+  60% \(6\/10\) · [\d.]+ s · its form comes next · Waiting for your confirmation$/);
  call.attached = false;
  assert.is(waitingText(call), 'its form waits for you: type "resume 5"');
  call.attached = true;
  Object.assign(call, { waiting: 1, waitsFor: 'URL request', asking: 'URL request' });
  assert.is(waitingText(call), 'answer its URL request below');
  // Approved, and a slow model answers: it said "approve its model request below" meanwhile.
  Object.assign(call, { waiting: 1, waitsFor: 'model request', asking: 'model request', modelAnswering: true });
  assert.match(await nextTick(live, 'call-5', live.get('call-5')), / · your model is answering its request · /);
  Object.assign(call, { waiting: 0, waitsFor: undefined, asking: undefined, modelAnswering: false });
  assert.is(waitingText(call), '');
  output.finish(call);
});

line('a resumed call shows the progress an earlier run last showed, until its first replayed progress', () => {
  const { term, live } = liveTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const startedAt = Date.now() - 24_000; // the earlier run started it 24 s ago
  const call = output.add(3, { conn, tool: 'travel_agent', args: {}, resumed: true, quiet: false, startedAt, progress: { progress: 6, total: 10, message: 'Waiting for the booking form' } });
  // The first draw counts from the call's start (it said 0.0 s until the next tick).
  assert.match(live.get('call-3')!, /^#3 travel_agent [█░]+  60% \(6\/10\) · resumed · 2[45]\.\d s · Waiting for the booking form$/);
  output.progress(call, { progress: 7, total: 10, message: 'Booked' });
  assert.match(live.get('call-3')!, /^#3 travel_agent [█░]+  70% \(7\/10\) · [\d.]+ s · Booked$/);
  output.finish(call);
});

line('at 40 columns the live line has no bar, so its step and clock are not cut', () => {
  const { term, live } = liveTerminal(39); // a 40-column terminal: lines are cut at 39 cells
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(5, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: false });
  output.progress(call, { progress: 6, total: 10, message: 'Quote for 1 traveller: €756' });
  // It was `#5 travel_agent ██████░░░░  60% (6/10)…`: the bar took the clock's room.
  assert.match(fitLine(live.get('call-5')!, 39), /^#5 travel_agent 60% \(6\/10\) · [\d.]+ s · Q\S*…$/);
  output.finish(call);
});

line('at 40 columns what a call waits for is said whole, first; the rest on a row under it (it was cut: `· a…`)', async () => {
  const { term, live } = liveTerminal(39);
  const output = createCallOutput(term, (c) => (c.n === 12 ? `#${c.n} ${c.tool}@stdio-agents` : `#${c.n} ${c.tool}`));
  const call = output.add(5, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: false });
  Object.assign(call, { waiting: 1, waitsFor: 'form', asking: 'form' });
  output.progress(call, { progress: 6, total: 10, message: 'Waiting for your confirmation' });
  const rows = live.get('call-5')!.split('\n');
  assert.is(rows[0], '#5 travel_agent · answer its form below');
  assert.match(rows[1]!, /^  60% \(6\/10\) · [\d.]+ s · Waiting for your confirmation$/);
  assert.is(rows.length, 2);
  // A long label: the wait wraps at words, never cut.
  const long = output.add(12, { conn, tool: 'research_agent', args: {}, resumed: false, quiet: false });
  Object.assign(long, { waiting: 1, waitsFor: 'model request', asking: 'model request' });
  const drawn = (await nextTick(live, 'call-12', live.get('call-12'))).split('\n');
  assert.equal(drawn.slice(0, -1).join(' ').replace(/ +/g, ' '), '#12 research_agent@stdio-agents · approve its model request below');
  assert.match(drawn.at(-1)!, /^  started · [\d.]+ s$/);
  for (const row of drawn) assert.ok(displayWidth(row) <= 39, row);
  // Nothing waited on: one row, cut, as before (the essential is the label and the step).
  Object.assign(call, { waiting: 0, waitsFor: undefined, asking: undefined });
  assert.not.match(await nextTick(live, 'call-5', live.get('call-5')), /\n/);
  for (const c of [call, long]) output.finish(c);
});

line('at 100 columns a call waited on keeps one row', () => {
  const { term, live } = liveTerminal(99);
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const call = output.add(5, { conn, tool: 'travel_agent', args: {}, resumed: false, quiet: false });
  Object.assign(call, { waiting: 1, waitsFor: 'form', asking: 'form' });
  output.progress(call, { progress: 6, total: 10, message: 'Waiting for your confirmation' });
  assert.match(live.get('call-5')!, /^#5 travel_agent [█░]{20}  60% \(6\/10\) · [\d.]+ s · answer its form below · Waiting for your confirmation$/);
  output.finish(call);
});

line('the screen draws a live line of two rows as two rows, each cut to the width, and goes up past both', async () => {
  const { input, output, text: written } = pipes();
  Object.assign(output, { columns: 40, rows: 24 });
  const t = createTerminal({ input, output: output as PassThrough & { columns: number }, tty: true, color: false });
  try {
    t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
    t.setLive('call-5', '#5 travel_agent · answer its form below\n  60% (6/10) · 4.2 s · Waiting for your confirmation');
    let text = written();
    const first = text.slice(text.lastIndexOf('\x1b[J') + 3);
    assert.match(first, /^#5 travel_agent · answer its form below\n {2}60% \(6\/10\) · 4\.2 s · Waiting for you…\n/, JSON.stringify(first));
    const before = text.length;
    t.print('a line above');
    text = written();
    // Up over the prompt's row and both live rows (it went up over one, and the old rows stayed).
    assert.match(text.slice(before), /^\r\x1b\[2A\x1b\[Ja line above\n#5 travel_agent/, JSON.stringify(text.slice(before)));
  } finally {
    t.close();
  }
});

line.run();
