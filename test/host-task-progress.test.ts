// The host runs agents as tasks by default (--tasks auto) and their live lines look as a plain
// call's: the progress bar per step, the form, the booking. 2025-11-25: the task's progress
// notifications keep coming after the CreateTaskResult (the token lives as long as the task),
// each step once. 2026-07-28: tasks send no progress; the steps arrive as the task's status
// messages, read at each tasks/get poll, so the host shows the steps its polls saw.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { answerModel, conversation, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };
let server: Server;

const test = suite('host: a task shows its progress like a plain call');
test.before(async () => {
  dir = await tempDir('mcpwire-host-task-progress-');
  server = await startServer({ state: join(dir.path, 'server'), stepMs: 500 });
});
test.after(async () => {
  await killAll();
  await dir.remove();
});

/** `travel_agent` as a task (--tasks auto): the form is accepted, the booking made; the host's output. */
async function book(era: string): Promise<string> {
  const host = spawnHost(['--url', server.url, '--state', join(dir.path, `host-${era}`), '--tasks', 'auto', '--era', era]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'travel_agent destination=Lisbon');
  await c.expect(/#1 travel_agent runs as task \S+:/);
  await c.expect(/Answer\?/, 'a', 30_000);
  await c.expect(/Book this trip \(yes\/no\)/, 'yes');
  await c.expect(/Fare class/, '');
  await c.expect(/Notes/, '');
  await c.expect(/Send\?/, '');
  await answerModel(c, '', 30_000);
  await c.expect(/✓ #1 travel_agent finished/, undefined, 30_000);
  await c.expect(/Booked: London → Lisbon/, 'quit');
  assert.is(await host.exited(), 0);
  return host.out();
}

/** The steps (n of `travel_agent`'s 10) its progress lines showed, in order. */
function steps(out: string): number[] {
  return [...out.matchAll(/#1 travel_agent [█░▓]+ +\d+% \((\d+)\/10\)/g)].map((m) => Number(m[1]));
}

test('2025-11-25: every step of the task shows once, before and after its question', async () => {
  const out = await book('legacy-first');
  assert.equal(steps(out), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], out);
  assert.not.match(out, /task (working|input_required)/, 'a watched task shows its form, not its status changes');
});

test('2026-07-28: the steps seen in the task status show as progress lines, in order', async () => {
  const out = await book('modern');
  const seen = steps(out);
  // Five steps of 500 ms come before the question: the polls (every 1000 ms) see one at least.
  assert.ok(seen.length >= 1 && seen[0]! <= 5, `progress lines from the task's status messages: ${out}`);
  assert.equal(seen, [...seen].sort((a, b) => a - b), 'steps only grow');
  assert.is(new Set(seen).size, seen.length, 'each step once');
});

test.run();
