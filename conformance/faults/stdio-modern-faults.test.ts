// stdio servers that break the tasks extension's terminal status or its no-progress rule,
// cancellation (in both eras), or log to 2026-07-28 requests that asked for no logs:
// each is found with exactly its seeded rule. The listen faults are in stdio-listen-faults.test.ts, the
// field ones (task ttlMs, skills, _meta) in stdio-fields-faults.test.ts,
// the framing ones in stdio-faults.test.ts, the JSON-RPC ones in stdio-jsonrpc-faults.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { STDIO_FAULTS, STDIO_MODERN_MODES } from './stdio-server.ts';

const stdio = suite('check finds each seeded stdio task and cancellation fault');
/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(STDIO_MODERN_MODES, checkStdioFault);

for (const mode of STDIO_MODERN_MODES) {
  const rule = STDIO_FAULTS[mode];
  stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
    const { report, failedRules, details } = await checked(mode);
    assert.equal(failedRules, [rule], details);
    // Cancellation is probed in both eras over stdio: a server that loses notifications/cancelled fails both.
    if (mode === 'late-answer-after-cancel') assert.equal(new Set(report.findings.filter((x) => x.id === rule && x.outcome === 'fail').map((x) => x.era)), new Set(['legacy', 'modern']));
  });
}

stdio.run();
