// A stdio server that takes a request with the id 0 for a notification (a truthiness test of
// the id): found as jsonrpc.zero-id, and nothing else. The other JSON-RPC faults are in
// stdio-jsonrpc-faults.test.ts (a file each keeps every file well inside the runner's bound).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_ID_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio id fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_ID_MODES, checkStdioFault);

for (const mode of STDIO_ID_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
    // Session 23: found in the 2026-07-28 session too (the fault drops the id 0 in both eras).
    assert.match(details, /stdio: server\/discover with the id 0 got no response/);
  });
}

stdio.run();
