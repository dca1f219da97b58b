import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Timers } from '../../protocol/index.ts';
import { createManualTimers } from '../../protocol/manual-timers.ts';
import { KeepAliveTicker, SseConnection, type ConnectionSettings, type SseSink } from './sse-connection.ts';

function settings(timers: Timers, extra: Partial<ConnectionSettings> = {}): ConnectionSettings & { errors: Error[] } {
  const errors: Error[] = [];
  return { timers, keepAlive: undefined, maxBufferedBytes: 1024, onError: (e) => errors.push(e), errors, ...extra };
}

function recordingSink(limitBehind = Number.POSITIVE_INFINITY) {
  const written: string[] = [];
  let ended = 0;
  const sink: SseSink = {
    write(text) { written.push(text); return written.join('').length > limitBehind; },
    end() { ended++; },
  };
  return { sink, written, ended: () => ended };
}

const conn = suite('SseConnection: held text, piping, ending');

conn('text sent before the sink attaches is written first, in order, then live text follows', () => {
  const c = new SseConnection(settings(createManualTimers()));
  assert.ok(c.send('a'));
  assert.ok(c.send('b'));
  const r = recordingSink();
  c.pipe(r.sink);
  assert.ok(c.send('c'));
  assert.equal(r.written, ['a', 'b', 'c']);
  assert.is(r.ended(), 0);
});

conn('an end before the sink attaches ends the sink right after the held text', () => {
  const c = new SseConnection(settings(createManualTimers()));
  c.send('only');
  c.end();
  assert.ok(c.closed);
  assert.not.ok(c.send('late'), 'nothing is accepted after end');
  const r = recordingSink();
  c.pipe(r.sink);
  assert.equal(r.written, ['only']);
  assert.is(r.ended(), 1);
});

conn('a client that went away accepts nothing more and is not ended by the server', () => {
  const c = new SseConnection(settings(createManualTimers()));
  const r = recordingSink();
  c.pipe(r.sink);
  c.gone();
  assert.not.ok(c.send('x'));
  c.end();
  assert.equal(r.written, []);
  assert.is(r.ended(), 0);
});

conn('a client too far behind is dropped with an error, held or live', () => {
  const s1 = settings(createManualTimers(), { maxBufferedBytes: 4 });
  const held = new SseConnection(s1);
  assert.ok(held.send('1234'));
  assert.not.ok(held.send('5'), 'the fifth unread unit is over the bound');
  assert.ok(held.closed);
  assert.match(s1.errors[0]!.message, /fell more than 4 bytes behind/);

  const s2 = settings(createManualTimers());
  const live = new SseConnection(s2);
  const r = recordingSink(3);
  live.pipe(r.sink);
  assert.not.ok(live.send('abcd'), 'the sink reports more than its bound unread');
  assert.is(r.ended(), 1);
  assert.is(s2.errors.length, 1);
});

conn('maxConnectionMs ends the connection, and ending it first clears that timer', () => {
  const clock = createManualTimers();
  const c = new SseConnection(settings(clock), 500);
  const r = recordingSink();
  c.pipe(r.sink);
  clock.advance(499);
  assert.not.ok(c.closed);
  clock.advance(1);
  assert.ok(c.closed);
  assert.is(r.ended(), 1);
  const d = new SseConnection(settings(clock), 500);
  d.end();
  assert.is(clock.armed(), 0);
});

conn.run();

const keepAlive = suite('KeepAliveTicker: comments on idle connections');

keepAlive('a silent connection gets a comment within 1.5 intervals; a busy one gets none', () => {
  const clock = createManualTimers();
  const ticker = new KeepAliveTicker(clock, 1000);
  const s = settings(clock, { keepAlive: ticker });
  const idle = new SseConnection(s);
  const busy = new SseConnection(s);
  const ri = recordingSink();
  const rb = recordingSink();
  idle.pipe(ri.sink);
  busy.pipe(rb.sink);
  for (let t = 0; t < 1500; t += 250) {
    clock.advance(250);
    busy.send('data\n\n');
  }
  assert.equal(ri.written, [': keep-alive\n\n']);
  assert.ok(rb.written.every((x) => x === 'data\n\n'), 'the busy connection only carries its own data');
  clock.advance(1000);
  assert.is(ri.written.length, 2, 'and again after another interval of silence');
});

keepAlive('the ticker stops when no connection is left, and restarts for a new one', () => {
  const clock = createManualTimers();
  const ticker = new KeepAliveTicker(clock, 1000);
  const s = settings(clock, { keepAlive: ticker });
  const c = new SseConnection(s);
  c.pipe(recordingSink().sink);
  assert.is(clock.armed(), 1);
  c.end();
  clock.advance(500);
  assert.is(clock.armed(), 0, 'no timer while nothing is open');
  const d = new SseConnection(s);
  const r = recordingSink();
  d.pipe(r.sink);
  clock.advance(1500);
  assert.equal(r.written, [': keep-alive\n\n']);
});

keepAlive.run();
