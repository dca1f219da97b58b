// stdio servers that send a 2026-07-28 client what the era does not allow (a JSON-RPC request of
// their own): each is found with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from './stdio-fault-check.ts';
import { STDIO_FAULTS, STDIO_REQUEST_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio server request fault');

for (const mode of STDIO_REQUEST_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { failedRules, details } = await checkStdioFault(mode);
    assert.equal(failedRules, [rule], details);
    assert.match(details, /modern\.server-request: elicitation\/create request \(id "srv-\d+"\): a 2026-07-28 server sends no JSON-RPC requests/);
  });
}

stdio.run();
