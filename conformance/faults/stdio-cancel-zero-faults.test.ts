// A stdio server that ignores notifications/cancelled naming the id 0 (a truthiness test of
// requestId, typescript-sdk PR #2654): found as cancellation.no-response, in both eras, by the
// probe that calls with the id 0 on a process of its own; the probe with the check's own ids passes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_CANCEL_ZERO_MODES, STDIO_FAULTS } from './stdio-server.ts';

const stdio = suite('check finds a stdio server that ignores a cancel naming the id 0');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_CANCEL_ZERO_MODES, checkStdioFault);

for (const mode of STDIO_CANCEL_ZERO_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)} in both eras, and nothing else`, async () => {
    const { report, failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
    for (const era of ['legacy', 'modern'] as const) {
      const found = report.findings.filter((f) => f.id === rule && f.era === era);
      assert.ok(found.some((f) => f.outcome === 'fail' && /with the id 0 was answered .* after notifications\/cancelled naming the id 0/.test(f.detail)), `${era}: ${details}`);
      assert.ok(found.some((f) => f.outcome === 'pass' && !/id 0/.test(f.detail)), `${era}: the probe with the check's own ids passed`);
    }
  });
}

stdio.run();
