// The tracer's SSE framing with a bound per event: an event that never ends (a server writing
// one `data:` line forever) was held whole by the parser, so the tracer grew for as long as the
// stream ran. Now it is passed over at the bound, its size told once, and the events after it
// are read again.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sseFraming } from './sse-framing.ts';

const test = suite('trace: SSE framing');

function framing(maxEventChars: number) {
  const events: string[] = [];
  const oversize: number[] = [];
  const f = sseFraming((e) => events.push(e.data), { maxEventChars, onOversize: (n) => oversize.push(n) });
  const feed = (text: string) => f.analyse(Buffer.from(text), undefined);
  return { events, oversize, feed, end: () => f.end() };
}

test('events within the bound are read, across chunks', () => {
  const { events, oversize, feed, end } = framing(1024);
  feed('id: 1\ndata: {"a":1}\n');
  feed('\ndata: {"b":2}\n\n: keep-alive\n\n');
  end();
  assert.equal(events, ['{"a":1}', '{"b":2}']);
  assert.equal(oversize, []);
});

test('an event past the bound is passed over, told once with its size, and the next one is read', () => {
  const { events, oversize, feed, end } = framing(1_000);
  feed('data: {"before":1}\n\ndata: "');
  for (let i = 0; i < 100; i++) feed('x'.repeat(500)); // 50 000 characters of one event
  feed('"\n\ndata: {"after":1}\n\n');
  end();
  assert.equal(events, ['{"before":1}', '{"after":1}']);
  assert.is(oversize.length, 1);
  assert.ok(oversize[0]! > 50_000 && oversize[0]! < 50_100, `told ${oversize[0]}`);
});

test('an endless event is told when the stream ends', () => {
  const { events, oversize, feed, end } = framing(100);
  feed('data: ');
  for (let i = 0; i < 50; i++) feed('y'.repeat(64));
  end();
  assert.equal(events, []);
  assert.is(oversize.length, 1);
  assert.ok(oversize[0]! >= 3_200, `told ${oversize[0]}`);
});

test.run();
