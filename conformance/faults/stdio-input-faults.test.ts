// stdio servers that lose input (each read split on newlines with its tail dropped; only a read's
// first line handled): each is found as stdio.framing-input, and nothing else. The other framing
// faults are in stdio-faults.test.ts; one file for all took 199 s at load average 10, near the runner's 240 s bound.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_INPUT_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio input fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_INPUT_MODES, checkStdioFault);

for (const mode of STDIO_INPUT_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
  });
}

stdio.run();
