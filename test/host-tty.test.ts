// The host on a pseudo-terminal (util-linux `script`), where it edits input in place and
// redraws live progress lines; and `mcpwire demo` (npm start), server and host in one go.
// Each run must end by itself after "Goodbye": a demo once stayed, orphaned, when its
// terminal went as it left (test/host-hangup.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { within } from './tty-fakes.ts';
import { bin, conversation, hasScript, killAll, spawnCli, startServer, tempDir, type Proc, answerModel } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** Run `mcpwire ...` on a pseudo-terminal; its output (with escapes) on stdout. */
function onTerminal(args: string[], columns?: number, options: { term?: string; pipeOutput?: boolean } = {}): Proc {
  const command = (columns !== undefined ? `stty cols ${columns} rows 30; ` : '') + [process.execPath, bin, ...args].map(quote).join(' ')
    + (options.pipeOutput ? ' | cat' : ''); // stdout a pipe, stdin still the terminal
  const child = spawn('script', ['-qfc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: options.term ?? 'xterm', NO_COLOR: '' } });
  // Reuse the harness's bookkeeping through a thin wrapper process record.
  return wrap(child);
}

function wrap(child: ReturnType<typeof spawn>): Proc {
  let out = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; for (const w of [...waiters]) w(); });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    out: () => strip(out),
    err: () => '',
    mark: () => strip(out).length,
    waitFor(re, options = {}) {
      const from = options.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(strip(out).slice(from));
          if (m) { waiters.delete(check); clearTimeout(t); resolve(m); }
        };
        const t = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${re}\n${strip(out)}`)); }, options.timeoutMs ?? 15_000);
        waiters.add(check);
        check();
      });
    },
    send: (line) => { child.stdin!.write(`${line}\r`); },
    end: () => child.stdin!.end(),
    exited: () => exit,
    kill: (signal = 'SIGTERM') => { child.kill(signal); },
  };
}

const tty = suite('host on a terminal, and the demo');

tty.before(async () => { dir = await tempDir('mcpwire-host-tty-'); });
tty.after(async () => {
  await killAll();
  await dir.remove();
});

tty('on a pseudo-terminal: live progress line, Ctrl+C asks, cancel reaches the server', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const server = await startServer({ state: `${dir.path}/server`, stepMs: 200 });
  const host = onTerminal(['host', '--url', server.url, '--state', `${dir.path}/host`]);
  const c = conversation(host);
  try {
    await c.expect(/Type "help"/);
    host.send('travel_agent destination=Paris');
    await c.expect(/#1 travel_agent [█░]+ +\d+% \(2\/10\) · \d+\.\d s · Found/);
    host.child.stdin!.write('\x03'); // Ctrl+C as typed: the terminal is raw, readline sees it
    await c.expect(/Ctrl\+C: #1 travel_agent: \[d\]etach/);
    host.send('c');
    await c.expect(/⊘ #1 travel_agent cancelled; the server was told to stop/);
    host.send('quit');
    await c.expect(/Goodbye!/);
    assert.is(await host.exited(), 0);
  } finally {
    host.kill('SIGKILL');
    await server.stop();
  }
});

tty('--exec on a pseudo-terminal draws no prompt: it reads no commands, so "> " would invite typing that is ignored', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const server = await startServer({ state: `${dir.path}/server-exec`, stepMs: 10 });
  try {
    const raw: string[] = [];
    const host = onTerminal(['host', '--url', server.url, '--state', `${dir.path}/host-exec`, '--yes', '--exec', 'travel_agent destination=Lisbon travellers=2']);
    host.child.stdout!.on('data', (d: Buffer | string) => raw.push(String(d)));
    assert.is(await host.exited(), 0, host.out());
    assert.match(host.out(), /Booked: London → Lisbon/);
    assert.match(host.out(), /\(--yes\) accepted/, 'the question was shown and answered');
    // readline draws its prompt as "erase the line, then the prompt": none may be "> ".
    assert.not.match(raw.join(''), /\x1b\[0J> /, 'no idle prompt drawn');
  } finally {
    await server.stop();
  }
});

tty('the demo on a 40-column terminal: its banner fits the width (the box was 50 wide and broke in two), its progress bar is shorter', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const demo = onTerminal(['demo', '--state', `${dir.path}/demo-narrow`, '--step-ms', '10'], 40);
  try {
    await demo.waitFor(/Type "help"/, { timeoutMs: 30_000 });
    const head = demo.out().slice(0, demo.out().indexOf('Agents server'));
    // The title, wrapped at a word (the host wraps what it prints to the screen's width).
    assert.match(head, /mcpwire demo: long-running agents as\n? *MCP tools/);
    // Text may wrap; a box border that wraps is a broken box.
    for (const line of head.split('\n').filter((l) => /[┌│└]/.test(l))) assert.ok([...line].length <= 40, `a box over 40 columns: "${line}"`);
    // A 10-cell bar, so the percent and the step stay on its row (the 20-cell one pushed them off).
    demo.send('travel_agent destination=Rome');
    await demo.waitFor(/#1 travel_agent [█░]{10} +\d+% \(2\/10\)/);
    await demo.waitFor(/Answer\?/);
    demo.send('c');
    await demo.waitFor(/✓ #1 travel_agent finished/);
    demo.send('quit');
    await demo.waitFor(/Goodbye/);
    assert.is(await within(demo.exited(), 15_000, 'demo exiting after Goodbye'), 0);
  } finally {
    demo.kill('SIGKILL');
  }
});

tty('the demo on an 80-column terminal: lines wrap at words, never wider than the screen (the terminal broke "heat p" / "umps")', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const demo = onTerminal(['demo', '--state', `${dir.path}/demo-80`, '--step-ms', '10'], 80);
  const raw: string[] = [];
  demo.child.stdout!.on('data', (d: Buffer | string) => raw.push(String(d)));
  try {
    await demo.waitFor(/Type "help"/, { timeoutMs: 30_000 });
    demo.send('help');
    await demo.waitFor(/Tools: travel_agent/);
    // What the host wrote, row by row, before the terminal did any wrapping of its own (a
    // carriage return starts the row again: the prompt it redraws over).
    const rows = raw.join('').split('\n').map((r) => strip(r.replace(/\r+$/, '').split('\r').pop()!));
    for (const row of rows) assert.ok([...row].length <= 80, `a row over 80 columns: "${row}"`);
    assert.match(demo.out(), /research_agent urban heat ·\n  plan a trip to Tokyo and research heat pumps\n/);
    assert.match(demo.out(), /\n  quit \| exit \| q +leave; with calls watched, asks whether to\n +detach or cancel them\n/);
    demo.send('quit');
    await demo.waitFor(/Goodbye/);
    assert.is(await within(demo.exited(), 15_000, 'demo exiting after Goodbye'), 0);
  } finally {
    demo.kill('SIGKILL');
  }
});

tty('a question wider than the screen is wrapped at words, as printed lines are (the terminal broke "keep w" / "atching")', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const server = await startServer({ state: `${dir.path}/server-question`, stepMs: 300 });
  const raw: string[] = [];
  const host = onTerminal(['host', '--url', server.url, '--state', `${dir.path}/host-question`], 80);
  host.child.stdout!.on('data', (d: Buffer | string) => raw.push(String(d)));
  const c = conversation(host);
  try {
    await c.expect(/Type "help"/, 'travel_agent destination=Paris');
    await c.expect(/\(1\/10\)/);
    host.child.stdin!.write('\x03');
    await c.expect(/keep watching: /);
    // The rows the host wrote (see the 80-column case): the question's are none wider than the screen.
    const rows = raw.join('').split('\n').map((r) => strip(r.replace(/\r+$/, '').split('\r').pop()!));
    const question = rows.filter((r) => /Ctrl\+C: #1|keep watching/.test(r));
    assert.ok(question.length >= 2, `the question on one row: ${JSON.stringify(question)}`);
    for (const row of question) assert.ok([...row].length <= 80, `a row over 80 columns: "${row}"`);
    assert.match(host.out(), /\[c\]ancel \(the server is\n {2}told to stop\), Enter = keep watching: /, 'broken at a space, the rest indented');
    host.send('c');
    await c.expect(/⊘ #1 travel_agent cancelled/, 'quit');
    await c.expect(/Goodbye/);
    assert.is(await within(host.exited(), 15_000, 'host exiting after Goodbye'), 0);
  } finally {
    host.kill('SIGKILL');
    await server.stop();
  }
});

tty('TERM=dumb: plain lines, no colour and no cursor movement (an editor\'s shell buffer showed the escapes)', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const server = await startServer({ state: `${dir.path}/server-dumb`, stepMs: 10 });
  const raw: string[] = [];
  const host = onTerminal(['host', '--url', server.url, '--state', `${dir.path}/host-dumb`], 80, { term: 'dumb' });
  host.child.stdout!.on('data', (d: Buffer | string) => raw.push(String(d)));
  try {
    await host.waitFor(/Type "help"/, { timeoutMs: 30_000 });
    host.send('travel_agent destination=Paris');
    await host.waitFor(/Answer\?/);
    host.send('c');
    await host.waitFor(/#1 travel_agent/);
    host.send('quit');
    await host.waitFor(/Goodbye/);
    assert.is(await within(host.exited(), 15_000, 'host exiting after Goodbye'), 0);
    assert.not.match(raw.join(''), /\x1b/, 'no escape sequence written');
  } finally {
    host.kill('SIGKILL');
    await server.stop();
  }
});

tty('typed on a terminal with the output piped (npm start | tee log): lines are commands at once, not a script held behind the call', async () => {
  if (!hasScript) return console.log('  (skipped: util-linux script is not installed)');
  const server = await startServer({ state: `${dir.path}/server-tee`, stepMs: 500 });
  const host = onTerminal(['host', '--url', server.url, '--state', `${dir.path}/host-tee`], 100, { pipeOutput: true });
  const c = conversation(host);
  try {
    await c.expect(/Type "help"/, 'travel_agent destination=Paris');
    await c.expect(/\(1\/10\)/, 'servers');
    // Run while the call runs, before its form; not held until the call ends (and then taken
    // as the form's answer: "type a, d or c").
    await c.expect(/Answer\?/);
    const beforeForm = host.out().slice(0, host.out().lastIndexOf('Answer?'));
    assert.match(beforeForm, /servers\n[^\n]*: ready \(mcpwire-agents/, host.out());
    host.send('c');
    await c.expect(/#1 travel_agent/, 'quit');
    await c.expect(/Goodbye/);
    assert.is(await within(host.exited(), 15_000, 'host exiting after Goodbye'), 0);
  } finally {
    host.kill('SIGKILL');
    await server.stop();
  }
});

tty('mcpwire demo: starts the agents server, books a trip, and stops the server on quit', async () => {
  const demo = spawnCli(['demo', '--state', `${dir.path}/demo`, '--step-ms', '10', '--no-color']);
  const c = conversation(demo);
  const pid = Number((await c.expect(/Agents server: http:\/\/127\.0\.0\.1:\d+\/mcp \(pid (\d+);/, undefined, 30_000))[1]);
  await c.expect(/Type "help"/, 'travel_agent destination=Reykjavik');
  await c.expect(/Answer\?/, 'a');
  await c.expect(/Book this trip \(yes\/no\)/, 'y');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
  // travel_agent asks the host's model to summarise the trip before booking
  await answerModel(c, '');
  await c.expect(/✓ #1 travel_agent finished/, 'quit');
  assert.is(await demo.exited(), 0);
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the server is gone');
});

tty.run();
