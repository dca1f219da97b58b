// A correct stdio server that stalls while a cancel is on its way answers the call before it
// reads the cancel: the spec allows such a crossing (2025-11-25 basic/utilities/cancellation:
// "a cancellation notification may arrive after the request has completed"), so `check` must not
// fail cancellation.no-response for it. The ping that follows the cancel tells the two apart:
// a late answer before the ping's answer crossed the cancel; after it, the cancel had been read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULT_TIMEOUT_MS, stdioFaultTarget } from '../../test/support/stdio-fault-check.ts';
import type { StdioMode } from './stdio-server.ts';

const crossing = suite('check: a stdio answer that crossed the cancel is not a fault');

async function cancellationFindings(mode: StdioMode) {
  const target = await stdioFaultTarget(mode);
  const report = await runCheck({ target, timeoutMs: STDIO_FAULT_TIMEOUT_MS, stdioExitMs: 3_000, only: ['cancellation.no-response'] });
  return report.findings.filter((f) => f.id === 'cancellation.no-response' && f.detail.startsWith('stdio ('));
}

crossing('stalls-on-cancel: answered before the server read the cancel; not judged in either era', async () => {
  const found = await cancellationFindings('stalls-on-cancel');
  assert.equal(found.filter((f) => f.outcome === 'fail').map((f) => f.detail), []);
  for (const era of ['legacy', 'modern'] as const) {
    assert.ok(found.some((f) => f.outcome === 'skip' && f.era === era && f.detail.includes('crossed it')), `${era}: not judged, and said why\n${JSON.stringify(found)}`);
  }
});

crossing('late-answer-after-cancel (the cancel lost): still found in both eras with the fence', async () => {
  const found = await cancellationFindings('late-answer-after-cancel');
  for (const era of ['legacy', 'modern'] as const) {
    assert.ok(found.some((f) => f.outcome === 'fail' && f.era === era), `${era}: found\n${JSON.stringify(found)}`);
  }
});

crossing.run();
