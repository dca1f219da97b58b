// `printf 'a\nyes\n...' | mcpwire host --exec ...`: answers piped ahead of time are a queue,
// taken in order by the questions as they come, even after the pipe has closed.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const piped = suite('host --exec: answers piped ahead of time');

piped.before(async () => {
  dir = await tempDir('mcpwire-host-piped-');
  server = await startServer({ state: join(dir.path, 'server'), stepMs: 10 });
});
piped.after(async () => {
  await killAll();
  await dir.remove();
});

async function execWith(input: string, command: string, state = 'host') {
  const p = spawnHost(['--url', server.url, '--state', join(dir.path, state), '--exec', command]);
  p.child.stdin!.end(input); // all of it at once, before any question is asked
  const code = await p.exited(30_000);
  return { code, out: p.out(), err: p.err() };
}

piped('a form is filled from the queued lines: accept, fields, send', async () => {
  // accept; "Book this trip" yes; fare class: Enter takes economy; notes: "window seat"; send: yes
  const r = await execWith('a\nyes\n\nwindow seat\ny\n', 'travel_agent destination=Rome');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^Booked: London → Rome/);
  assert.match(r.err, /Book this trip \(yes\/no\).*: yes/);
  assert.match(r.err, /Notes = window seat/);
  assert.match(r.err, /→ accept/);
});

piped('a decline piped ahead is used, and lines run out into a cancel, not a hang', async () => {
  // Three hosts at once, each on its own state (the file's time stays near one run's).
  const [declined, short, model] = await Promise.all([
    execWith('d\n', 'travel_agent destination=Lisbon', 'declined'),
    execWith('a\nyes\n', 'travel_agent destination=Lisbon', 'short'),
    execWith('', 'research_agent topic="solar power"', 'model'),
  ]);
  assert.match(declined.err, /→ decline\n/); // typed: no reason added
  assert.not.match(declined.out, /Booked:/);
  // Why it was cancelled: the lines ran out (it said a bare "→ cancel", as if typed).
  assert.match(short.err, /→ cancel: the input ended before an answer \(put the answers on the lines after the command, one a line, or pass --yes\)/);
  assert.not.match(short.out, /Booked:/);
  assert.is(model.code, 0, model.err);
  assert.match(model.err, /→ declined: the input ended before an answer/);
});

piped.run();
