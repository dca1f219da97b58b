// Proof that `mcpwire check` finds JSON-RPC and protocol defects: each broken server
// (servers-protocol.ts) is reported with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_FAULTS } from './servers-protocol.ts';
import { checkHttpFault } from './http-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';

const faults = suite('check finds each seeded protocol fault');

/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(PROTOCOL_FAULTS, checkHttpFault);
for (const fault of PROTOCOL_FAULTS) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const { failed, unexplained, findings } = await checked(fault);
    // Session 30: each failure shows what was sent and what came back.
    assert.equal(unexplained, [], 'failures without an exchange');
    assert.ok(failed.length > 0, 'found something');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
    // Session 31: a rule failing in both eras with the same words is a finding per era, not one.
    if (fault.name === 'duplicate-tool-names') {
      const eras = findings.filter((f) => f.id === fault.expect && f.outcome === 'fail').map((f) => `${f.era}: ${f.detail}`);
      assert.equal(eras.sort(), ['legacy: tools/list names "echo" more than once', 'modern: tools/list names "echo" more than once']);
    }
    // Session 24: the call with the check's own id passes; only the one with the id 0 is answered after its cancel.
    if (fault.name === 'ignores-cancel-zero') assert.ok(failed.every((f) => /with the id 0 was answered .* after notifications\/cancelled naming the id 0/.test(f)), failed.join('\n'));
  });
}

faults.run();
