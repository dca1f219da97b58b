import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createCallJournal } from './journal.ts';

const journal = suite('journal: the stored position of each call');
const session = { sessionId: 's1', protocolVersion: '2025-11-25' };

journal('a call is on record from its start to its end, with the last event seen', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(7, { name: 't', arguments: { a: 1 } }, session);
  j.advance(7, 'e1');
  j.advance(7, 'e2');
  await j.flush();
  const record = await store.get('k');
  assert.is(record?.sessionId, 's1');
  assert.equal(record?.inflight?.map((r) => [r.requestId, r.lastEventId, r.params]), [[7, 'e2', { name: 't', arguments: { a: 1 } }]]);
  j.end(7);
  await j.flush();
  assert.is(await store.get('k'), undefined, 'nothing left: no record');
});

journal('a hold keeps the position (an open form, a detached call) until released', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(1, {}, session);
  j.advance(1, 'e1');
  j.hold(1);
  j.advance(1, 'e2-form');
  j.advance(1, 'e3');
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e1');
  j.release(1);
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e3');
  assert.ok(j.resumable(1));
});

journal('a detach between an event taken ahead and its delivery: the position goes back to the last event shown', async () => {
  // The event gate takes an id (writes it) before it hands the event on; a call detached in
  // between gets the event in its buffer, unseen. Its id was the stored position: the next run
  // resumed after it and the event was never shown (test/host-resume.test.ts, under load).
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(1, {}, session);
  j.ahead(1, ['e5']);
  j.advance(1, 'e5');
  j.ahead(1, ['e6-progress']);
  j.hold(1); // detached: e6 is delivered to the buffer
  j.advance(1, 'e6-progress');
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e5');
  j.release(1); // attached again: the buffer is shown
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e6-progress');
});

journal('a question: the position goes back before it, and moves on only with the event after the answer', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(1, {}, session);
  j.advance(1, 'e1');
  j.advance(1, 'e2-form'); // delivered before its handler runs and holds
  j.holdQuestion(1);
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e1', 'a run that quits now is asked again');
  j.releaseOnNext(1); // answered: the server may not have it yet
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e1', 'still before the question');
  j.advance(1, 'e3');
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e3');
});

journal('a question handled while its event is delivered (before its id comes): the position stays on the event before it', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(1, {}, session);
  j.advance(1, 'e1');
  j.advance(1, 'e2-step'); // seen: a step printed before the form
  j.holdQuestion(1); // the form's handler runs inside the delivery of e3 ...
  j.advance(1, 'e3-form'); // ... and its id comes after, in the same turn
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e2-step', 'the step seen is not replayed, the form is');
  j.releaseOnNext(1);
  j.advance(1, 'e4');
  await j.flush();
  assert.is((await store.get('k'))?.inflight?.[0]?.lastEventId, 'e4');
});

journal('a new run loads what the last one left, and clear forgets it', async () => {
  const store = createMemoryResumeStore();
  await store.set('k', { sessionId: 's0', protocolVersion: '2025-11-25', inflight: [{ requestId: 3, method: 'tools/call', lastEventId: 'x', startedAt: 1 }] });
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  await j.load();
  assert.equal(j.entries().map((e) => e.requestId), [3]);
  j.begin(4, {}, { sessionId: 's0', protocolVersion: '2025-11-25' });
  await j.flush();
  assert.equal((await store.get('k'))?.inflight?.map((e) => e.requestId), [3, 4]);
  await j.clear();
  assert.is(await store.get('k'), undefined);
  assert.equal(j.entries(), []);
});

journal('ids taken ahead of their events: the position moves then, the transport\'s report of them is a repeat, and a cut stream is found by the id last delivered', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(3, {}, session);
  j.ahead(3, ['e1', 'e2']);
  assert.equal(j.entries().map((r) => r.lastEventId), ['e2'], 'the last id of the batch, before any is shown');
  j.advance(3, 'e1');
  j.advance(3, 'e2');
  assert.equal(j.entries().map((r) => r.lastEventId), ['e2'], 'the reports after delivery change nothing');
  // A question after them: its own id comes first (id-first order), the position goes back to e2.
  j.advance(3, 'q3');
  j.holdQuestion(3);
  await Promise.resolve();
  assert.equal(j.entries().map((r) => r.lastEventId), ['e2']);
  j.release(3);
  // Saved ahead, then the stream is cut before delivery: the transport resumes from q3.
  j.ahead(3, ['e4']);
  assert.is(j.callAt('e4'), 3);
  assert.is(j.callAt('q3'), 3, 'the Last-Event-ID of the reconnect names the call');
  assert.is(j.callAt('e1'), undefined);
  j.advance(3, 'e4');
  j.advance(3, 'e5');
  await j.flush();
  assert.equal((await store.get('k'))?.inflight?.map((r) => r.lastEventId), ['e5']);
});

journal('the last progress seen is kept with the record, and a next run loads it (not a damaged one)', async () => {
  const store = createMemoryResumeStore();
  const j = createCallJournal(store, 'k', (e) => { throw e; });
  j.begin(1, {}, session);
  j.advance(1, 'e6');
  j.noteProgress(1, { progress: 6, total: 10, message: 'Waiting for the booking form' });
  await j.flush();
  const next = createCallJournal(store, 'k', (e) => { throw e; });
  await next.load();
  assert.equal(next.entries().map((e) => [e.lastEventId, e.progress]), [['e6', { progress: 6, total: 10, message: 'Waiting for the booking form' }]]);
  // A damaged or older record: no progress, the call still on record.
  await store.set('k', { inflight: [{ requestId: 2, method: 'tools/call', lastEventId: 'x', startedAt: 1, progress: { progress: 'six' } } as never] });
  const damaged = createCallJournal(store, 'k', (e) => { throw e; });
  await damaged.load();
  assert.equal(damaged.entries().map((e) => [e.requestId, e.progress]), [[2, undefined]]);
});

journal.run();
