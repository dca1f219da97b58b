// test/run.js, the test runner: killing it leaves no test file and no process a test file
// started (each file runs in its own process group, killed with the runner; when the runner
// is killed with SIGKILL, the parent-death signal of each takes them along).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = suite('test runner: no orphans');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (dead, not yet reaped: an init that reaps late) answers signal 0 too.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): signal 0 is all there is
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  // Polls a process table, which offers no event to await.
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

runner('SIGTERM to the runner kills the running test file and the process it started', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-runner-'));
  const pidFile = join(dir, 'pids');
  const run = spawn(process.execPath, ['test/run.js'], {
    cwd: root,
    env: { ...process.env, TEST_RUNNER_FILES: 'test/fixtures/runner-hang.ts', RUNNER_HANG_PID_FILE: pidFile },
    stdio: 'ignore',
  });
  try {
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the fixture to start');
    const [file, grandchild] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) as [number, number];
    assert.ok(alive(file) && alive(grandchild), 'both run before the kill');
    const exited = new Promise((r) => run.once('exit', r));
    run.kill('SIGTERM');
    await exited;
    await until(() => !alive(file) && !alive(grandchild), 'the test file and its child to die', 5_000);
  } finally {
    run.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

runner('SIGKILL of the runner (no cleanup runs): the test file, its Redis and its mcpwire serve die too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-runner-'));
  const pidFile = join(dir, 'pids');
  const run = spawn(process.execPath, ['test/run.js'], {
    cwd: root,
    env: { ...process.env, TEST_RUNNER_FILES: 'test/fixtures/runner-servers.ts', RUNNER_HANG_PID_FILE: pidFile },
    stdio: 'ignore',
  });
  let pids: number[] = [];
  try {
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the fixture to start its servers', 30_000);
    pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number).filter((pid) => pid > 0);
    assert.ok(pids.length >= 2 && pids.every(alive), 'the test file and its servers run before the kill');
    const exited = new Promise((r) => run.once('exit', r));
    run.kill('SIGKILL');
    await exited;
    await until(() => !pids.some(alive), `the test file and its servers to die (alive: ${pids.filter(alive).join(' ')})`, 5_000);
  } finally {
    run.kill('SIGKILL');
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

runner('a test file runs bundled by default, under tsx when it has the line asking for it or TEST_BUNDLE=0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-runner-'));
  const whereFile = join(dir, 'where');
  const run = (bundle?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['test/run.js'], {
        cwd: root,
        env: { ...process.env, TEST_BUNDLE: bundle, TEST_RUNNER_FILES: 'test/fixtures/runner-where.ts,test/fixtures/runner-where-tsx.ts', RUNNER_WHERE_FILE: whereFile },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', () => (clearTimeout(timer), resolve(out)));
    });
  const records = () => readFileSync(whereFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv1: string; url: string });
  try {
    const out = await run(undefined);
    assert.match(out, /^2 passed, 0 failed$/m);
    const plain = records().find((r) => r.url.endsWith('/runner-where.ts'));
    const marked = records().find((r) => r.url.endsWith('/runner-where-tsx.ts'));
    assert.match(plain!.argv1, /[\\/]\.cache[\\/]test-bundles[\\/]files[\\/]test-fixtures-runner-where-ts\.mjs$/);
    assert.match(plain!.url, /\/test\/fixtures\/runner-where\.ts$/, 'a bundled module keeps its own import.meta.url');
    assert.match(marked!.argv1, /[\\/]test[\\/]fixtures[\\/]runner-where-tsx\.ts$/);
    rmSync(whereFile);
    assert.match(await run('0'), /^2 passed, 0 failed$/m);
    assert.ok(records().every((r) => r.argv1.endsWith('.ts')), 'TEST_BUNDLE=0: both under tsx');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

runner.run();
