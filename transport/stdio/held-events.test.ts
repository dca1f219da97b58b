// The decoder's events held while the stdio client loads a module they need: run in the order
// they came once the load settles, the source paused for the load (the queue's bound: nothing
// more arrives meanwhile) and resumed only when nothing else keeps it paused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHeldEvents } from './held-events.ts';

function source() {
  const calls: string[] = [];
  return { calls, pause: () => void calls.push('pause'), resume: () => void calls.push('resume') };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const test = suite('held events while a module loads');

test('held from until() on, the source paused; run in order once the load is done, then the source resumed', async () => {
  const src = source();
  const load = deferred();
  const held = createHeldEvents(src, () => true, () => assert.unreachable('no load error'));
  assert.is(held.holding, false);
  held.until(load.promise);
  assert.is(held.holding, true);
  assert.equal(src.calls, ['pause']);
  const ran: number[] = [];
  for (let i = 0; i < 5; i++) held.add(() => void ran.push(i));
  await Promise.resolve();
  assert.equal(ran, [], 'nothing runs before the load is done');
  load.resolve();
  await load.promise;
  await Promise.resolve();
  assert.equal(ran, [0, 1, 2, 3, 4]);
  assert.is(held.holding, false);
  assert.equal(src.calls, ['pause', 'resume']);
});

test('the source stays paused when something else keeps it so (stdin not drained, the transport closed)', async () => {
  const src = source();
  const load = deferred();
  const held = createHeldEvents(src, () => false, () => undefined);
  held.until(load.promise);
  let ran = false;
  held.add(() => { ran = true; });
  load.resolve();
  await load.promise;
  await Promise.resolve();
  assert.ok(ran);
  assert.equal(src.calls, ['pause']);
});

test('a failed load is reported first; the held events still run, in order', async () => {
  const src = source();
  const load = deferred();
  const order: string[] = [];
  const held = createHeldEvents(src, () => true, (error) => void order.push(`load error: ${(error as Error).message}`));
  held.until(load.promise);
  held.add(() => void order.push('a'));
  held.add(() => void order.push('b'));
  load.reject(new Error('no such module'));
  await load.promise.catch(() => undefined);
  await Promise.resolve();
  assert.equal(order, ['load error: no such module', 'a', 'b']);
  assert.equal(src.calls, ['pause', 'resume']);
});

test('an event that begins another load: the rest wait for that one, still in order, the source paused throughout', async () => {
  const src = source();
  const first = deferred();
  const second = deferred();
  const ran: string[] = [];
  const held = createHeldEvents(src, () => true, () => undefined);
  held.until(first.promise);
  held.add(() => { ran.push('a'); held.until(second.promise); });
  held.add(() => void ran.push('b'));
  first.resolve();
  await first.promise;
  await Promise.resolve();
  assert.equal(ran, ['a']);
  assert.is(held.holding, true);
  held.add(() => void ran.push('c'));
  second.resolve();
  await second.promise;
  await Promise.resolve();
  assert.equal(ran, ['a', 'b', 'c']);
  assert.equal(src.calls, ['pause', 'pause', 'resume']);
});

test.run();
