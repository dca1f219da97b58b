// Lines piped into `mcpwire host` are a script (`--input script`, the default on a pipe): a
// tool call holds the lines after it until it ends, so they answer its questions in order and
// the next command sees it done; at end of input the host waits for the call. Before, each
// line was a command as soon as it was read: the answers written ahead for a form ran as
// commands ("a" is no tool), the form then saw the end of input, and a call still running at
// the end of input was left ("kept" or cancelled on leaving) instead of finished.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killAll, spawnCli, startServer, tempDir, track, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const test = suite('host: a script piped on stdin');
test.before(async () => {
  dir = await tempDir('mcpwire-host-script-');
  server = await startServer({ agents: false, args: ['--fixtures'] });
});
test.after(async () => {
  await killAll();
  await dir.remove();
});

/** `mcpwire host` with `lines` written at once, then the end of input; resolves its exit code. */
async function runScript(state: string, lines: string[]) {
  const host = spawnCli(['host', '--url', server.url, '--state', `${dir.path}/${state}`]);
  host.child.stdin!.end(`${lines.join('\n')}\n`);
  const code = await host.exited(60_000);
  return { code, out: host.out(), err: host.err() };
}

test('answers written ahead go to the call’s form, in order; the next command runs once the call is done', async () => {
  const run = await runScript('form', ['test_elicitation message=hi', 'a', 'alice', 'alice@example.com', 'y', 'history']);
  assert.is(run.code, 0, run.err);
  assert.not.match(run.out, /✗/, run.out);
  assert.match(run.out, /✓ #1 test_elicitation finished/);
  assert.match(run.out, /alice@example\.com/);
  // history ran after the call, not while it ran
  assert.match(run.out, /finished[\s\S]*Calls on record[^\n]*\n\s+#1 test_elicitation\S* · done/);
});

test('the end of input while a call runs: the host waits for it, then leaves', async () => {
  const run = await runScript('eof', ['slow_compute seconds=1']);
  assert.is(run.code, 0, run.err);
  assert.match(run.out, /✓ #1 slow_compute finished[\s\S]*👋 Goodbye!/);
});

test('a script against a server without resumable streams: its call runs and history says how long (it said "cancelled in 0.0 s")', async () => {
  // session 14's "cancelled in 0.0 s": the time was right; the call was cancelled on leaving
  // the moment the script's input ended, its answers having run as commands.
  const sdk = track(spawn(process.execPath, [fileURLToPath(new URL('./sdk-http-server.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const url = (await sdk.waitFor(/listening on (\S+)/, { stream: 'stderr' }))[1]!;
  const host = spawnCli(['host', '--url', url, '--state', `${dir.path}/sdk`]);
  host.child.stdin!.end('ask\na\nAda\ny\nhistory\n');
  assert.is(await host.exited(60_000), 0, host.err());
  assert.not.match(host.out(), /cancelled on leaving|· cancelled/, host.out());
  assert.match(host.out(), /hello Ada[\s\S]*#1 ask\S* · done in \d+\.\d s/);
});

test('SIGINT while a script\'s call runs leaves (exit 130): no held line is taken as an answer, the rest is not run', async () => {
  // Before: the Ctrl+C question took the script's next line ("history") as its answer.
  const host = spawnCli(['host', '--url', server.url, '--state', `${dir.path}/sigint`]);
  host.child.stdin!.write('slow_compute seconds=30\nhistory\n');
  await host.waitFor(/#1 slow_compute/);
  host.kill('SIGINT');
  assert.is(await host.exited(30_000), 130, host.out());
  assert.not.match(host.out(), /✗|\[d\]etach|Calls on record/, host.out());
  assert.match(host.out(), /Interrupted: the rest of the script is not run/);
  // Left as on the end of input: the call is detached, or cancelled when nothing could resume it.
  assert.match(host.out(), /Interrupted[^\n]*\n(⊘ #1 slow_compute cancelled on leaving[^\n]*\n)?👋 Goodbye/, host.out());
});

test('resume N in a script holds the lines after it until the resumed call ends', async () => {
  // An earlier run leaves #1 running (detached), then a script resumes it and asks for the history.
  const state = `${dir.path}/resume`;
  // As a task (--tasks auto): a task on record is resumed by its number whatever the stream did.
  const first = spawnCli(['host', '--url', server.url, '--state', state, '--input', 'live', '--tasks', 'auto']);
  first.send('slow_compute seconds=2');
  // Detached once its task exists (status names it).
  for (let from = 0; ;) {
    first.send('status');
    const seen = await first.waitFor(/\n {2}#1 slow_compute {2}[^\n]*\n/, { from });
    if (/task/.test(seen[0])) break;
    from = first.mark();
  }
  first.send('detach');
  await first.waitFor(/detached/);
  first.send('quit');
  assert.is(await first.exited(), 0, first.err());
  const host = spawnCli(['host', '--url', server.url, '--state', state, '--tasks', 'auto']);
  host.child.stdin!.end('resume 1\nhistory\n');
  const run = { code: await host.exited(60_000), out: host.out(), err: host.err() };
  assert.is(run.code, 0, run.err);
  assert.not.match(run.out, /✗/, run.out);
  // Before: history ran at once (#1 still running), and leaving detached the call again.
  assert.match(run.out, /✓ #1 slow_compute finished[\s\S]*Calls on record[^\n]*\n\s+#1 slow_compute\S* · done/, run.out);
});

test('--input live: each line is a command as it comes (a program typing as a person would)', async () => {
  const host = spawnCli(['host', '--url', server.url, '--state', `${dir.path}/live`, '--input', 'live']);
  host.child.stdin!.end('slow_compute seconds=30\nstatus\n');
  await host.waitFor(/#1 slow_compute\s+running/);
  assert.is(await host.exited(30_000), 0, host.err());
});

test('--input takes script or live only', async () => {
  const host = spawnCli(['host', '--url', server.url, '--input', 'batch']);
  assert.is(await host.exited(), 2);
  assert.match(host.err(), /--input must be script or live, got "batch"/);
});

test.run();
