// stdio servers that send a 2026-07-28 client what the era does not allow (a JSON-RPC request of
// their own, a change notification outside any listen): each is found with exactly its seeded rule.
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
    if (mode === 'asks-as-requests') assert.match(details, /modern\.server-request: elicitation\/create request \(id "srv-\d+"\): a 2026-07-28 server sends no JSON-RPC requests/);
    else assert.match(details, /^modern\.notification-outside-listen: notifications\/tools\/list_changed came without a subscription id on stdout while tools\/call was the last request, not on a listen that asked for it$/);
  });
}

stdio.run();
