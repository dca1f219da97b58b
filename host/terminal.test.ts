import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { pipes } from '../test/support/term-pipes.ts';
import { createTerminal } from './terminal.ts';
import { asciiGlyphs } from './glyphs.ts';
import { displayWidth } from './wrap.ts';
import { elapsedText, progressBar, progressLine } from './progress-view.ts';

const tick = () => new Promise((r) => setImmediate(r));

const term = suite('terminal: a prompt that never blocks (pipe mode)');

term('lines are commands unless a question waits; questions take them in order', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const commands: string[] = [];
  t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
  p.input.write('status\n');
  await tick();
  const first = t.ask('First? ');
  const second = t.ask('Second? ');
  p.input.write('one\ntwo\nlist\n');
  assert.is(await first, 'one');
  assert.is(await second, 'two');
  await tick();
  assert.equal(commands, ['status', 'list']);
  assert.match(p.text(), /First\?\n/);
  t.print('output while idle');
  assert.match(p.text(), /output while idle\n/);
  t.close();
});

term('lines typed while a command is under way wait for it (or for its question)', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const seen: string[] = [];
  let answer: string | undefined;
  let sawNext!: () => void;
  const nextSeen = new Promise<void>((resolve) => { sawNext = resolve; });
  t.start({
    onLine: async (l) => {
      seen.push(l);
      if (l === 'next') sawNext();
      if (l === 'ask') {
        await new Promise((r) => setTimeout(r, 20));
        answer = await t.ask('Name? ');
      }
    },
    onInterrupt: () => {}, onEnd: () => {},
  });
  p.input.write('ask\nAda\nnext\n');
  await nextSeen; // the last line reaches onLine only after the command and its question
  assert.is(answer, 'Ada');
  assert.equal(seen, ['ask', 'next']);
  t.close();
});

term('a question can go first, and is withdrawn when its signal aborts', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  const form = t.ask('Form field? ');
  const controller = new AbortController();
  const urgent = t.ask('Detach or cancel? ', { first: true });
  const withdrawn = t.ask('Withdrawn? ', { signal: controller.signal });
  controller.abort();
  assert.is(await withdrawn, undefined);
  p.input.write('d\nvalue\n');
  assert.is(await urgent, 'd');
  assert.is(await form, 'value');
  t.close();
});

term('end of input answers waiting questions with undefined and reports the end', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  let ended = false;
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => { ended = true; } });
  const q = t.ask('Anything? ');
  p.input.end();
  assert.is(await q, undefined);
  assert.ok(ended);
  t.close();
});

term('end of input answers a question the running command waits on (quit asking detach or cancel, then Ctrl+D)', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  let ended = false;
  let asked: Promise<string | undefined> | undefined;
  // The command does not return until its question is answered, as "quit" with calls running.
  t.start({ onLine: async () => { asked = t.ask('Detach or cancel? '); await asked; }, onInterrupt: () => {}, onEnd: () => { ended = true; } });
  p.input.write('quit\n');
  await tick();
  assert.ok(asked, 'the command asked');
  p.input.end();
  assert.is(await asked, undefined);
  await tick();
  assert.ok(ended, 'and the end is reported once the command is done');
  assert.is(await t.ask('Later? '), undefined, 'a question after the end is not left waiting');
  t.close();
});

/** Run `body` with the locale set to Latin-1. */
async function inLatin1(body: () => Promise<void>): Promise<void> {
  const saved = { LC_ALL: process.env.LC_ALL, LANG: process.env.LANG };
  process.env.LC_ALL = '';
  process.env.LANG = 'en_US.ISO-8859-1';
  try {
    await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

term('on a terminal a line that is not UTF-8 is not used: the question waits for another (café went out as caf\uFFFD)', async () => {
  const p = pipes();
  Object.assign(p.output, { columns: 200, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false });
  const commands: string[] = [];
  await inLatin1(async () => {
    try {
      t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
      const notes = t.ask('Notes? ');
      p.input.write(Buffer.from('caf\xe9 cr\xe8me\r', 'latin1'));
      p.input.write('café\r');
      assert.is(await notes, 'café');
      p.input.write(Buffer.from('research_agent caf\xe9\r', 'latin1'));
      await tick();
      assert.equal(commands, []);
      assert.is(t.unreadable, 2);
      assert.match(p.text(), /✗ that line has bytes that are not UTF-8 \(shown as �\), so it was not used; the host reads UTF-8: set your terminal to UTF-8 \(the locale is en_US\.ISO-8859-1; e\.g\. LANG=C\.UTF-8\)/);
    } finally {
      t.close();
    }
  });
});

term('on a pipe a line that is not UTF-8 keeps its place: its question gets no answer, the next line answers the next question (it answered the one before)', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const commands: string[] = [];
  await inLatin1(async () => {
    try {
      t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
      p.input.write('status\n');
      await tick();
      const notes = t.ask('Notes? ');
      const seats = t.ask('Seats? ');
      p.input.write(Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
      p.input.write('window\n');
      assert.is(await notes, undefined);
      assert.is(await seats, 'window');
      assert.is(t.unreadableAnswers, 1);
      // A command line that is not UTF-8 is not run, and counted.
      p.input.write(Buffer.from('research_agent caf\xe9\nlist\n', 'latin1'));
      await tick();
      assert.equal(commands, ['status', 'list']);
      assert.is(t.unreadable, 2);
      assert.match(p.text(), /✗ line 2 has bytes that are not UTF-8 \(shown as �\), so it was not used: it keeps its place \(a question it meets gets no answer; the lines after it answer what they were written for\) and counts as a failed line; the host reads UTF-8: write the script in UTF-8 \(the locale is en_US\.ISO-8859-1; e\.g\. LANG=C\.UTF-8\)\n/);
      assert.match(p.text(), /✗ line 4 has bytes/);
    } finally {
      t.close();
    }
  });
});

term('with answersOnly (--exec on a pipe) a line that is not UTF-8 queued ahead answers its question with none', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false, answersOnly: true, prompt: '' });
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  p.input.write(Buffer.from('caf\xe9\nwindow\n', 'latin1'));
  await tick();
  assert.is(await t.ask('Notes? '), undefined);
  assert.is(await t.ask('Seats? '), 'window');
  assert.is(t.unreadableAnswers, 1);
  assert.match(p.text(), /Notes\? \(its line was not UTF-8: no answer\)\nSeats\? window\n/);
  t.close();
});

term('withdraw() answers the question on screen with undefined (Ctrl+C at a question no call waits on)', async () => {
  const p = pipes();
  const t = createTerminal({ input: p.input, output: p.output, tty: false, color: false });
  const commands: string[] = [];
  t.start({ onLine: (l) => { commands.push(l); }, onInterrupt: () => {}, onEnd: () => {} });
  const q = t.ask('Run it? [y/N]: ');
  assert.ok(t.withdraw());
  assert.is(await q, undefined);
  assert.is(t.withdraw(), false, 'nothing left to withdraw');
  p.input.write('list\n');
  await tick();
  assert.equal(commands, ['list'], 'the next line is a command again');
  t.close();
});

const view = suite('progress view');

view('bars, percent, step and message; elapsed time', () => {
  assert.is(progressBar(5, 10, 10), '█████░░░░░');
  assert.is(progressBar(3, undefined, 6).length, 6);
  assert.is(progressLine('#1 travel_agent', { progress: 5, total: 10, message: 'Quoted' }, 10), '#1 travel_agent █████░░░░░  50% (5/10) Quoted');
  assert.is(progressLine('#2 x', { progress: 25.0, total: 100 }, 4), '#2 x █░░░  25% (25/100)');
  assert.is(elapsedText(4200), '4.2 s');
  assert.is(elapsedText(65_000), '1 m 05 s');
});

term('clearScreen on a terminal: the screen is cleared, then the live lines and the prompt drawn at its top; nothing on a pipe', async () => {
  const p = pipes();
  Object.assign(p.output, { columns: 80, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false });
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  t.setLive('1', '#1 travel_agent ██░░ 10% (1/10) Searching flights');
  const before = p.text().length;
  t.clearScreen();
  const drawn = p.text().slice(before);
  assert.ok(drawn.startsWith('\x1b[H\x1b[2J'), JSON.stringify(drawn));
  const after = drawn.slice('\x1b[H\x1b[2J'.length);
  assert.not.match(after, /\x1b\[\d+A/, 'no move up past the top of a cleared screen');
  assert.match(after, /#1 travel_agent ██░░ 10% \(1\/10\) Searching flights\n[\s\S]*> /);
  t.close();
  const piped = pipes();
  const plain = createTerminal({ input: piped.input, output: piped.output, tty: false, color: false });
  plain.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  const length = piped.text().length;
  plain.clearScreen();
  assert.is(piped.text().length, length);
  plain.close();
});

term('on a terminal the echo of a typed line is kept wrapped at words, as printed lines are', async () => {
  const p = pipes();
  Object.assign(p.output, { columns: 41, rows: 24 });
  const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false });
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  const answer = t.ask('  Notes (text, max 500 chars): ');
  await tick();
  const before = p.text().length;
  p.input.write('window seats for both of us please\r');
  assert.is(await answer, 'window seats for both of us please');
  // What is kept on screen: the redraw that prints the echo, from its erase on.
  const drawn = p.text().slice(before);
  const kept = drawn.slice(drawn.lastIndexOf('\x1b[J  Notes') + 3);
  assert.match(kept, /^ {2}Notes \(text, max 500 chars\): window\n {4}seats for both of us please\n/, JSON.stringify(kept));
  t.close();
});

// LANG=C (or an ISO-8859 locale): every status line and bar printed mojibake. The terminal now
// writes the host's symbols in ASCII there, one decision for all it writes (glyphs.ts).
term('in a locale without UTF-8 the host\'s symbols are written in ASCII, as wide as they were; a UTF-8 one keeps them', async () => {
  const sample = `✓ #1 done · ${progressLine('#2 travel_agent', { progress: 1, total: 4, message: 'flights…' }, 8)}\n⚠ lost · 🧠 #3 asks the model: ✗ ▶ ↻ ⊘`;
  const written = async (env: Record<string, string>, options: { ascii?: boolean } = {}) => {
    const saved = { LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE, LANG: process.env.LANG };
    for (const k of Object.keys(saved)) delete process.env[k];
    Object.assign(process.env, env);
    try {
      const p = pipes();
      Object.assign(p.output, { columns: 200, rows: 24 });
      const t = createTerminal({ input: p.input, output: p.output as PassThrough & { columns: number }, tty: true, color: false, ...options });
      t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
      t.print(sample);
      t.setLive('call-2', '#2 travel_agent ███░░░ 50% · waitin…');
      const asked = t.ask('🧠 approve? [y/N] ');
      await tick();
      t.withdraw();
      await asked;
      t.close();
      return p.text();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  for (const env of [{ LANG: 'C' }, { LANG: 'en_US.UTF-8', LC_ALL: 'POSIX' }, { LC_CTYPE: 'en_US.ISO-8859-1' }]) {
    const text = await written(env);
    // Cursor moves and clears aside, nothing but ASCII was written.
    assert.not.match(text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''), /[^\x00-\x7f]/, `${JSON.stringify(env)}: ${text}`);
    assert.match(text, /\+ #1 done - #2 travel_agent ##\.{6} {2}25% \(1\/4\) flights\./, JSON.stringify(env));
    assert.match(text, /! lost - \*\* #3 asks the model: x > ~ -/);
    assert.match(text, /#2 travel_agent ###\.\.\. 50% - waitin\./);
    assert.match(text, /\*\* approve\? \[y\/N\]/);
  }
  // As wide as the symbols: a line fitted to the terminal before they were replaced still fits.
  for (const line of sample.split('\n')) assert.is(displayWidth(asciiGlyphs(line)), displayWidth(line), line);
  for (const [env, options] of [[{ LANG: 'C.UTF-8' }, {}], [{}, {}], [{ LANG: 'C' }, { ascii: false }]] as const) {
    const text = await written(env, options);
    assert.ok(text.includes(sample.split('\n')[1]!), `${JSON.stringify(env)}: ${text}`);
    assert.match(text, /███░░░ 50% · waitin…/);
  }
});

term.run();
view.run();
