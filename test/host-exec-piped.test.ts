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

async function execWith(input: string, command: string) {
  const p = spawnHost(['--url', server.url, '--state', join(dir.path, 'host'), '--exec', command]);
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
  const declined = await execWith('d\n', 'travel_agent destination=Lisbon');
  assert.match(declined.err, /→ decline/);
  assert.not.match(declined.out, /Booked:/);
  const short = await execWith('a\nyes\n', 'travel_agent destination=Lisbon');
  assert.match(short.err, /→ cancel/);
  assert.not.match(short.out, /Booked:/);
});

piped.run();
