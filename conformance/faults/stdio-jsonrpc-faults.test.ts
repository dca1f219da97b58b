// stdio servers that break a JSON-RPC or lifecycle rule (notifications answered, an unknown
// method answered with a result, a string id answered as a number, any version echoed): each is
// found with exactly its seeded rule. The framing faults are in stdio-faults.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_JSONRPC_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio JSON-RPC fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_JSONRPC_MODES, checkStdioFault);

for (const mode of STDIO_JSONRPC_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
  });
}

stdio.run();
