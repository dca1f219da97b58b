// A line holding a real U+FFFD (its valid UTF-8 bytes EF BF BD, typed or pasted) was refused
// as "bytes that are not UTF-8", as a Latin-1 "é" is: the terminal looked for U+FFFD in the
// decoded line, which cannot tell the two apart (hostwalk14's leftover). It reads the bytes now.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { pipes } from '../test/support/term-pipes.ts';
import { createTerminal } from './terminal.ts';
import { watchLineBytes } from './line-bytes.ts';

const tick = () => new Promise((r) => setImmediate(r));
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const lines = suite('host input: which lines had bytes that are not UTF-8');

lines('each line is judged by its own bytes, across chunks, "\\r\\n" as one break', () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {}); // flowing, as readline makes it
  input.write(bytes('ok \u{FFFD} real\n', 'caf', [0xe9], ' cr', [0xe8], 'me\r\n', 'é split: ', [0xc3]));
  input.write(bytes([0xa9], '\n', 'cut ', [0xe2, 0x82], '\n', [0xed, 0xa0, 0x80], '\n', [0xf4, 0x90, 0x80, 0x80], '\n', '😀\n'));
  assert.equal([seen.next(), seen.next(), seen.next(), seen.next(), seen.next(), seen.next(), seen.next()],
    [false, true, false, true, true, true, false], 'real U+FFFD, Latin-1, é split across chunks, cut sequence, surrogate, past U+10FFFF, emoji');
});

lines('the last line, with no break, is judged at the end of input (a sequence left open is not UTF-8)', async () => {
  const input = new PassThrough();
  const seen = watchLineBytes(input);
  input.on('data', () => {});
  const ended = new Promise((r) => input.on('end', r));
  input.end(bytes('end ', [0xe2, 0x82]));
  await ended;
  assert.is(seen.next(), true);
});

const term = suite('host terminal: a real U+FFFD is text');

term('on a pipe a line with a real U+FFFD is a command and an answer; a Latin-1 line still is not', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const commands: string[] = [];
  try {
    t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
    const notes = t.ask('Notes? ');
    p.input.write(bytes('the \u{FFFD} sign\n'));
    assert.is(await notes, 'the \u{FFFD} sign');
    p.input.write(bytes('echo text=\u{FFFD}\n', 'caf', [0xe9], '\n'));
    await tick();
    assert.equal(commands, ['echo text=\u{FFFD}']);
    assert.is(t.unreadable, 1);
    assert.match(p.text(), /✗ line 3 has bytes that are not UTF-8/);
    assert.not.match(p.text(), /line [12] has bytes/);
  } finally {
    t.close();
  }
});

term('on a terminal a pasted U+FFFD answers the question; a Latin-1 "é" typed after it is refused', async () => {
  const p = pipes();
  Object.assign(p.output, { columns: 200, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false });
  const commands: string[] = [];
  try {
    t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
    const notes = t.ask('Notes? ');
    p.input.write(bytes('a \u{FFFD}\r'));
    assert.is(await notes, 'a \u{FFFD}');
    p.input.write(bytes('caf', [0xe9], '\r'));
    await tick();
    assert.equal(commands, []);
    assert.is(t.unreadable, 1);
    assert.match(p.text(), /✗ that line has bytes that are not UTF-8/);
  } finally {
    t.close();
  }
});

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
