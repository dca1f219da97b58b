// A terminal that went away (its window closed, `script` killed): Node's tty.ReadStream then
// fails setRawMode with EIO, emitted as 'error', and readline passes that on to its own
// 'error' event. Unheard, it threw: out of readline's close on end of input (the host
// crashed) and out of the terminal's close() while leaving (a demo stayed after "Goodbye").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTerminal } from './terminal.ts';
import { TtyInput, ttyOutput, within } from '../test/tty-fakes.ts';

const hangup = suite('terminal: a terminal that hung up');

hangup('raw mode is set on a terminal, and given back on close', () => {
  const input = new TtyInput();
  const t = createTerminal({ input, output: ttyOutput(), tty: true, color: false });
  assert.is(input.isRaw, true);
  t.close();
  assert.is(input.isRaw, false);
});

hangup('close() on a terminal that hung up does not throw (the host stayed after "Goodbye")', () => {
  const input = new TtyInput();
  const t = createTerminal({ input, output: ttyOutput(), tty: true, color: false });
  input.hungUp = true;
  t.close();
  assert.is(input.isRaw, true, 'nothing could be restored');
});

hangup('end of input on a terminal that hung up is the end of input, not a crash', async () => {
  const input = new TtyInput();
  const t = createTerminal({ input, output: ttyOutput(), tty: true, color: false });
  let ends = 0;
  const ended = new Promise<void>((resolve) => {
    t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => { ends++; resolve(); } });
  });
  input.hungUp = true;
  input.end();
  await within(ended, 5_000, 'onEnd');
  await new Promise((r) => setImmediate(r));
  assert.is(ends, 1, 'the end is reported once, though readline closed and errored');
  t.close();
});

hangup('a read error ends input as its end does', async () => {
  const input = new TtyInput();
  const t = createTerminal({ input, output: ttyOutput(), tty: true, color: false });
  const ended = new Promise<void>((resolve) => {
    t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: resolve });
  });
  input.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
  await within(ended, 5_000, 'onEnd');
  t.close();
});

hangup.run();
