import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCorrelation, type Timers, type TimeoutKind } from './correlation.ts';
import { createManualTimers } from './manual-timers.ts';

const timing = (timedOut: (kind: TimeoutKind) => void, timeoutMs: number, maxTotalTimeoutMs = Number.POSITIVE_INFINITY, resetTimeoutOnProgress = false) =>
  ({ timeoutMs, maxTotalTimeoutMs, resetTimeoutOnProgress, timedOut });

const table = suite('correlation: deadlines on one watch timer');

table('each request times out at its own deadline, in order, once', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  const onTimeout = (name: string) => (kind: TimeoutKind) => { fired.push(`${name}:${kind}@${clock.now()}`); c.take(name); };
  c.add('a', 'm', 'a', timing(onTimeout('a'), 300));
  c.add('b', 'm', 'b', timing(onTimeout('b'), 100));
  c.add('c', 'm', 'c', timing(onTimeout('c'), 200, 150));
  clock.advance(99);
  assert.equal(fired, []);
  clock.advance(1000);
  assert.equal(fired, ['b:idle@100', 'c:total@150', 'a:idle@300']);
  assert.is(c.size, 0);
  assert.is(clock.armed(), 0, 'no timer is left once nothing is pending');
});

table('answered requests cost no timer of their own', () => {
  const clock = createManualTimers();
  const c = createCorrelation<number>({ timers: clock });
  c.add(1, 'm', 1, timing(() => assert.unreachable('must not time out'), 1000));
  for (let id = 2; id <= 50; id++) {
    c.add(id, 'm', id, timing(() => assert.unreachable('must not time out'), 1000));
    assert.ok(c.take(id - 1));
  }
  assert.is(clock.started, 1, 'one watch timer for 50 overlapping requests with the same timeout');
  assert.ok(c.take(50));
  clock.advance(5000);
});

table('one request pending, then several, then one again: the same lookups, order and deadlines', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  const onTimeout = (name: string) => () => { fired.push(name); c.take(name); };
  c.add('a', 'm', 'A', timing(onTimeout('a'), 100));
  assert.is(c.size, 1);
  assert.ok(c.has('a'));
  assert.not.ok(c.has('b'));
  assert.is(c.peek('a'), 'A');
  assert.is(c.peek('b'), undefined);
  assert.is(c.take('b'), undefined, 'another id takes nothing while one is pending');
  assert.is(c.size, 1);
  c.add('b', 'm', 'B', timing(onTimeout('b'), 300));
  c.add('c', 'n', 'C', timing(onTimeout('c'), 200));
  assert.equal(c.ids(), ['a', 'b', 'c'], 'oldest first across the change to several');
  assert.is(c.take('a')?.value, 'A');
  assert.equal(c.ids(), ['b', 'c']);
  assert.is(c.take('c')?.method, 'n');
  assert.equal(c.ids(), ['b']);
  assert.is(c.peek('b'), 'B');
  clock.advance(299);
  assert.equal(fired, []);
  clock.advance(1);
  assert.equal(fired, ['b'], 'the last of several still times out');
  assert.is(c.size, 0);
  assert.equal(c.ids(), []);
  c.add('d', 'm', 'D', timing(onTimeout('d'), 50));
  c.pause('d');
  clock.advance(100);
  assert.equal(fired, ['b'], 'paused: no deadline');
  c.resume('d');
  clock.advance(50);
  assert.equal(fired, ['b', 'd'], 'one pending again: paused, resumed, timed out');
  c.add('e', 'm', 'E', timing(onTimeout('e'), 1000));
  assert.equal(c.drain().map((p) => p.value), ['E']);
  assert.is(c.size, 0);
  assert.is(clock.armed(), 0);
});

table('a shorter deadline re-arms the watch earlier; progress pushes the idle deadline back', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  c.add('slow', 'm', 'slow', timing((k) => { fired.push(`slow:${k}@${clock.now()}`); c.take('slow'); }, 1000, Number.POSITIVE_INFINITY, true));
  c.add('fast', 'm', 'fast', timing((k) => { fired.push(`fast:${k}@${clock.now()}`); c.take('fast'); }, 10));
  clock.advance(900);
  c.touch('slow'); // progress at 900: idle again until 1900
  clock.advance(999);
  assert.equal(fired, ['fast:idle@10']);
  clock.advance(1);
  assert.equal(fired, ['fast:idle@10', 'slow:idle@1900']);
});

table('a paused request does not time out; resuming gives it the idle window and total it had left', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  c.add('x', 'm', 'x', timing((k) => { fired.push(`${k}@${clock.now()}`); c.take('x'); }, 100, 250));
  clock.advance(50);
  c.pause('x');
  clock.advance(10_000);
  assert.equal(fired, []);
  c.resume('x'); // 50 ms of the idle window left, 200 ms of total
  clock.advance(49);
  c.touch('x'); // not reset on progress: ignored
  clock.advance(1);
  assert.equal(fired, ['idle@10100']);
});

table('a peer asking without end (a request per tick, each answered at once) cannot hold a request open', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  c.add('x', 'm', 'x', timing((k) => { fired.push(`${k}@${clock.now()}`); c.take('x'); }, 100));
  for (let tick = 0; tick < 1000 && fired.length === 0; tick++) {
    clock.advance(1);
    c.pause();
    c.resume();
  }
  assert.equal(fired, ['idle@100'], 'timed out after its idle window, not at the end of the flood');
});

table('progress during a resumed request still restarts a full idle window when asked', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  c.add('x', 'm', 'x', timing((k) => { fired.push(`${k}@${clock.now()}`); c.take('x'); }, 100, Number.POSITIVE_INFINITY, true));
  clock.advance(90);
  c.pause('x');
  clock.advance(5000);
  c.resume('x'); // 10 ms left
  clock.advance(5);
  c.touch('x'); // progress: 100 ms from now
  clock.advance(99);
  assert.equal(fired, []);
  clock.advance(1);
  assert.equal(fired, ['idle@5195']);
});

table('an entry its owner keeps after the idle deadline still gets its total deadline', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  c.add('x', 'm', 'x', timing((k) => fired.push(`${k}@${clock.now()}`), 100, 300));
  clock.advance(1000);
  assert.equal(fired, ['idle@100', 'total@300']);
});

table('with the platform timers, the watch stops holding the process once nothing is pending', async () => {
  const handles: NodeJS.Timeout[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => { const h = setTimeout(fn, ms); handles.push(h); return h; },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    now: () => Date.now(),
  };
  const c = createCorrelation<number>({ timers });
  c.add(1, 'm', 1, timing(() => {}, 60_000));
  assert.is(handles.length, 1);
  assert.ok(handles[0]!.hasRef(), 'held while a request is pending');
  c.take(1);
  assert.not.ok(handles[0]!.hasRef(), 'let go when nothing is pending');
  c.add(2, 'm', 2, timing(() => {}, 60_000));
  assert.is(handles.length, 1, 'the same timer watches the next request');
  assert.ok(handles[0]!.hasRef());
  assert.equal(c.drain().map((e) => e.value), [2]);
});

table('ids are never reused and abandoned ids are remembered up to the limit', () => {
  const c = createCorrelation<number>({ firstId: 10, abandonedMemory: 2 });
  assert.equal([c.nextId(), c.nextId()], [10, 11]);
  c.abandon(1);
  c.abandon(2);
  c.abandon(3);
  assert.equal([c.wasAbandoned(1), c.wasAbandoned(2), c.wasAbandoned(3)], [false, true, true]);
  assert.is(c.take(99), undefined);
  assert.equal(c.drain(), []);
});

table('an id it issued and no longer holds was settled; a pending or never issued one was not', () => {
  const c = createCorrelation<number>({ firstId: 10 });
  const [a, b] = [c.nextId(), c.nextId()];
  c.add(a, 'm', 1, timing(() => {}, 1_000));
  c.add(b, 'm', 2, timing(() => {}, 1_000));
  c.take(a);
  assert.equal([c.wasSettled(a), c.wasSettled(b), c.wasSettled(9), c.wasSettled(12), c.wasSettled('10')], [true, false, false, false, false]);
  c.drain();
});

table('one pending request, then several, then one again: each is found, paused, timed out and drained', () => {
  const clock = createManualTimers();
  const c = createCorrelation<string>({ timers: clock });
  const fired: string[] = [];
  const onTimeout = (name: string) => (kind: TimeoutKind) => { fired.push(`${name}:${kind}`); c.take(name); };
  c.add('a', 'm', 'a', timing(onTimeout('a'), 100));
  assert.is(c.size, 1);
  assert.is(c.peek('a'), 'a');
  assert.is(c.peek('b'), undefined);
  assert.is(c.take('b'), undefined, 'another id takes nothing');
  c.add('b', 'm', 'b', timing(onTimeout('b'), 100));
  c.add('c', 'm', 'c', timing(onTimeout('c'), 500));
  assert.is(c.size, 3);
  assert.ok(c.has('a') && c.has('b') && c.has('c'));
  assert.is(c.take('a')?.value, 'a');
  assert.is(c.take('c')?.value, 'c');
  assert.is(c.size, 1);
  c.pause();
  clock.advance(200);
  assert.equal(fired, [], 'paused');
  c.resume();
  clock.advance(100);
  assert.equal(fired, ['b:idle']);
  assert.is(c.size, 0);
  c.add('d', 'm', 'd', timing(onTimeout('d'), 100));
  c.pause('d');
  clock.advance(300);
  assert.equal(fired, ['b:idle'], 'paused by its id');
  c.resume('d');
  assert.equal(c.drain().map((p) => p.value), ['d']);
  assert.is(c.size, 0);
  assert.is(clock.armed(), 0, 'drained: no timer left');
});

table.run();
