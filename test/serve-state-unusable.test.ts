// `mcpwire serve --agents --records DIR` where DIR exists but cannot hold a folder (under
// /proc) hung with no output: the agents' record store made DIR/bookings with Node 20's
// mkdir({ recursive: true }), whose walk steps back to the parent on ENOENT and forward again
// when the parent exists, for ever. `--state /proc/self` and `--records /sys` failed with a
// bare errno (exit 1) naming no flag. Now each is a usage error (exit 2) naming the flag and
// the path, at once. The built CLI in a child process, so a hang is bounded by its timeout.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const test = suite('mcpwire serve: a --state or --records folder that cannot hold the state');

/** `serve --http --port 0 ...args`, killed after 20 s (main hung for ever on the first case). */
function serve(args: string[]): { status: number | null; stderr: string; hung: boolean } {
  const run = spawnSync(process.execPath, [bin, 'serve', '--http', '--port', '0', ...args], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] });
  return { status: run.status, stderr: run.stderr, hung: run.signal === 'SIGTERM' };
}

const linux = existsSync('/proc/self/status');

test('--records /proc/self (exists, cannot hold a folder): refused at once, naming the flag and the path', () => {
  if (!linux) return;
  const run = serve(['--agents', '--records', '/proc/self']);
  assert.not.ok(run.hung, 'the server hung in mkdir');
  assert.is(run.status, 2, run.stderr);
  assert.match(run.stderr, "mcpwire serve: --records: the records folder /proc/self cannot hold the agents' records: ENOENT: no such file or directory, mkdir '/proc/self/bookings'");
});

test('--state /proc/self, with --agents or --fixtures: a usage error naming the flag, not a bare ENOENT', () => {
  if (!linux) return;
  for (const kind of ['--agents', '--fixtures']) {
    const run = serve([kind, '--state', '/proc/self']);
    assert.not.ok(run.hung, `${kind}: hung`);
    assert.is(run.status, 2, run.stderr);
    assert.match(run.stderr, "mcpwire serve: --state /proc/self cannot hold the server's state: ENOENT: no such file or directory, open '/proc/self/serve.pid'"); // the lock, made before any store
  }
  const plain = serve(['--state', '/proc/self']);
  assert.is(plain.status, 2, plain.stderr);
  assert.match(plain.stderr, /^mcpwire serve: --state \/proc\/self cannot hold the server's state: /);
});

test('--records /sys (EPERM): named with the flag', () => {
  if (!existsSync('/sys/kernel')) return;
  const run = serve(['--agents', '--records', '/sys']);
  assert.is(run.status, 2, run.stderr);
  assert.match(run.stderr, /^mcpwire serve: --records: the records folder \/sys cannot hold the agents' records: E[A-Z]+: /);
});

test.run();
