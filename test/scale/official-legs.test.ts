// Issue #18 acceptance: the official conformance suite's server legs (2025-11-25 and
// 2026-07-28) pass against two `serve --http --fixtures --redis` instances behind the
// round-robin proxy: every check, none failed or warned (run-server.ts judges them against
// the same baselines as one instance). The legs take turns on one cluster; each is bounded
// by --timeout-ms and a kill. Skips with a printed reason without redis-server or a build.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster } from './cluster.ts';

const RUN_SERVER = fileURLToPath(new URL('../../conformance/official/run-server.ts', import.meta.url));
/**
 * One leg's bound (the suite's own scenario timeouts are far below it); both legs stay
 * within the test runner's 240 s per file. Measured: 8 s and 16 s on 2 loaded cores.
 */
const LEG_MS = 110_000;

/** Run one server leg against `url`; its exit code and output. */
function leg(url: string, revision: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_SERVER, '--requirements', revision, '--timeout-ms', String(LEG_MS - 10_000)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MCPWIRE_OFFICIAL_SERVER_URL: url },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), LEG_MS);
  return new Promise((resolve) => {
    child.once('error', (error) => { clearTimeout(timer); resolve({ code: null, output: `${output}\n${error.message}`, ms: Date.now() - started }); });
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output, ms: Date.now() - started }); });
  });
}

const cluster = await startCluster(2, ['--fixtures']);
if (cluster) {
  const test = suite('scale-out: the official server legs pass against two instances behind the proxy');

  for (const revision of ['2025-11-25', '2026-07-28']) {
    test(`revision ${revision}: every check passes, none fails or warns`, async () => {
      const before = cluster.proxy.served.length;
      const { code, output, ms } = await leg(cluster.proxy.url, revision);
      const served = cluster.proxy.served.slice(before);
      const last = output.trim().split('\n').at(-1) ?? '';
      console.log(`official ${revision} against 2 instances: ${last} in ${Math.round(ms / 1000)} s; ${served.filter((s) => s.backend === 0).length}/${served.filter((s) => s.backend === 1).length} requests to instance 0/1`);
      assert.ok(/^[1-9]\d* passed, 0 failed$/.test(last), output.slice(-3000));
      assert.is(code, 0, output.slice(-3000));
      assert.ok(served.some((s) => s.backend === 0) && served.some((s) => s.backend === 1), 'both instances served');
    });
  }

  test.after(() => cluster.stop());
  test.run();
}
