// A stdio server's stdout as the check reads it: lines cut with a bound (an endless line grew
// the check's buffer, re-split whole at every chunk), and findings kept as examples and counts
// (a server logging to stdout for minutes kept every line).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyStdout, splitLines } from './stdout-lines.ts';

const test = suite('check: stdout lines');

function collect(maxChars: number) {
  const messages: Record<string, unknown>[] = [];
  const lines = classifyStdout((m) => messages.push(m));
  return { messages, lines, split: splitLines(lines, maxChars) };
}

test('lines cut across chunks, CRLF taken as LF, a last line without newline kept', () => {
  const { messages, lines, split } = collect(1024);
  split.push('{"jsonrpc":"2.0","id":1,');
  split.push('"result":{}}\r\n{"jsonrpc":"2.0","id":2,"result":{}}\n{"jsonrpc":"2.0","id":3,"result":{}}');
  split.end();
  assert.equal(messages.map((m) => m.id), [1, 2, 3]);
  assert.is(lines.strayCount, 0);
});

test('an endless line is passed over at the bound, counted once, and the next line is read', () => {
  const { messages, lines, split } = collect(64 * 1024);
  const chunk = 'x'.repeat(16 * 1024);
  for (let i = 0; i < 1_000; i++) split.push(chunk); // 16 MiB without a newline
  split.push('tail of the long line\n{"jsonrpc":"2.0","id":7,"result":{}}\n');
  split.end();
  assert.equal(messages.map((m) => m.id), [7]);
  assert.is(lines.strayCount, 1);
  assert.match(lines.stray[0]!, /a line of more than 65536 characters, not read/);
});

test('a line over the bound that ends in its chunk is not kept either', () => {
  const { lines, split } = collect(10);
  split.push('0123456789ABC\nok\n');
  split.end();
  assert.is(lines.strayCount, 2);
  assert.match(lines.stray[0]!, /more than 10 characters/);
  assert.is(lines.stray[1], 'ok');
});

test('many stray lines: all counted, a few kept as examples', () => {
  const { lines, split } = collect(1024);
  for (let i = 0; i < 10_000; i++) split.push(`log line ${i}\n`);
  split.end();
  assert.is(lines.strayCount, 10_000);
  assert.ok(lines.stray.length <= 5, `${lines.stray.length} stray lines kept`);
  assert.is(lines.stray[0], 'log line 0');
});

test.run();
