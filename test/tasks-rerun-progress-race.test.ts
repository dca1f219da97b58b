// A client resuming its standalone stream (GET with Last-Event-ID) while a re-run task is
// sending gets each message once, in order (2025-11-25 basic/transports: resumability;
// basic/utilities/progress: progress MUST increase). The interleavings are forced with an
// event store whose calls of one method are held until the test releases them. In process:
// two servers on one event store and one task folder stand for the process before and after.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryEventStore } from 'mcpwire/transport';
import { createSseDecoder } from '../transport/sse/decode.ts';
import { gate, within } from './tasks-fixture.ts';
import { firstRun, progressOf, stepsHandler, type Store } from './tasks-rerun-steps.ts';

type Message = Record<string, any>;

/** A memory event store whose calls of `method` wait, once armed, until released. */
function holdingStore() {
  const inner = createMemoryEventStore();
  let hold: { method: string; reached: ReturnType<typeof gate<void>>; release: ReturnType<typeof gate<void>> } | undefined;
  const store = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const h = hold;
        if (h?.method !== prop) return (value as (...a: unknown[]) => unknown).apply(target, args);
        h.reached.open();
        return h.release.promise.then(() => (value as (...a: unknown[]) => unknown).apply(target, args));
      };
    },
  }) as Store;
  return {
    store,
    /** Hold every call of `method` from now: `reached` once one waits, `release()` lets them all go on. */
    arm(method: 'append' | 'replayAfter') {
      const h = { method, reached: gate<void>(), release: gate<void>() };
      hold = h;
      return { reached: h.reached.promise, release: () => { hold = undefined; h.release.open(); } };
    },
  };
}

/** The events of a resumed stream until step 3 (5 s at most), each with its id. */
async function untilStepThree(response: Response): Promise<Array<{ id: string; message: Message }>> {
  assert.is(response.status, 200, 'the resumed stream');
  const events: Array<{ id: string; message: Message }> = [];
  const reader = response.body!.getReader();
  const decoder = createSseDecoder({ onEvent: (ev) => { if (ev.data !== '') events.push({ id: ev.id!, message: JSON.parse(ev.data) as Message }); }, onError: (e) => { throw e; } });
  const read = async () => {
    while (!events.some((e) => e.message.params?.progress === 3)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the stream ended before step 3: ${JSON.stringify(events)}`);
      decoder.push(value);
    }
  };
  try {
    await within(read(), 5000, 'step 3 on the resumed stream');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

/** Each message once, in the order the store numbered them, and steps 2 and 3 only. */
function assertOnceInOrder(events: Array<{ id: string; message: Message }>): void {
  const seqs = events.map((e) => Number(e.id.slice(e.id.lastIndexOf('.') + 1)));
  assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `event ids increase: ${events.map((e) => e.id)}`);
  assert.equal(progressOf(events.map((e) => e.message)), [[2, 'two'], [3, 'three']], 'step 1 is not sent again; 2 and 3 once');
}

/** What the GET has to do before it waits on the store runs in microtasks (no I/O): let them all run. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

const test = suite('tasks: a client resuming while the re-run task sends gets each message once, in order');

test('the resume arrives while the re-run\'s first message re-opens the stream (its history is being read)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-race-'));
  const held = holdingStore();
  let second: Awaited<ReturnType<typeof stepsHandler>> | undefined;
  try {
    const { session, lastId } = await firstRun(join(dir, 'tasks'), held.store);
    second = await stepsHandler(join(dir, 'tasks'), held.store, Promise.resolve());
    assert.is(await second.handler.restore(), 1);
    const reading = held.arm('replayAfter');
    assert.is(await second.server.tasks!.resume(), 1);
    await within(reading.reached, 5000, 'the re-opened stream\'s history read');
    const resuming = second.send('GET', { accept: 'text/event-stream', ...session, 'last-event-id': lastId });
    await settled();
    reading.release();
    assertOnceInOrder(await untilStepThree(await within(resuming, 5000, 'the answer to the resume')));
  } finally {
    await second?.handler.close();
    await second?.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the resume arrives while the re-run\'s step 2 is being stored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-tasks-rerun-race-'));
  const held = holdingStore();
  const go = gate();
  let second: Awaited<ReturnType<typeof stepsHandler>> | undefined;
  try {
    const { session, lastId } = await firstRun(join(dir, 'tasks'), held.store);
    second = await stepsHandler(join(dir, 'tasks'), held.store, go.promise);
    assert.is(await second.handler.restore(), 1);
    assert.is(await second.server.tasks!.resume(), 1);
    await within(second.paused, 5000, 'the re-run past step 1');
    const storing = held.arm('append');
    go.open();
    await within(storing.reached, 5000, 'step 2 being stored');
    const resuming = second.send('GET', { accept: 'text/event-stream', ...session, 'last-event-id': lastId });
    await settled();
    storing.release();
    assertOnceInOrder(await untilStepThree(await within(resuming, 5000, 'the answer to the resume')));
  } finally {
    await second?.handler.close();
    await second?.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
