// A stdio server that sends a call's last progress after its response (progress-order.ts): found
// as progress.token in both eras, and nothing else. The message validator alone lets it pass, as
// over HTTP a progress may cross its response on another stream; stdio is one ordered pipe.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_PROGRESS_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio progress fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_PROGRESS_MODES, checkStdioFault);

for (const mode of STDIO_PROGRESS_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)} in both eras, and nothing else`, async () => {
    const { report, failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
    assert.equal(new Set(report.findings.filter((f) => f.id === rule && f.outcome === 'fail').map((f) => f.era)), new Set(['legacy', 'modern']));
  });
}

stdio.run();
