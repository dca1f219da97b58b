// `mcpwire check` against a 2026-07-28-only stdio server (serveEras `eras: 'modern'`, the fault
// server's `modern-only` mode). Its refusal of initialize (-32022 naming 2026-07-28) failed
// run.reachable, a MUST ("initialize failed: Unsupported protocol version ..."), and the version
// probe passed lifecycle.version on that error: over HTTP the same server passes, its legacy
// rules listed NOT RUN with the reason. Now stdio says the same.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault, STDIO_FAULT_TIMEOUT_MS, stdioFaultTarget } from '../../test/support/stdio-fault-check.ts';
import { runCheck } from '../check/runner.ts';

const test = suite('check: a 2026-07-28-only stdio server');

const NOT_SPOKEN = 'not run: the server speaks no legacy version (initialize in 2025-11-25 was refused with error -32022: the server speaks 2026-07-28 only)';

test('no MUST or SHOULD failure; its legacy rules are not run, saying why; the framing still judged', async () => {
  const { report, failedRules, details } = await checkStdioFault('modern-only');
  assert.equal(failedRules, [], details);
  assert.equal(report.eras, ['2026-07-28']);
  assert.ok(report.summary.passed);
  assert.ok(report.findings.some((f) => f.id === 'run.reachable' && f.outcome === 'pass' && f.era === 'modern'), 'the 2026-07-28 session connected');
  for (const id of ['lifecycle.version', 'lifecycle.order', 'capability.gating', 'ping.answer']) {
    assert.equal(report.findings.filter((f) => f.id === id).map((f) => `${f.outcome} ${f.era}: ${f.detail}`), [`skip legacy: ${NOT_SPOKEN}`], id);
  }
  // The framing probes read answers, errors included: a 2026-07-28-only server's lines are still judged.
  for (const id of ['stdio.framing-input', 'stdio.embedded-newline', 'stdio.exit-on-eof']) assert.ok(report.findings.some((f) => f.id === id && f.outcome === 'pass'), `${id} passed`);
});

test('with --spec-version 2025-11-25 (no 2026-07-28 era checked): run.reachable fails, naming the version to check it with', async () => {
  const report = await runCheck({ target: await stdioFaultTarget('modern-only'), timeoutMs: STDIO_FAULT_TIMEOUT_MS, stdioExitMs: 3_000, specVersion: '2025-11-25' });
  const reach = report.findings.filter((f) => f.id === 'run.reachable' && f.outcome === 'fail').map((f) => `${f.era}: ${f.detail}`);
  assert.equal(reach, ['legacy: the legacy session did not open: initialize in 2025-11-25 was refused with error -32022: the server speaks 2026-07-28 only: check it with --spec-version 2026-07-28, or without --spec-version']);
  assert.not.ok(report.summary.passed);
});

test.run();
