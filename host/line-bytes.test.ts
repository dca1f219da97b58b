// A line holding a real U+FFFD (its valid UTF-8 bytes EF BF BD, typed or pasted) was refused
// as "bytes that are not UTF-8", as a Latin-1 "é" is: the terminal looked for U+FFFD in the
// decoded line, which cannot tell the two apart (hostwalk14's leftover). It reads the bytes now.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { pipes } from '../test/support/term-pipes.ts';
import { createTerminal } from './terminal.ts';
import { watchLineBytes } from './line-bytes.ts';
import type { Terminal } from './terminal-types.ts';

const tick = () => new Promise((r) => setImmediate(r));
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const lines = suite('host input: which lines had bytes that are not UTF-8');

lines('each line is judged by its own bytes, across chunks, "\\r\\n" as one break', () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {}); // flowing, as readline makes it
  input.write(bytes('ok \u{FFFD} real\n', 'caf', [0xe9], ' cr', [0xe8], 'me\r\n', 'é split: ', [0xc3]));
  input.write(bytes([0xa9], '\n', 'cut ', [0xe2, 0x82], '\n', [0xed, 0xa0, 0x80], '\n', [0xf4, 0x90, 0x80, 0x80], '\n', '😀\n'));
  const utf8 = Array.from({ length: 7 }, () => seen.next().utf8);
  assert.equal(utf8, [true, false, true, false, false, false, true], 'real U+FFFD, Latin-1, é split across chunks, cut sequence, surrogate, past U+10FFFF, emoji');
});

lines('"\\r" then a line then "\\n" is two breaks; "\\r" at a chunk\'s end and "\\n" at the next one\'s start is one', () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {});
  input.write(bytes('a\r', [0xe9], '\n', 'b\r'));
  input.write(bytes('\n', 'c', [0xe9], '\n'));
  assert.equal(Array.from({ length: 4 }, () => seen.next().utf8), [true, false, true, false]);
});

lines('a U+FFFD that came as its own bytes is counted, one cut short before it is not', () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {});
  input.write(bytes([0xe2], '\u{FFFD}\u{FFFD} ', [0xe9], '\n'));
  assert.equal(seen.next(), { utf8: false, realReplacements: 2 });
});

lines('the last line, with no break, is judged at the end of input (a sequence left open is not UTF-8)', async () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {});
  const ended = new Promise((r) => input.on('end', r));
  input.end(bytes('end ', [0xe2, 0x82]));
  await ended;
  assert.is(seen.next().utf8, false);
});

const term = suite('host terminal: a real U+FFFD is text');

/** A terminal on in-memory pipes, started, the commands it runs kept; closed after `body`. */
async function withTerminal(tty: boolean, body: (t: Terminal, p: ReturnType<typeof pipes>, commands: string[]) => Promise<void>): Promise<void> {
  const p = pipes();
  if (tty) Object.assign(p.output, { columns: 200, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output, tty, color: false });
  const commands: string[] = [];
  try {
    t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
    await body(t, p, commands);
  } finally {
    t.close();
  }
}

term('on a pipe a line with a real U+FFFD is a command and an answer; a Latin-1 line still is not', () => withTerminal(false, async (t, p, commands) => {
  const notes = t.ask('Notes? ');
  p.input.write(bytes('the \u{FFFD} sign\n'));
  assert.is(await notes, 'the \u{FFFD} sign');
  p.input.write(bytes('echo text=\u{FFFD}\n', 'caf', [0xe9], '\n'));
  await tick();
  assert.equal(commands, ['echo text=\u{FFFD}']);
  assert.is(t.unreadable, 1);
  assert.match(p.text(), /✗ line 3 has bytes that are not UTF-8/);
  assert.not.match(p.text(), /line [12] has bytes/);
}));

term('on a terminal a pasted U+FFFD answers the question; a Latin-1 "é" typed after it is refused', () => withTerminal(true, async (t, p, commands) => {
  const notes = t.ask('Notes? ');
  p.input.write(bytes('a \u{FFFD}\r'));
  assert.is(await notes, 'a \u{FFFD}');
  p.input.write(bytes('caf', [0xe9], '\r'));
  await tick();
  assert.equal(commands, []);
  assert.is(t.unreadable, 1);
  assert.match(p.text(), /✗ that line has bytes that are not UTF-8/);
}));

// hostwalk18's leftover: the line's bytes hold what was deleted, so a Latin-1 byte cleared with
// Ctrl+U (0x15) refused the real "�" pasted after it; and a refused line, recalled with the up
// arrow (ESC [ A), was taken, its bytes being only the arrow's.
term('on a terminal a Latin-1 byte cleared with Ctrl+U does not refuse the real U+FFFD pasted after it', () => withTerminal(true, async (t, p, commands) => {
  p.input.write(bytes('caf', [0xe9], [0x15], 'echo \u{FFFD}\r'));
  await tick();
  assert.equal(commands, ['echo \u{FFFD}']);
  assert.is(t.unreadable, 0);
  p.input.write(bytes('x \u{FFFD} ', [0xe9], '\r'));
  await tick();
  assert.is(t.unreadable, 1, 'one real U+FFFD and one from a Latin-1 byte: refused');
}));

term('on a terminal a refused line is not in the history the up arrow recalls', () => withTerminal(true, async (t, p, commands) => {
  p.input.write(bytes('echo ok\r'));
  p.input.write(bytes('echo caf', [0xe9], '\r'));
  await tick();
  assert.is(t.unreadable, 1);
  p.input.write(bytes('\x1b[A\r'));
  await tick();
  assert.equal(commands, ['echo ok', 'echo ok'], 'the up arrow recalls the line before the refused one');
}));

term('lines read before start() keep what their bytes were', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  p.input.write(bytes('first \u{FFFD}\n', [0xff], 'x\n', 'third\n'));
  await tick();
  const commands: string[] = [];
  try {
    t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
    await tick();
    assert.equal(commands, ['first \u{FFFD}', 'third']);
    assert.is(t.unreadable, 1);
  } finally {
    t.close();
  }
});

lines.run();
term.run();
