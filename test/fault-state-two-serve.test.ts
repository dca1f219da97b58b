// Two `mcpwire serve` on one `--state DIR`: both served, each with its own table of the tasks
// and sessions there, appending to the same logs and rewriting them on compaction, and each,
// restarted, resuming the other's tasks (fault injection, session 29). Now the second is
// refused (exit 2) naming the first's pid; a lock left by a server killed with -9 is taken
// over by the next start; a clean stop removes it. The built CLI, loopback only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed, startServe, stopped } from './serve-process.ts';

const test = suite('mcpwire serve: one server per --state directory');

test('a second serve on the directory is refused naming the first; after kill -9 of the first the next start takes it; a clean stop frees it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-two-serve-'));
  const lock = join(dir, 'serve.pid');
  const first = await startServe(['--fixtures', '--state', dir]);
  let third: Awaited<ReturnType<typeof startServe>> | undefined;
  try {
    const second = await startServe(['--fixtures', '--state', dir]).then(async (s) => { await killed(s.child); return 'it served'; }, (e: Error) => e.message);
    assert.match(second, /^server exited with 2: /, second);
    assert.ok(second.includes(`--state ${dir} is in use by another mcpwire serve (pid ${first.child.pid}, in ${lock})`), second);
    await killed(first.child);
    assert.ok(existsSync(lock), 'kill -9 leaves the lock');
    third = await startServe(['--fixtures', '--state', dir]);
    await stopped(third.child, 'SIGTERM');
    assert.not.ok(existsSync(lock), 'a clean stop removes it');
  } finally {
    await killed(first.child);
    if (third) await killed(third.child);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
