// Bench row s checks a cut stream and its resume for lost and duplicated messages (issue #18
// item 5): every progress value exactly once across the two reads, the response once, and
// anything else on the stream counted as a duplicate.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Tally } from './scale-load.ts';
import type { SseEvent } from './resume.ts';

const progress = (v: number): SseEvent => ({ id: `e${v}`, data: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'e', progress: v, total: 6 } }) });
const response: SseEvent = { id: 'r', data: JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [] } }) };
const priming: SseEvent = { id: 'p', data: '' };

/** The first read (up to the cut) and the resume, tallied. */
function read(first: SseEvent[], resumed: SseEvent[]): { lost: number; duplicated: number; done: boolean[] } {
  const a = new Tally(6, 1);
  const b = new Tally(6, 1);
  const done = [...first.map((e) => a.add(e)), ...resumed.map((e) => b.add(e))];
  return { ...a.check(b), done };
}

const tally = suite('bench s: a cut stream and its resume, tallied');

tally('each value once across the cut and the response once: nothing lost or duplicated; the response ends the read', () => {
  const r = read([priming, progress(1), progress(2), progress(3)], [progress(4), progress(5), progress(6), response]);
  assert.equal({ lost: r.lost, duplicated: r.duplicated }, { lost: 0, duplicated: 0 });
  assert.equal(r.done, [false, false, false, false, false, false, false, true]);
});

tally('a value replayed that the first read had: one duplicated', () => {
  const r = read([progress(1), progress(2), progress(3)], [progress(3), progress(4), progress(5), progress(6), response]);
  assert.equal({ lost: r.lost, duplicated: r.duplicated }, { lost: 0, duplicated: 1 });
});

tally('a value in neither read, and no response: two lost', () => {
  const r = read([progress(1), progress(2), progress(3)], [progress(5), progress(6)]);
  assert.equal({ lost: r.lost, duplicated: r.duplicated }, { lost: 2, duplicated: 0 });
});

tally('the response twice, and a message of another call: two duplicated', () => {
  const other = { id: 'x', data: JSON.stringify({ jsonrpc: '2.0', id: 7, result: {} }) };
  const r = read([progress(1), progress(2), progress(3), response], [progress(4), other, progress(5), progress(6), response]);
  assert.equal({ lost: r.lost, duplicated: r.duplicated }, { lost: 0, duplicated: 2 });
});

tally.run();
