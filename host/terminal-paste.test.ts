// hostwalk20's leftover: several lines pasted at once while a form asks field by field were
// taken as they came, each by whatever was open: the form's next prompt opens a few microtasks
// after the line that answered the last one, and readline had handed over the whole read by
// then, so the second line went to the command prompt and the third to nothing it was meant for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { pipes } from '../test/support/term-pipes.ts';
import { createTerminal } from './terminal.ts';
import { runElicitationForm, type FormIO } from './forms.ts';
import type { ElicitFormParams } from 'mcpwire/protocol';

const tick = () => new Promise((r) => setImmediate(r));

const paste = suite('terminal: lines pasted together are held for the questions that follow');

const params: ElicitFormParams = {
  mode: 'form',
  message: 'Book this trip?',
  requestedSchema: {
    type: 'object',
    properties: {
      confirm: { type: 'boolean', title: 'Book this trip' },
      seats: { type: 'integer', title: 'Seats', minimum: 1 },
      notes: { type: 'string', title: 'Notes' },
    },
    required: ['confirm'],
  },
};

/** A terminal on pipes, started, with the lines it ran as commands. */
function piped(): { p: ReturnType<typeof pipes>; t: ReturnType<typeof createTerminal>; commands: string[] } {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const commands: string[] = [];
  t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
  return { p, t, commands };
}

const formIO = (t: ReturnType<typeof createTerminal>): FormIO => ({ print: (text) => t.print(text), ask: (prompt) => t.ask(prompt) });

paste('on a pipe: a form answered by one pasted block gets every field, and the line after it is a command', async () => {
  const { p, t, commands } = piped();
  const form = runElicitationForm(formIO(t), params, '? agents asks:');
  await tick();
  p.input.write('a\nyes\n2\naisle seat\n\nstatus\n');
  assert.equal(await form, { action: 'accept', content: { confirm: true, seats: 2, notes: 'aisle seat' } });
  await tick();
  assert.equal(commands, ['status']);
  assert.not.match(p.text(), /✗/);
  t.close();
});

paste('a wrong answer in the block is asked again, and the next pasted line answers it again', async () => {
  const { p, t, commands } = piped();
  const form = runElicitationForm(formIO(t), params, '? agents asks:');
  await tick();
  p.input.write('a\nyes\ntwo\n3\n\n\n');
  assert.equal(await form, { action: 'accept', content: { confirm: true, seats: 3 } });
  await tick();
  assert.equal(commands, []);
  assert.is((p.text().match(/^ {2}Seats \(integer/gm) ?? []).length, 2, 'the seats asked twice');
  assert.match(p.text(), /✗ Seats: "two" is not a number/);
  t.close();
});

paste('lines left over when no question follows are commands, in the order pasted', async () => {
  const { p, t, commands } = piped();
  const one = t.ask('Only? ');
  p.input.write('answer\nlist\nstatus\n');
  assert.is(await one, 'answer');
  await tick();
  assert.equal(commands, ['list', 'status']);
  t.close();
});

paste('input that ends with the block: the form still gets its lines before the end is reported', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  let ended = false;
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => { ended = true; } });
  const form = runElicitationForm(formIO(t), params, '? agents asks:');
  await tick();
  p.input.end('a\nno\n1\n\ny\n');
  assert.equal(await form, { action: 'accept', content: { confirm: false, seats: 1 } });
  for (let i = 0; i < 20 && !ended; i++) await tick();
  assert.ok(ended, 'the end of input was reported');
});

paste('on a terminal: each pasted answer is shown after its own prompt, none after the command prompt', async () => {
  const p = pipes();
  Object.assign(p.output, { columns: 80, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false });
  const commands: string[] = [];
  t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
  const form = runElicitationForm(formIO(t), params, '? agents asks:');
  await tick();
  p.input.write('a\ryes\r2\raisle seat\r\r');
  assert.equal(await form, { action: 'accept', content: { confirm: true, seats: 2, notes: 'aisle seat' } });
  await tick();
  assert.equal(commands, []);
  // What is kept on screen: each redraw prints its lines after the erase.
  const kept = p.text().split('\x1b[J').map((part) => part.split('\n').slice(0, -1).join('\n')).filter(Boolean).join('\n');
  assert.match(kept, /Book this trip \(yes\/no\)[^\n]*: yes\n/);
  assert.match(kept, /Seats[^\n]*: 2\n/);
  assert.match(kept, /Notes[^\n]*: aisle seat\n/);
  assert.not.match(kept, /^> (yes|2|aisle seat)$/m);
  t.close();
});

paste.run();
