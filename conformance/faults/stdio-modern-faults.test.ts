// stdio servers that break the tasks extension's terminal status, or cancellation (in both eras):
// each is found with exactly its seeded rule. The listen faults are in stdio-listen-faults.test.ts,
// the framing ones in stdio-faults.test.ts, the JSON-RPC ones in stdio-jsonrpc-faults.test.ts.
import * as assert from 'uvu/assert';
import { runStdioFaultSuite } from './stdio-fault-suite.ts';
import { STDIO_FAULTS, STDIO_MODERN_MODES } from './stdio-server.ts';

runStdioFaultSuite('check finds each seeded stdio task and cancellation fault', STDIO_MODERN_MODES, (mode, report) => {
  // Cancellation is probed in both eras over stdio: a server that loses notifications/cancelled fails both.
  const rule = STDIO_FAULTS[mode];
  if (mode === 'late-answer-after-cancel') assert.equal(new Set(report.findings.filter((f) => f.id === rule && f.outcome === 'fail').map((f) => f.era)), new Set(['legacy', 'modern']));
});
