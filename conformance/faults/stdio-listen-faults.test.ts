// stdio servers that break a 2026-07-28 subscriptions/listen rule (the acknowledgement per
// subscription id, a URI not asked for, an ended listen answered): each is found with exactly its
// seeded rule. Tasks and cancellation faults are in stdio-modern-faults.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_LISTEN_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio listen fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_LISTEN_MODES, checkStdioFault);

for (const mode of STDIO_LISTEN_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
  });
}

stdio.run();
