// stdio servers that send a 2026-07-28 client what the era does not allow (a JSON-RPC request of
// their own, a change notification outside any listen): each is found with exactly its seeded rule.
import * as assert from 'uvu/assert';
import { stdioFaultSuite } from '../../test/support/stdio-fault-suite.ts';
import { STDIO_REQUEST_MODES } from './stdio-server.ts';

stdioFaultSuite('check finds each seeded stdio server request fault', STDIO_REQUEST_MODES, (mode, details) => {
  if (mode === 'asks-as-requests') assert.match(details, /modern\.server-request: elicitation\/create request \(id "srv-\d+"\): a 2026-07-28 server sends no JSON-RPC requests/);
  else {
    // Once per process: in the probes' session and (session 28) in the driven one.
    assert.equal(details.split('\n'), [
      'modern.notification-outside-listen: notifications/tools/list_changed came without a subscription id on stdout while tools/call was the last request, not on a listen that asked for it',
      'modern.notification-outside-listen: notifications/tools/list_changed came on stdout while tools/call was the last request in the driven session, which opened no listen',
    ]);
  }
});
