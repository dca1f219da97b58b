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

conn('a client too far behind is dropped with an error: held text past 4 bounds, a sink without flow control past one', () => {
  const s1 = settings(createManualTimers(), { maxBufferedBytes: 4 });
  const held = new SseConnection(s1);
  assert.ok(held.send('12345678'), 'over the bound but held: writers wait for the sink');
  assert.ok(held.send('12345678'));
  assert.not.ok(held.send('1'), 'the seventeenth unread unit is over four bounds');
  assert.ok(held.closed);
  assert.match(s1.errors[0]!.message, /fell more than 16 bytes behind/);

  const s2 = settings(createManualTimers());
  const live = new SseConnection(s2);
  const r = recordingSink(3);
  live.pipe(r.sink);
  assert.not.ok(live.send('abcd'), 'the sink reports more than its bound unread and cannot say when it drains');
  assert.is(r.ended(), 1);
  assert.is(s2.errors.length, 1);
});

conn('flow control: past the bound writers wait until the sink drains; the client is not dropped', async () => {
  const s = settings(createManualTimers(), { maxBufferedBytes: 4 });
  const c = new SseConnection(s);
  let unread = 0;
  let drain: (() => void) | undefined;
  c.pipe({
    write(text) { unread += text.length; return unread > 4; },
    end() {},
    drained: () => new Promise<void>((resolve) => { drain = resolve; }),
  });
  assert.ok(c.send('abc'));
  let waited = false;
  await c.writable().then(() => { waited = true; });
  assert.ok(waited, 'under the bound: writable at once');
  assert.ok(c.send('defg'), 'over the bound: still sent, not dropped');
  let ready = false;
  const w = c.writable().then(() => { ready = true; });
  await Promise.resolve();
  assert.not.ok(ready, 'writers wait while the client is behind');
  unread = 0;
  drain!();
  await w;
  assert.ok(ready);
  assert.is(s.errors.length, 0);
  assert.not.ok(c.closed);
});

conn('flow control: a client that goes away releases waiting writers', async () => {
  const c = new SseConnection(settings(createManualTimers(), { maxBufferedBytes: 1 }));
  c.pipe({ write: () => true, end() {}, drained: () => new Promise<void>(() => {}) });
  c.send('xx');
  const w = c.writable();
  c.gone();
  await w;
  assert.ok(c.closed);
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

keepAlive('a connection that ends before it is piped (a quick call) never joins the ticker', () => {
  const clock = createManualTimers();
  const ticker = new KeepAliveTicker(clock, 1000);
  const c = new SseConnection(settings(clock, { keepAlive: ticker }));
  c.send('id: a.1\ndata: {}\n\n');
  c.end();
  assert.is(c.takeEnded(), 'id: a.1\ndata: {}\n\n');
  assert.is(clock.armed(), 0, 'the ticker was never armed');
});

keepAlive.run();
