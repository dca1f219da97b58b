// A stdio server whose 2026-07-28 defect only the driven session meets (the probes never read a
// plain resource): found by the driven session's own judgement, with exactly its seeded rule.
import * as assert from 'uvu/assert';
import { stdioFaultSuite } from '../../test/support/stdio-fault-suite.ts';
import { STDIO_DRIVEN_MODES } from './stdio-server.ts';

stdioFaultSuite('check finds each seeded stdio fault of the driven session', STDIO_DRIVEN_MODES, (_mode, details) => {
  assert.equal(details, 'modern.notification-outside-listen: notifications/resources/updated came on stdout while resources/read was the last request in the driven session, which opened no listen');
});
