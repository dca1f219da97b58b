// scalewalk6's left: one run of test/scale hung before its first case for over ten minutes,
// waiting on an instance's start (startServe had no time limit: "the test runner's limit
// bounds it", but a file run alone has none). Now a start is bounded: a server that never
// writes its "listening on" line fails the start, naming the command, with its stderr, and is
// killed; one that exits first names its exit and the command.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startListening } from './serve-process.ts';

const test = suite('a server started for a test: bounded and named');

/** `start` settled, or 'still waiting' after `ms`: a start that does not reject in time fails the test rather than hanging it. */
async function within<T>(start: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'still waiting'>((resolve) => { timer = setTimeout(() => resolve('still waiting'), ms); });
  try {
    return await Promise.race([start, waited]);
  } finally {
    clearTimeout(timer);
  }
}

test('a server that never listens fails its start within startMs, named, with its stderr, and is killed', async () => {
  const hang = "process.stderr.write('starting, then stuck\\n'); setInterval(() => {}, 1000)";
  const outcome = await within(startListening(['-e', hang], {}, { startMs: 5000 }).then(
    async (s) => { s.child.kill('SIGKILL'); return 'it listened'; },
    (e: Error) => e,
  ), 20_000);
  assert.instance(outcome, Error, String(outcome));
  const message = (outcome as Error).message;
  assert.match(message, /^node -e process\.stderr\.write.* did not listen within 5000 ms \(pid \d+, killed\); its stderr: starting, then stuck\n$/, message);
  const pid = Number(/\(pid (\d+),/.exec(message)![1]);
  // Killed: signal 0 finds no such process once it is reaped (bounded: 100 tries 50 ms apart).
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    try { process.kill(pid, 0); await new Promise((r) => setTimeout(r, 50)); } catch { alive = false; }
  }
  assert.not.ok(alive, `pid ${pid} still runs`);
});

test('a server that exits before it listens: its exit, its stderr and the command', async () => {
  const outcome = await within(startListening(['-e', "process.stderr.write('bad flag\\n'); process.exit(2)"]).then(() => 'it listened', (e: Error) => e.message), 20_000);
  assert.match(String(outcome), /^server exited with 2: bad flag\n\(the command: node -e .*process\.exit\(2\)\)$/);
});

test.run();
