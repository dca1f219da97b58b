// A stdio server slow to start (a Python server, an `npx` download) is checked, not reported
// unreachable: each fresh process's first answer may take `startTimeoutMs` (60 s by default),
// and only later exchanges are held to the per-exchange `timeoutMs`. Before, a start slower
// than `--timeout` failed run.reachable, and the 2026-07-28 era went unchecked without a word.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runCheck } from './runner.ts';
import { bundledScript } from '../../test/support/bundled-script.ts';

const server = await bundledScript(fileURLToPath(new URL('../faults/stdio-server.ts', import.meta.url)));
const START_DELAY_MS = 2_500;
/** Starts the real server after a pause; what the check writes meanwhile waits in the pipe. */
const delayed = `setTimeout(() => {
  const child = require('node:child_process').spawn(process.execPath, ${JSON.stringify([...server, 'good'])}, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
}, ${START_DELAY_MS});`;

const slow = suite('check: a stdio server slow to start');

slow('is reached in both eras, though each start is longer than --timeout', async () => {
  const report = await runCheck({
    target: { kind: 'stdio', command: process.execPath, args: ['-e', delayed] },
    timeoutMs: 1_000, startTimeoutMs: 60_000, stdioExitMs: 3_000, only: ['run.reachable', 'modern.discover'],
  });
  const reach = report.findings.filter((f) => f.id === 'run.reachable');
  assert.equal(reach.filter((f) => f.outcome === 'fail').map((f) => f.detail), []);
  assert.ok(report.eras.includes('2026-07-28'), `eras: ${report.eras.join(', ')}`);
  assert.ok(report.eras.includes('2025-11-25'), `eras: ${report.eras.join(', ')}`);
});

slow.run();
