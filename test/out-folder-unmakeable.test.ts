// `--out` of the official suite's runner and of the bench, naming a folder whose existing
// parent cannot hold one (under /proc): both made it with Node 20's mkdirSync({ recursive:
// true }), which loops for ever there, so the run hung at full CPU with no output. Now each
// fails at once naming `--out` and mkdir's error. Each runner in a child process, so a hang
// is bounded by its timeout.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const test = suite('runners: an --out folder that cannot be made');

/** `node <script> ...args` from the source, killed after 30 s. */
function run(script: string, args: string[]): { status: number | null; output: string; hung: boolean } {
  const child = spawnSync(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', script, ...args],
    { cwd: root, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: child.status, output: `${child.stdout}${child.stderr}`, hung: child.signal === 'SIGTERM' };
}

const linux = existsSync('/proc/self/status');

test('conformance:official:server --out /proc/self/mcpwire-out: fails at once naming --out', () => {
  if (!linux) return;
  const got = run('conformance/official/run-server.ts', ['--out', '/proc/self/mcpwire-out']);
  assert.not.ok(got.hung, 'the runner hung in mkdir');
  assert.is(got.status, 1, got.output);
  assert.match(got.output, "--out /proc/self/mcpwire-out: cannot make /proc/self/mcpwire-out/server: ENOENT: no such file or directory, mkdir '/proc/self/mcpwire-out'");
  assert.match(got.output, '0 passed, 1 failed');
});

test('bench --out /proc/self/x/r.jsonl: fails at once naming --out, before any cell runs', () => {
  if (!linux) return;
  const got = run('bench/run.ts', ['--smoke', '--impl', 'raw', '--out', '/proc/self/x/r.jsonl']);
  assert.not.ok(got.hung, 'the bench hung in mkdir');
  assert.is(got.status, 2, got.output);
  assert.is(got.output, "bench: --out /proc/self/x/r.jsonl: cannot make its folder: ENOENT: no such file or directory, mkdir '/proc/self/x'\n");
});

test.run();
