// Suspended multi round-trip handlers (2026-07-28 basic/patterns/mrtr) live at most the state's TTL:
// each is dropped (its handler's signal aborts) once its own TTL has passed, and not before;
// closing the dispatcher clears the timer. Driven by a fake clock, no waiting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Timers } from '../../protocol/index.ts';
import { createServer } from '../server.ts';
import { Exchange, request } from '../../test/modern-kit.ts';

const ELICIT = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] } };

/** A clock whose timers run only when `advance` passes their time. */
function fakeClock() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let ids = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => { pending.set(++ids, { at: now + ms, fn }); return ids; },
    clearTimeout: (id) => { pending.delete(id as number); },
  };
  return {
    timers,
    pending: () => pending.size,
    advance(to: number) {
      now = to;
      for (;;) {
        const due = [...pending].find(([, t]) => t.at <= now);
        if (!due) return;
        pending.delete(due[0]);
        due[1].fn();
      }
    },
  };
}

/** A server whose `wait` tool asks once and records when its signal aborts. */
function waitingServer() {
  const aborted: string[] = [];
  const server = createServer({ name: 'ttl-server', version: '1.0.0' });
  server.tool({ name: 'wait', inputSchema: { type: 'object', properties: { n: { type: 'string' } } } }, async (args: { n?: string }, ctx) => {
    ctx.signal.addEventListener('abort', () => aborted.push(args.n ?? ''));
    await ctx.elicit(ELICIT);
    return 'answered';
  });
  return { server, aborted };
}

async function suspend(x: Exchange, n: string): Promise<void> {
  const result = await x.result(request('tools/call', { name: 'wait', arguments: { n } }, { elicitation: {} }));
  assert.is(result.resultType, 'input_required');
}

test('each suspended handler is dropped once its own TTL has passed, not before', async () => {
  const clock = fakeClock();
  const { server, aborted } = waitingServer();
  const x = new Exchange(server, { timers: clock.timers, inputRounds: { ttlMs: 1000 } });
  await suspend(x, 'a');
  clock.advance(400);
  await suspend(x, 'b');
  clock.advance(999);
  assert.equal(aborted, [], 'neither has reached its TTL');
  clock.advance(1000);
  assert.equal(aborted, ['a'], 'the first is dropped at its TTL');
  clock.advance(1399);
  assert.equal(aborted, ['a']);
  clock.advance(1400);
  assert.equal(aborted, ['a', 'b'], 'the second at its own TTL');
  assert.is(clock.pending(), 0, 'no timer is left once none is suspended');
  x.dispatcher.close();
});

test('closing the dispatcher drops the suspended handlers and clears the timer', async () => {
  const clock = fakeClock();
  const { server, aborted } = waitingServer();
  const x = new Exchange(server, { timers: clock.timers, inputRounds: { ttlMs: 1000 } });
  await suspend(x, 'a');
  assert.ok(clock.pending() > 0, 'a timer watches the suspended handler');
  x.dispatcher.close();
  assert.equal(aborted, ['a']);
  assert.is(clock.pending(), 0);
});

test.run();
