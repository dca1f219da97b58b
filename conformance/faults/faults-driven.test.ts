// 2026-07-28 defects only the driven session meets (servers-modern.ts DRIVEN_FAULTS): the probes
// never send the request that shows them, so each is found by the driven session's own
// judgement, with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DRIVEN_FAULTS } from './servers-modern.ts';
import { checkHttpFault } from './http-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';

const faults = suite('check finds each 2026-07-28 fault of the driven session');

/** The finding each fault gets: it names the request whose reply stream carried the stray. */
const DETAILS: Readonly<Record<string, RegExp>> = {
  'updated-on-read': /^modern\.notification-outside-listen: notifications\/resources\/updated came on the reply stream of resources\/read \(id \d+\) in the driven session, which opened no listen$/,
};

/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(DRIVEN_FAULTS, checkHttpFault);
for (const fault of DRIVEN_FAULTS) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const { failed, unexplained } = await checked(fault);
    // Session 30: each failure shows what was sent and what came back.
    assert.equal(unexplained, [], 'failures without an exchange');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
    assert.is(failed.length, 1, failed.join('\n'));
    assert.match(failed[0]!, DETAILS[fault.name]!);
  });
}

faults.run();
