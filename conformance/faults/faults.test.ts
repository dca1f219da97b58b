// Proof that `mcpwire check` finds defects: each deliberately broken server is reported with
// exactly its seeded rule (no other MUST or SHOULD failure), and the unbroken one with none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import { FAULTS, startFaultServer, type Fault } from './servers.ts';
import { PROTOCOL_FAULTS } from './servers-protocol.ts';
import { MODERN_FAULTS } from './servers-modern.ts';

const faults = suite('check finds each seeded fault');

async function failedRules(fault: Fault | undefined): Promise<string[]> {
  const running = await startFaultServer(fault);
  try {
    const report = await runCheck({ target: { kind: 'http', url: running.url, headers: {} }, timeoutMs: 5_000 });
    const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
    return [...new Set(failed.map((f) => `${f.id}: ${f.detail}`))];
  } finally {
    await running.close();
  }
}

faults('the unbroken server fails no MUST or SHOULD rule', async () => {
  assert.equal(await failedRules(undefined), []);
});

for (const fault of [...FAULTS, ...PROTOCOL_FAULTS, ...MODERN_FAULTS]) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const failed = await failedRules(fault);
    assert.ok(failed.length > 0, 'found something');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
  });
}

faults.run();
